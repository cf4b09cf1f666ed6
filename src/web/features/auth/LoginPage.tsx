import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { useSession } from './session.tsx';

export const LoginPage = ({ expired }: { expired: boolean }) => {
  const { t } = useTranslation('auth');
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      setError(
        code === 'ACCOUNT_LOCKED' || code === 'RATE_LIMITED'
          ? t('locked')
          : code === 'INVALID_CREDENTIALS'
            ? t('failed')
            : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="form" onSubmit={submit} w={380} p="xl" radius="md" withBorder shadow="sm">
        <Stack>
          <div>
            <Title order={2}>{t('title')}</Title>
            <Text c="dimmed" size="sm">
              {t('subtitle')}
            </Text>
          </div>
          {expired && !error && (
            <Alert color="yellow" role="status">
              {t('expired')}
            </Alert>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('email')}
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy} fullWidth>
            {t('submit')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
};
