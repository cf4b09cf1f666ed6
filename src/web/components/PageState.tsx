import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api.ts';
import { errorMessage } from '../lib/errors.ts';

export const Loading = ({ label }: { label?: string }) => {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="sm" />
        <Text size="sm" c="dimmed">
          {label ?? t('loading')}
        </Text>
      </Stack>
    </Center>
  );
};

/** An API error shows its own message (and code), never a blank page. */
export const ErrorState = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => {
  const { t, i18n } = useTranslation();
  const message = errorMessage(error, t, i18n.language);
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('errorTitle')} role="alert" m="md">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          {message}
          {error instanceof ApiError && error.code !== 'NETWORK' ? ` (${error.code})` : ''}
        </Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
};

export const EmptyState = ({
  title,
  children,
  icon,
}: {
  title: string;
  children?: ReactNode;
  icon?: ReactNode;
}) => (
  <Center py={48}>
    <Stack align="center" gap={6} maw={420} ta="center">
      {icon ?? <IconInbox size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
      <Text fw={500}>{title}</Text>
      {children && (
        <Text size="sm" c="dimmed">
          {children}
        </Text>
      )}
    </Stack>
  </Center>
);

export const NotFound = () => {
  const { t } = useTranslation();
  return <EmptyState title={t('notFound')}>{t('notFoundText')}</EmptyState>;
};
