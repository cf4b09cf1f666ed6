/** Strings of sign-in; `ru` and `en` must have the same keys (checked by i18n.test.ts). */
export const ru = {
  title: 'Вход в tourdesk',
  subtitle: 'Служба заботы о клиентах',
  email: 'Электронная почта',
  password: 'Пароль',
  submit: 'Войти',
  failed: 'Неверная почта или пароль',
  locked: 'Слишком много попыток. Попробуйте позже.',
  expired: 'Сессия истекла. Войдите снова.',
  logout: 'Выйти',
};

export const en: typeof ru = {
  title: 'Sign in to tourdesk',
  subtitle: 'Customer Care',
  email: 'Email',
  password: 'Password',
  submit: 'Sign in',
  failed: 'Wrong email or password',
  locked: 'Too many attempts. Try again later.',
  expired: 'Your session has expired. Please sign in again.',
  logout: 'Sign out',
};
