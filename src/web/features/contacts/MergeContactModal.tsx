import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Modal,
  Paper,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowRight, IconCheck, IconSearch } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TContact } from '../../../shared/schemas/contacts.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/PageState.tsx';
import { api } from '../../lib/api.ts';
import { ContactKindBadge } from './ContactKindBadge.tsx';
import { type TContactDetail, useContactList } from './contacts.queries.ts';

type TStep =
  | { step: 'pick' }
  | { step: 'confirm'; source: TContact }
  | { step: 'done'; source: TContact; result: TContact; hadIdentityIds: number[] };

const Identities = ({ contact }: { contact: Pick<TContact, 'identities'> }) => {
  const { t } = useTranslation('contacts');
  if (contact.identities.length === 0)
    return (
      <Text size="xs" c="dimmed">
        {t('noIdentities')}
      </Text>
    );
  return (
    <Group gap={4}>
      {contact.identities.map((i) => (
        <Badge key={i.id} variant="outline" color="gray" size="sm" tt="none">
          {t(`identityChannel.${i.channel}`)}: {i.value}
        </Badge>
      ))}
    </Group>
  );
};

const ContactCard = ({ contact }: { contact: TContact }) => {
  const { t } = useTranslation('contacts');
  return (
    <Paper withBorder p="sm" style={{ flex: 1, minWidth: 0 }}>
      <Stack gap={4}>
        <Group gap={6} wrap="nowrap">
          <Text fw={600} truncate>
            {contact.name || t('noName')}
          </Text>
          <ContactKindBadge kind={contact.kind} />
        </Group>
        <Text size="xs" c="dimmed">
          #{contact.id}
          {contact.organization ? ` · ${contact.organization.name}` : ''}
        </Text>
        <Identities contact={contact} />
      </Stack>
    </Paper>
  );
};

/** Pick another contact by search, confirm, merge it into this one and show what came over. */
export const MergeContactModal = ({
  target,
  opened,
  onClose,
}: {
  target: TContactDetail;
  opened: boolean;
  onClose: () => void;
}) => {
  const { t } = useTranslation('contacts');
  const queryClient = useQueryClient();
  const [state, setState] = useState<TStep>({ step: 'pick' });
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const candidates = useContactList({ q, kind: null }, opened && state.step === 'pick' && q.length > 0);
  const found = (candidates.data?.pages.flatMap((p) => p.items) ?? []).filter((c) => c.id !== target.id);

  useEffect(() => {
    if (!opened) return;
    setState({ step: 'pick' });
    setText('');
  }, [opened]);

  const merge = useMutation({
    mutationFn: async (source: TContact) => {
      // The profile refetches after the merge: remember what it had, to show what came over.
      const hadIdentityIds = target.identities.map((i) => i.id);
      const result = await api.post<TContact>(`/contacts/${target.id}/merge`, { sourceId: source.id });
      return { source, result, hadIdentityIds };
    },
    onSuccess: ({ source, result, hadIdentityIds }) => {
      setState({ step: 'done', source, result, hadIdentityIds });
      void queryClient.invalidateQueries({ queryKey: ['contact'] });
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      void queryClient.invalidateQueries({ queryKey: ['bookings'] });
    },
  });

  const targetName = target.name || t('noName');

  return (
    <Modal opened={opened} onClose={onClose} title={t('merge.title')} size="lg" centered>
      {state.step === 'pick' && (
        <Stack>
          <Text size="sm" c="dimmed">
            {t('merge.hint', { name: targetName })}
          </Text>
          <TextInput
            label={t('merge.searchLabel')}
            placeholder={t('merge.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-autofocus
            data-testid="merge-search"
          />
          <ScrollArea.Autosize mah={320}>
            {!q ? (
              <Text size="sm" c="dimmed" ta="center" py="md">
                {t('merge.typeToSearch')}
              </Text>
            ) : candidates.isPending ? (
              <Loading />
            ) : candidates.isError ? (
              <ErrorAlert error={candidates.error} />
            ) : found.length === 0 ? (
              <Text size="sm" c="dimmed" ta="center" py="md">
                {t('merge.noCandidates')}
              </Text>
            ) : (
              <Stack gap={6}>
                {found.slice(0, 20).map((c) => (
                  <Paper key={c.id} withBorder p="xs" data-testid="merge-candidate">
                    <Group justify="space-between" wrap="nowrap">
                      <Stack gap={2} style={{ minWidth: 0 }}>
                        <Group gap={6} wrap="nowrap">
                          <Text size="sm" fw={500} truncate>
                            {c.name || t('noName')}
                          </Text>
                          <ContactKindBadge kind={c.kind} />
                        </Group>
                        <Text size="xs" c="dimmed" truncate>
                          #{c.id} · {[c.email, c.phone].filter(Boolean).join(' · ') || t('noIdentities')}
                        </Text>
                      </Stack>
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setState({ step: 'confirm', source: c })}
                      >
                        {t('merge.choose')}
                      </Button>
                    </Group>
                  </Paper>
                ))}
              </Stack>
            )}
          </ScrollArea.Autosize>
        </Stack>
      )}

      {state.step === 'confirm' && (
        <Stack data-testid="merge-confirm">
          <Text fw={600}>{t('merge.confirmTitle')}</Text>
          <Group wrap="nowrap" align="stretch" gap="xs">
            <ContactCard contact={state.source} />
            <ThemeIcon variant="transparent" color="gray" style={{ alignSelf: 'center' }}>
              <IconArrowRight size={20} />
            </ThemeIcon>
            <ContactCard contact={target} />
          </Group>
          <Stack gap={2}>
            <Text size="sm">{t('merge.moves', { target: targetName })}</Text>
            <List size="sm" withPadding>
              <List.Item>{t('merge.movesIdentities', { count: state.source.identities.length })}</List.Item>
              <List.Item>{t('merge.movesTicketsAndBookings')}</List.Item>
            </List>
          </Stack>
          {state.source.kind !== target.kind && (
            <Alert color="yellow">
              {t('merge.kindsDiffer', { kind: t(`common:contactKind.${target.kind}`) })}
            </Alert>
          )}
          <Alert color="red" icon={<IconAlertTriangle size={18} />}>
            {t('merge.confirmText', { source: state.source.name || t('noName'), target: targetName })}
          </Alert>
          {merge.isError && <ErrorAlert error={merge.error} />}
          <Group justify="space-between">
            <Button
              variant="default"
              onClick={() => {
                merge.reset();
                setState({ step: 'pick' });
              }}
            >
              {t('merge.back')}
            </Button>
            <Button color="red" loading={merge.isPending} onClick={() => merge.mutate(state.source)}>
              {t('merge.confirm')}
            </Button>
          </Group>
        </Stack>
      )}

      {state.step === 'done' && (
        <Stack data-testid="merge-result">
          <Group gap="xs">
            <ThemeIcon color="teal" radius="xl">
              <IconCheck size={16} />
            </ThemeIcon>
            <Text fw={600}>{t('merge.doneTitle')}</Text>
          </Group>
          <Text size="sm">
            {t('merge.doneText', { source: state.source.name || t('noName'), target: targetName })}
          </Text>
          <MergedIdentities hadIdentityIds={state.hadIdentityIds} after={state.result} />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('merge.done')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
};

const MergedIdentities = ({ hadIdentityIds, after }: { hadIdentityIds: number[]; after: TContact }) => {
  const { t } = useTranslation('contacts');
  const had = new Set(hadIdentityIds);
  const added = after.identities.filter((i) => !had.has(i.id));
  if (added.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('merge.nothingAdded')}
      </Text>
    );
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('merge.added')}
      </Text>
      <Identities contact={{ identities: added }} />
    </Stack>
  );
};
