import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey, IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { TOKEN_ROLES, type TTokenRole } from '../../../shared/enums.ts';
import type { ZCreatedApiToken } from '../../../shared/schemas/auth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { api } from '../../lib/api.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { type TApiToken, useApiTokens } from './admin.queries.ts';

type TCreatedToken = z.infer<typeof ZCreatedApiToken>;

/** Create a token; its secret is shown here once, with a copy button, and never again. */
const CreateTokenModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<TTokenRole>('integration');
  const [nameMissing, setNameMissing] = useState(false);
  const [created, setCreated] = useState<TCreatedToken | null>(null);

  useEffect(() => {
    if (!opened) return;
    setName('');
    setRole('integration');
    setNameMissing(false);
    setCreated(null);
  }, [opened]);

  const create = useMutation({
    mutationFn: () => api.post<TCreatedToken>('/api-tokens', { name: name.trim(), role }),
    onSuccess: (token) => {
      setCreated(token);
      // The list never holds the secret.
      const { token: _secret, ...listed } = token;
      queryClient.setQueryData<TApiToken[]>(['api-tokens'], (list) => (list ? [listed, ...list] : list));
      void queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setNameMissing(true);
    create.mutate();
  };

  const close = () => {
    // Drop the secret from memory as soon as the dialog goes.
    setCreated(null);
    create.reset();
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('tokens.secretTitle') : t('tokens.createTitle')}
      centered
      size="lg"
      // With the secret on screen, a stray click outside must not lose it.
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack data-testid="token-created">
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} role="alert">
            {t('tokens.secretWarning')}
          </Alert>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('tokens.secretLabel')}: {created.name} · {t(`common:role.${created.role}`)}
            </Text>
            <Group gap="xs" wrap="nowrap" align="center">
              <Code
                block
                data-testid="token-secret"
                style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
              >
                {created.token}
              </Code>
              <CopyButton value={created.token} timeout={2000}>
                {({ copied, copy }) => (
                  <Button
                    color={copied ? 'teal' : undefined}
                    variant={copied ? 'light' : 'filled'}
                    leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                    onClick={copy}
                    data-testid="token-copy"
                  >
                    {copied ? t('tokens.copied') : t('tokens.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('tokens.secretDone')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {create.isError && <ErrorAlert error={create.error} />}
            <TextInput
              label={t('tokens.name')}
              placeholder={t('tokens.namePlaceholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameMissing ? t('fieldError.required') : undefined}
              required
              maxLength={200}
              data-autofocus
            />
            <Select
              label={t('tokens.role')}
              value={role}
              onChange={(v) => v && setRole(v as TTokenRole)}
              allowDeselect={false}
              description={t(`roles.${role}`)}
              data={TOKEN_ROLES.map((r) => ({ value: r, label: t(`common:role.${r}`) }))}
              renderOption={({ option }) => (
                <Stack gap={0}>
                  <Text size="sm">{option.label}</Text>
                  <Text size="xs" c="dimmed">
                    {t(`roles.${option.value}`)}
                  </Text>
                </Stack>
              )}
            />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={close}>
                {t('common:cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('common:create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
};

/** API tokens: list (never the secrets), create, revoke. */
export const TokensTab = () => {
  const { t, i18n } = useTranslation('admin');
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const tokens = useApiTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TApiToken | null>(null);

  const revoke = useMutation({
    mutationFn: (token: TApiToken) => api.delete(`/api-tokens/${token.id}`),
    onSuccess: (_, token) => {
      void queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
      notifications.show({ color: 'teal', message: t('tokens.revokedDone', { name: token.name }) });
      setRevoking(null);
    },
  });

  if (tokens.isPending) return <Loading />;
  if (tokens.isError) return <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />;

  const sorted = [...tokens.data].sort(
    (a, b) =>
      Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt),
  );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Text size="sm" c="dimmed" maw={640}>
          {t('tokens.intro')}
        </Text>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setCreating(true)}
          data-testid="token-add"
          style={{ flexShrink: 0 }}
        >
          {t('tokens.add')}
        </Button>
      </Group>
      {sorted.length === 0 ? (
        <EmptyState
          title={t('tokens.empty')}
          icon={<IconKey size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.columns.name')}</Table.Th>
                <Table.Th>{t('tokens.columns.role')}</Table.Th>
                <Table.Th>{t('tokens.columns.prefix')}</Table.Th>
                <Table.Th>{t('tokens.columns.created')}</Table.Th>
                <Table.Th>{t('tokens.columns.lastUsed')}</Table.Th>
                <Table.Th>{t('tokens.columns.status')}</Table.Th>
                <Table.Th ta="right">{t('tokens.columns.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((token) => {
                const revoked = token.revokedAt !== null;
                return (
                  <Table.Tr key={token.id} data-testid="token-row" opacity={revoked ? 0.6 : 1}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {token.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`common:role.${token.role}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Code>{token.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(token.createdAt, lang)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(token.lastUsedAt, lang)} disabled={!token.lastUsedAt}>
                        <Text size="sm" c={token.lastUsedAt ? undefined : 'dimmed'}>
                          {token.lastUsedAt ? formatRelative(token.lastUsedAt, lang) : t('tokens.never')}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      {revoked ? (
                        <Tooltip label={formatDateTime(token.revokedAt, lang)}>
                          <Badge color="gray" variant="outline" style={{ minWidth: 'max-content' }}>
                            {t('tokens.revoked')}
                          </Badge>
                        </Tooltip>
                      ) : (
                        <Badge color="teal" variant="light" style={{ minWidth: 'max-content' }}>
                          {t('tokens.active')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      {!revoked && (
                        <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(token)}>
                          {t('tokens.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <Modal
        opened={revoking !== null}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
        title={revoking ? t('tokens.revokeTitle', { name: revoking.name }) : ''}
        centered
      >
        <Stack>
          <Text size="sm">{t('tokens.revokeText')}</Text>
          {revoke.isError && <ErrorAlert error={revoke.error} />}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setRevoking(null)}>
              {t('common:cancel')}
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking)}
            >
              {t('tokens.revoke')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
};
