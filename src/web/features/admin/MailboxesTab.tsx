import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Divider,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCheck,
  IconMail,
  IconMailOff,
  IconPencil,
  IconPlugConnected,
  IconPlus,
  IconX,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TGroup } from '../../../shared/schemas/auth.ts';
import type { TMailbox, TMailboxTestResult } from '../../../shared/schemas/mailboxes.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { errorCode, isVersionConflict } from '../../lib/api-errors.ts';
import { useGroups, useMailboxes } from './admin.queries.ts';
import {
  createMailboxBody,
  emptyMailboxForm,
  mailboxFormOf,
  outboundBody,
  serverFieldErrors,
  type TMailboxField,
  type TMailboxForm,
  type TMailboxFormErrors,
  updateMailboxBody,
  validateMailboxForm,
} from './mailbox-form.ts';

const replaceIn = (list: TMailbox[] | undefined, saved: TMailbox) =>
  list?.some((m) => m.id === saved.id)
    ? list.map((m) => (m.id === saved.id ? saved : m))
    : [...(list ?? []), saved];

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Stack gap="xs">
    <Divider label={<Title order={6}>{title}</Title>} labelPosition="left" />
    {children}
  </Stack>
);

const MailboxFormModal = ({
  mailbox,
  opened,
  groups,
  onClose,
}: {
  mailbox: TMailbox | null;
  opened: boolean;
  groups: TGroup[];
  onClose: () => void;
}) => {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [form, setForm] = useState<TMailboxForm>(emptyMailboxForm);
  const [base, setBase] = useState<TMailbox | null>(mailbox);
  const [errors, setErrors] = useState<TMailboxFormErrors>({});
  const [conflict, setConflict] = useState<TMailbox | null>(null);
  const [testResult, setTestResult] = useState<TMailboxTestResult | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the form starts over each time it opens.
  useEffect(() => {
    if (!opened) return;
    setForm(mailbox ? mailboxFormOf(mailbox) : emptyMailboxForm());
    setBase(mailbox);
    setErrors({});
    setConflict(null);
    setTestResult(null);
  }, [opened]);

  const save = useMutation({
    mutationFn: ({ version }: { version?: number }) =>
      mailbox && base
        ? api.patch<TMailbox>(`/mailboxes/${mailbox.id}`, updateMailboxBody(form, base), {
            ifMatch: version ?? base.version,
          })
        : api.post<TMailbox>('/mailboxes', createMailboxBody(form)),
    onSuccess: (saved) => {
      queryClient.setQueryData<TMailbox[]>(['mailboxes'], (list) => replaceIn(list, saved));
      notifications.show({
        color: 'teal',
        message: mailbox ? t('mailboxes.saved') : t('mailboxes.created', { address: saved.address }),
      });
      onClose();
    },
    onError: async (error) => {
      if (!isVersionConflict(error) || !mailbox) return;
      setConflict(await api.get<TMailbox>(`/mailboxes/${mailbox.id}`));
      void queryClient.invalidateQueries({ queryKey: ['mailboxes'] });
    },
  });

  const test = useMutation({
    mutationFn: () =>
      api.post<TMailboxTestResult>(`/mailboxes/${mailbox!.id}/test`, { outbound: outboundBody(form) }),
    onMutate: () => setTestResult(null),
    onSuccess: setTestResult,
  });

  const set = <K extends keyof TMailboxForm>(key: K, value: TMailboxForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const setImap = (patch: Partial<TMailboxForm['imap']>) =>
    setForm((f) => ({ ...f, imap: { ...f.imap, ...patch } }));
  const setOutbound = (patch: Partial<TMailboxForm['outbound']>) => {
    setTestResult(null);
    setForm((f) => ({ ...f, outbound: { ...f.outbound, ...patch } }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateMailboxForm(form, base);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (mailbox && base && Object.keys(updateMailboxBody(form, base)).length === 0) return onClose();
    save.mutate({});
  };

  const addressTaken = errorCode(save.error) === 'MAILBOX_ADDRESS_TAKEN';
  const fromServer = save.error instanceof ApiError ? serverFieldErrors(save.error.details) : {};
  const fieldError = (field: TMailboxField): string | undefined => {
    if (field === 'address' && addressTaken) return t('mailboxes.addressTaken');
    const code = errors[field];
    if (code) return t(`fieldError.${code}`, { min: 1, max: 65535 });
    return fromServer[field];
  };
  const showGeneralError =
    save.isError && !isVersionConflict(save.error) && !addressTaken && Object.keys(fromServer).length === 0;

  const imapHasPassword = base?.inbound.type === 'imap' && base.inbound.hasPassword;
  const outboundHasPassword = base?.outbound.hasPassword === true;
  const passwordProps = (saved: boolean) =>
    saved
      ? { placeholder: t('mailboxes.passwordSaved'), description: t('mailboxes.passwordKeep') }
      : { description: t('mailboxes.passwordStored') };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={mailbox ? t('mailboxes.editTitle', { address: mailbox.address }) : t('mailboxes.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate data-testid="mailbox-form">
        <Stack>
          {conflict && (
            <Alert color="orange" title={t('conflict.title')} data-testid="version-conflict">
              <Stack gap={6}>
                <Text size="sm">{t('conflict.text')}</Text>
                <Text size="sm" fw={600}>
                  {t('mailboxes.conflictValues', {
                    name: conflict.name,
                    address: conflict.address,
                    host: conflict.outbound.host,
                    port: conflict.outbound.port,
                  })}
                </Text>
                <Text size="sm">{t('conflict.notSaved')}</Text>
                <Group gap="xs">
                  <Button
                    size="xs"
                    color="orange"
                    onClick={() => {
                      setConflict(null);
                      save.mutate({ version: conflict.version });
                    }}
                  >
                    {t('conflict.applyMine')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => {
                      setForm(mailboxFormOf(conflict));
                      setBase(conflict);
                      setConflict(null);
                      save.reset();
                    }}
                  >
                    {t('conflict.takeTheirs')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {showGeneralError && <ErrorAlert error={save.error} />}

          <Section title={t('mailboxes.general')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('mailboxes.address')}
                description={t('mailboxes.addressHint')}
                type="email"
                value={form.address}
                onChange={(e) => set('address', e.currentTarget.value)}
                error={fieldError('address')}
                required
                maxLength={320}
                autoComplete="off"
                data-autofocus
              />
              <TextInput
                label={t('mailboxes.name')}
                description={t('mailboxes.nameHint')}
                value={form.name}
                onChange={(e) => set('name', e.currentTarget.value)}
                error={fieldError('name')}
                required
                maxLength={200}
              />
            </SimpleGrid>
            <Select
              label={t('mailboxes.group')}
              description={t('mailboxes.groupHint')}
              placeholder={t('mailboxes.noGroup')}
              value={form.groupId === null ? null : String(form.groupId)}
              onChange={(v) => set('groupId', v === null ? null : Number(v))}
              data={groups.map((g) => ({ value: String(g.id), label: g.name }))}
              clearable
              searchable
            />
            <Textarea
              label={t('mailboxes.signature')}
              description={t('mailboxes.signatureHint')}
              value={form.signature}
              onChange={(e) => set('signature', e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={5000}
            />
            <Switch
              label={t('mailboxes.autoAcknowledge')}
              description={t('mailboxes.autoAcknowledgeHint')}
              checked={form.autoAcknowledge}
              onChange={(e) => set('autoAcknowledge', e.currentTarget.checked)}
            />
            {mailbox && (
              <Switch
                label={t('mailboxes.isActive')}
                checked={form.isActive}
                onChange={(e) => set('isActive', e.currentTarget.checked)}
              />
            )}
          </Section>

          <Section title={t('mailboxes.inbound')}>
            <SegmentedControl
              value={form.inboundType}
              onChange={(v) => set('inboundType', v as TMailboxForm['inboundType'])}
              data={[
                { value: 'smtp', label: t('mailboxes.inboundSmtp') },
                { value: 'imap', label: 'IMAP' },
              ]}
              aria-label={t('mailboxes.inbound')}
              data-testid="mailbox-inbound-type"
            />
            {form.inboundType === 'smtp' ? (
              <Text size="sm" c="dimmed">
                {t('mailboxes.inboundSmtpHint')}
              </Text>
            ) : (
              <>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput
                    label={t('mailboxes.host')}
                    value={form.imap.host}
                    onChange={(e) => setImap({ host: e.currentTarget.value })}
                    error={fieldError('imap.host')}
                    required
                    style={{ gridColumn: 'span 2' }}
                  />
                  <NumberInput
                    label={t('mailboxes.port')}
                    value={form.imap.port}
                    onChange={(v) => setImap({ port: typeof v === 'number' ? v : '' })}
                    error={fieldError('imap.port')}
                    min={1}
                    max={65535}
                    allowDecimal={false}
                    required
                  />
                </SimpleGrid>
                <Switch
                  label={t('mailboxes.secure')}
                  checked={form.imap.secure}
                  onChange={(e) => setImap({ secure: e.currentTarget.checked })}
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label={t('mailboxes.user')}
                    value={form.imap.user}
                    onChange={(e) => setImap({ user: e.currentTarget.value })}
                    error={fieldError('imap.user')}
                    required
                    autoComplete="off"
                  />
                  <PasswordInput
                    label={t('mailboxes.password')}
                    {...passwordProps(imapHasPassword)}
                    value={form.imap.password}
                    onChange={(e) => setImap({ password: e.currentTarget.value })}
                    error={fieldError('imap.password')}
                    required={!imapHasPassword}
                    autoComplete="new-password"
                    data-testid="mailbox-imap-password"
                  />
                </SimpleGrid>
                <TextInput
                  label={t('mailboxes.folder')}
                  value={form.imap.folder}
                  onChange={(e) => setImap({ folder: e.currentTarget.value })}
                  error={fieldError('imap.folder')}
                  required
                />
                <TextInput
                  label={t('mailboxes.moveTo')}
                  description={t('mailboxes.moveToHint')}
                  value={form.imap.moveTo}
                  onChange={(e) => setImap({ moveTo: e.currentTarget.value })}
                />
              </>
            )}
          </Section>

          <Section title={t('mailboxes.outbound')}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t('mailboxes.host')}
                value={form.outbound.host}
                onChange={(e) => setOutbound({ host: e.currentTarget.value })}
                error={fieldError('outbound.host')}
                required
                style={{ gridColumn: 'span 2' }}
                data-testid="mailbox-smtp-host"
              />
              <NumberInput
                label={t('mailboxes.port')}
                value={form.outbound.port}
                onChange={(v) => setOutbound({ port: typeof v === 'number' ? v : '' })}
                error={fieldError('outbound.port')}
                min={1}
                max={65535}
                allowDecimal={false}
                required
              />
            </SimpleGrid>
            <Switch
              label={t('mailboxes.secure')}
              description={t('mailboxes.secureHint')}
              checked={form.outbound.secure}
              onChange={(e) => setOutbound({ secure: e.currentTarget.checked })}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('mailboxes.user')}
                description={t('mailboxes.userHintOutbound')}
                value={form.outbound.user}
                onChange={(e) => setOutbound({ user: e.currentTarget.value })}
                error={fieldError('outbound.user')}
                autoComplete="off"
              />
              <PasswordInput
                label={t('mailboxes.password')}
                {...passwordProps(outboundHasPassword)}
                value={form.outbound.password}
                onChange={(e) => setOutbound({ password: e.currentTarget.value })}
                autoComplete="new-password"
                data-testid="mailbox-smtp-password"
              />
            </SimpleGrid>
            <Group gap="sm" align="center">
              <Tooltip
                label={mailbox ? t('mailboxes.testHint') : t('mailboxes.testSaveFirst')}
                multiline
                maw={280}
              >
                <Button
                  variant="light"
                  leftSection={<IconPlugConnected size={16} />}
                  onClick={() => test.mutate()}
                  loading={test.isPending}
                  disabled={!mailbox || !form.outbound.host.trim() || form.outbound.port === ''}
                  data-testid="mailbox-test"
                >
                  {t('mailboxes.test')}
                </Button>
              </Tooltip>
            </Group>
            {test.isError && <ErrorAlert error={test.error} />}
            {testResult && (
              <Alert
                color={testResult.ok ? 'teal' : 'red'}
                icon={testResult.ok ? <IconCheck size={18} /> : <IconX size={18} />}
                title={testResult.ok ? undefined : t('mailboxes.testFailed')}
                data-testid="mailbox-test-result"
                data-ok={testResult.ok}
              >
                {testResult.ok
                  ? t('mailboxes.testOk', { host: form.outbound.host.trim() })
                  : (testResult.error ?? t('mailboxes.testFailed'))}
              </Alert>
            )}
          </Section>

          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={conflict !== null}>
              {mailbox ? t('common:save') : t('common:create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Mailboxes: addresses customers write to, how mail comes in and goes out, signature and auto-reply. */
export const MailboxesTab = () => {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const mailboxes = useMailboxes();
  const groups = useGroups();
  const [editing, setEditing] = useState<{ mailbox: TMailbox | null } | null>(null);
  const [deactivating, setDeactivating] = useState<TMailbox | null>(null);

  const toggle = useMutation({
    mutationFn: async (mailbox: TMailbox) => {
      if (mailbox.isActive) {
        await api.delete(`/mailboxes/${mailbox.id}`);
        return api.get<TMailbox>(`/mailboxes/${mailbox.id}`);
      }
      return api.patch<TMailbox>(
        `/mailboxes/${mailbox.id}`,
        { isActive: true },
        { ifMatch: mailbox.version },
      );
    },
    onSuccess: (saved) => {
      queryClient.setQueryData<TMailbox[]>(['mailboxes'], (list) => replaceIn(list, saved));
      notifications.show({
        color: 'teal',
        message: saved.isActive
          ? t('mailboxes.reactivated', { address: saved.address })
          : t('mailboxes.deactivated', { address: saved.address }),
      });
      setDeactivating(null);
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: ['mailboxes'] }),
  });

  if (mailboxes.isPending || groups.isPending) return <Loading />;
  if (mailboxes.isError)
    return <ErrorState error={mailboxes.error} onRetry={() => void mailboxes.refetch()} />;
  if (groups.isError) return <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />;

  const groupName = new Map(groups.data.map((g) => [g.id, g.name]));

  return (
    <Stack gap="md" data-testid="mailboxes-tab">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" c="dimmed" maw={640}>
          {t('mailboxes.intro')}
        </Text>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setEditing({ mailbox: null })}
          data-testid="mailbox-add"
          style={{ flexShrink: 0 }}
        >
          {t('mailboxes.add')}
        </Button>
      </Group>
      {toggle.isError && <ErrorAlert error={toggle.error} />}
      {mailboxes.data.length === 0 ? (
        <EmptyState
          title={t('mailboxes.empty')}
          icon={<IconMail size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        >
          {t('mailboxes.emptyText')}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mailboxes.columns.address')}</Table.Th>
                <Table.Th>{t('mailboxes.columns.inbound')}</Table.Th>
                <Table.Th>{t('mailboxes.columns.outbound')}</Table.Th>
                <Table.Th>{t('mailboxes.columns.group')}</Table.Th>
                <Table.Th>{t('mailboxes.columns.status')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('mailboxes.columns.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mailboxes.data.map((m) => (
                <Table.Tr key={m.id} data-testid="mailbox-row" opacity={m.isActive ? 1 : 0.6}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.address}
                    </Text>
                    <Group gap={6}>
                      <Text size="xs" c="dimmed">
                        {m.name}
                      </Text>
                      {m.autoAcknowledge && (
                        <Badge size="xs" variant="outline" color="gray" tt="none">
                          {t('mailboxes.autoAck')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {m.inbound.type === 'imap'
                        ? t('mailboxes.inboundImap', { host: m.inbound.host })
                        : t('mailboxes.inboundSmtp')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {m.outbound.host}:{m.outbound.port}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={m.groupId === null ? 'dimmed' : undefined}>
                      {m.groupId === null ? '—' : (groupName.get(m.groupId) ?? `#${m.groupId}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={m.isActive ? 'teal' : 'gray'} variant={m.isActive ? 'light' : 'outline'}>
                      {m.isActive ? t('mailboxes.active') : t('mailboxes.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Tooltip label={t('mailboxes.edit')}>
                        <ActionIcon
                          variant="subtle"
                          aria-label={`${t('mailboxes.edit')}: ${m.address}`}
                          onClick={() => setEditing({ mailbox: m })}
                          data-testid="mailbox-edit"
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      {m.isActive ? (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          leftSection={<IconMailOff size={14} />}
                          onClick={() => setDeactivating(m)}
                        >
                          {t('mailboxes.deactivate')}
                        </Button>
                      ) : (
                        <Button size="xs" variant="subtle" onClick={() => toggle.mutate(m)}>
                          {t('mailboxes.reactivate')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <MailboxFormModal
        mailbox={editing?.mailbox ?? null}
        opened={editing !== null}
        groups={groups.data}
        onClose={() => setEditing(null)}
      />
      <Modal
        opened={deactivating !== null}
        onClose={() => setDeactivating(null)}
        title={deactivating ? t('mailboxes.deactivateTitle', { address: deactivating.address }) : ''}
        centered
      >
        <Stack>
          <Text size="sm">{t('mailboxes.deactivateText')}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setDeactivating(null)}>
              {t('common:cancel')}
            </Button>
            <Button
              color="red"
              loading={toggle.isPending}
              onClick={() => deactivating && toggle.mutate(deactivating)}
            >
              {t('mailboxes.deactivate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
};
