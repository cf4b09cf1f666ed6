export const MIN_PASSWORD_LENGTH = 8;

export type TPasswordForm = { current: string; next: string; repeat: string };
export type TPasswordErrors = Partial<{
  current: 'required';
  next: 'required' | 'tooShort' | 'sameAsCurrent';
  repeat: 'mismatch';
}>;

/** Checked before sending: the server only knows whether the current password is right. */
export const validatePasswordChange = (form: TPasswordForm): TPasswordErrors => {
  const errors: TPasswordErrors = {};
  if (!form.current) errors.current = 'required';
  if (!form.next) errors.next = 'required';
  else if (form.next.length < MIN_PASSWORD_LENGTH) errors.next = 'tooShort';
  else if (form.next === form.current) errors.next = 'sameAsCurrent';
  if (form.next && form.repeat !== form.next) errors.repeat = 'mismatch';
  return errors;
};
