import {
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TGroup, TMe } from '../../../shared/schemas/auth.ts';
import { AppLayout } from '../../components/AppLayout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { setLanguage, type TLanguage } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { errorCode, fieldErrors } from '../../lib/api-errors.ts';
import { useMe } from '../auth/session.tsx';
import {
  MIN_PASSWORD_LENGTH,
  type TPasswordErrors,
  type TPasswordForm,
  validatePasswordChange,
} from './password-form.ts';

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <Group gap="md" wrap="nowrap" align="flex-start">
    <Text size="sm" c="dimmed" w={170} style={{ flexShrink: 0 }}>
      {label}
    </Text>
    <Box fz="sm" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
      {children}
    </Box>
  </Group>
);

const AccountCard = () => {
  const { t } = useTranslation('profile');
  const { me, can } = useMe();
  const user = me.user;
  const groups = useQuery({
    queryKey: ['groups'],
    queryFn: ({ signal }) =>
      api.get<{ items: TGroup[] }>('/groups', undefined, { signal }).then((p) => p.items),
    enabled: can('group.read') && (user?.groupIds.length ?? 0) > 0,
  });
  if (!user) return <Alert color="gray">{t('tokenActor')}</Alert>;
  const names = user.groupIds.map((id) => groups.data?.find((g) => g.id === id)?.name ?? `#${id}`);
  return (
    <Paper withBorder p="md" radius="md" data-testid="profile-account">
      <Stack gap="sm">
        <Title order={4}>{t('account')}</Title>
        <Row label={t('name')}>{user.name}</Row>
        <Row label={t('email')}>{user.email}</Row>
        <Row label={t('role')}>{t(`common:role.${user.role}`)}</Row>
        {user.department && (
          <Row label={t('department')}>{t(`admin:departments.${user.department}`, user.department)}</Row>
        )}
        {names.length > 0 && (
          <Row label={t('groups')}>
            <Group gap={4}>
              {names.map((name) => (
                <Badge key={name} variant="light" color="gray" tt="none">
                  {name}
                </Badge>
              ))}
            </Group>
          </Row>
        )}
      </Stack>
    </Paper>
  );
};

/** Switches the interface at once and saves the choice to the profile; a failed save switches back. */
const LanguageCard = () => {
  const { t, i18n } = useTranslation('profile');
  const current: TLanguage = i18n.language === 'en' ? 'en' : 'ru';
  const save = useMutation({
    mutationFn: (locale: TLanguage) => api.patch<TMe>('/me', { locale }),
    onMutate: async (locale) => {
      const previous = current;
      await setLanguage(locale);
      return { previous };
    },
    onSuccess: () => notifications.show({ color: 'teal', message: t('language.saved') }),
    onError: async (_error, _locale, context) => {
      if (context) await setLanguage(context.previous);
    },
  });
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <div>
          <Title order={4} id="profile-language-label">
            {t('language.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('language.hint')}
          </Text>
        </div>
        <SegmentedControl
          aria-labelledby="profile-language-label"
          value={current}
          onChange={(v) => save.mutate(v === 'en' ? 'en' : 'ru')}
          disabled={save.isPending}
          data={[
            { value: 'ru', label: t('common:languages.ru') },
            { value: 'en', label: t('common:languages.en') },
          ]}
          w="fit-content"
          data-testid="profile-language"
        />
        {save.isError && (
          <Stack gap={4}>
            <Text size="sm" c="red">
              {t('language.failed')}
            </Text>
            <ErrorAlert error={save.error} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
};

const EMPTY: TPasswordForm = { current: '', next: '', repeat: '' };

const PasswordCard = () => {
  const { t } = useTranslation('profile');
  const [form, setForm] = useState<TPasswordForm>(EMPTY);
  const [errors, setErrors] = useState<TPasswordErrors>({});
  const [done, setDone] = useState(false);

  const change = useMutation({
    // A wrong current password answers 401: it belongs to this form, not to the session.
    mutationFn: () =>
      api.patch<TMe>('/me', { currentPassword: form.current, newPassword: form.next }, { quiet401: true }),
    onSuccess: () => {
      setForm(EMPTY);
      setDone(true);
      notifications.show({ color: 'teal', message: t('password.changed') });
    },
  });

  const set = (key: keyof TPasswordForm, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    setDone(false);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validatePasswordChange(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    change.mutate();
  };

  const code = errorCode(change.error);
  const server = fieldErrors(change.error);
  const wrongCurrent = code === 'INVALID_CREDENTIALS';
  const locked = code === 'ACCOUNT_LOCKED' || code === 'RATE_LIMITED';
  const message = (key: keyof TPasswordErrors) => {
    const found = errors[key];
    return found ? t(`password.errors.${found}`, { min: MIN_PASSWORD_LENGTH }) : undefined;
  };

  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={submit} noValidate data-testid="password-form">
        <Stack gap="sm">
          <Title order={4}>{t('password.title')}</Title>
          {done && (
            <Alert color="teal" icon={<IconCheck size={18} />} role="status" data-testid="password-changed">
              {t('password.changed')}
            </Alert>
          )}
          {locked && <Alert color="red">{t('password.errors.locked')}</Alert>}
          {change.isError && !wrongCurrent && !locked && !server.newPassword && (
            <ErrorAlert error={change.error} />
          )}
          <PasswordInput
            label={t('password.current')}
            autoComplete="current-password"
            value={form.current}
            onChange={(e) => set('current', e.currentTarget.value)}
            error={message('current') ?? (wrongCurrent ? t('password.errors.wrongCurrent') : undefined)}
            required
          />
          <PasswordInput
            label={t('password.next')}
            description={t('password.nextHint', { min: MIN_PASSWORD_LENGTH })}
            autoComplete="new-password"
            value={form.next}
            onChange={(e) => set('next', e.currentTarget.value)}
            error={message('next') ?? server.newPassword}
            required
          />
          <PasswordInput
            label={t('password.repeat')}
            autoComplete="new-password"
            value={form.repeat}
            onChange={(e) => set('repeat', e.currentTarget.value)}
            error={message('repeat')}
            required
          />
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending} data-testid="password-submit">
              {t('password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
};

/** The signed-in person's own settings: interface language and password. */
export const ProfilePage = () => {
  const { t } = useTranslation('profile');
  const { me } = useMe();
  return (
    <AppLayout>
      <Box p="md" style={{ flex: 1, overflowY: 'auto' }}>
        <Stack gap="md" maw={1000}>
          <Title order={2}>{t('title')}</Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Stack gap="md">
              <AccountCard />
              {me.user && <LanguageCard />}
            </Stack>
            {me.user && <PasswordCard />}
          </SimpleGrid>
        </Stack>
      </Box>
    </AppLayout>
  );
};

export default ProfilePage;
