import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSearch } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { LINK_KINDS, type TLinkKind, type TTicketStatus } from '../../../shared/enums.ts';
import type { TTicketDetail } from '../../../shared/schemas/tickets.ts';
import { StatusBadge } from '../../components/badges.tsx';
import { api } from '../../lib/api.ts';
import { errorText } from './errors.ts';
import { ticketKey } from './ticket-api.ts';

export type TPickerMode = 'merge' | 'link';
type TCandidate = { id: number; subject: string; status: TTicketStatus | null };
type TSearchHit = { type: string; id: number; ticketId: number | null; title: string };

/** "1234", "#1234", "№1234" → 1234. */
const ticketNumberOf = (q: string): number | null => {
  const m = /^\s*[#№]?\s*(\d{1,10})\s*$/.exec(q);
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
};

/** Pick another ticket by number or text, then confirm the merge or the link. */
export const TicketPickerModal = ({
  ticket,
  mode,
  onClose,
}: {
  ticket: TTicketDetail;
  mode: TPickerMode | null;
  onClose: () => void;
}) => {
  const { t } = useTranslation('tickets');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 300);
  const [selected, setSelected] = useState<TCandidate | null>(null);
  const [kind, setKind] = useState<TLinkKind>('related');
  const number = ticketNumberOf(debounced);
  // Typed but not yet searched: neither the suggestions nor stale results fit.
  const typing = query.trim() !== debounced;

  const byNumber = useQuery({
    queryKey: ticketKey(number ?? 0),
    queryFn: ({ signal }) => api.get<TTicketDetail>(`/tickets/${number}`, undefined, { signal }),
    enabled: mode !== null && number !== null,
    retry: false,
  });
  const byText = useQuery({
    queryKey: ['search', debounced, 'tickets-picker'],
    queryFn: ({ signal }) =>
      api.get<{ items: TSearchHit[] }>('/search', { q: debounced, limit: 20 }, { signal }),
    enabled: mode !== null && number === null && debounced.length >= 2,
  });

  const close = () => {
    setQuery('');
    setSelected(null);
    setKind('related');
    run.reset();
    onClose();
  };

  const run = useMutation({
    mutationFn: async (target: TCandidate) => {
      if (mode === 'merge')
        return api.post<TTicketDetail>(`/tickets/${ticket.id}/merge`, { targetId: target.id });
      return api.post<TTicketDetail>(`/tickets/${ticket.id}/links`, { targetId: target.id, kind });
    },
    onSuccess: (detail, target) => {
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void queryClient.invalidateQueries({ queryKey: ['ticket', target.id] });
      queryClient.setQueryData(ticketKey(detail.id), detail);
      if (mode === 'merge') {
        notifications.show({
          color: 'teal',
          message: t('picker.merged', { source: ticket.number, target: target.id }),
        });
        close();
        navigate(`/tickets/${target.id}`);
      } else {
        notifications.show({
          color: 'teal',
          message: t('picker.linked', { source: ticket.number, target: target.id }),
        });
        close();
      }
    },
  });

  const suggestions: TCandidate[] = ticket.previousTickets
    .filter((p) => mode !== 'merge' || p.status !== 'closed')
    .map((p) => ({ id: p.id, subject: p.subject, status: p.status as TTicketStatus }));

  let candidates: TCandidate[] = [];
  let heading = t('picker.suggestions');
  if (typing) heading = t('picker.results');
  else if (number !== null) {
    heading = t('picker.results');
    candidates = byNumber.data
      ? [{ id: byNumber.data.id, subject: byNumber.data.subject, status: byNumber.data.status }]
      : [];
  } else if (debounced.length >= 2) {
    heading = t('picker.results');
    const seen = new Set<number>();
    for (const hit of byText.data?.items ?? []) {
      const id = hit.ticketId;
      if (id === null || seen.has(id)) continue;
      seen.add(id);
      candidates.push({ id, subject: hit.title, status: null });
    }
  } else candidates = suggestions;
  const searching =
    typing || (number !== null && byNumber.isFetching) || (number === null && byText.isFetching);

  const title =
    mode === 'merge'
      ? t('picker.mergeTitle', { number: ticket.number })
      : t('picker.linkTitle', { number: ticket.number });

  return (
    <Modal opened={mode !== null} onClose={close} title={title} size="lg" data-testid="ticket-picker">
      {selected === null ? (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {mode === 'merge' ? t('picker.mergeHint') : t('picker.linkHint')}
          </Text>
          <TextInput
            label={t('picker.search')}
            placeholder={t('picker.searchPlaceholder')}
            leftSection={<IconSearch size={15} />}
            rightSection={searching ? <Loader size={14} /> : null}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-autofocus
            data-testid="picker-search"
          />
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            {heading}
          </Text>
          {candidates.length === 0 && !searching && (
            <Text size="sm" c="dimmed">
              {t('picker.noResults')}
            </Text>
          )}
          <Stack gap={2} mah={320} style={{ overflowY: 'auto' }}>
            {candidates.map((c) => {
              const isSelf = c.id === ticket.id;
              return (
                <UnstyledButton
                  key={c.id}
                  className="td-pick-row"
                  disabled={isSelf}
                  onClick={() => setSelected(c)}
                  data-testid="picker-candidate"
                  data-ticket-id={c.id}
                >
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <Text size="sm" truncate>
                      <b>{t('ticketNumber', { number: c.id })}</b> · {c.subject}
                      {isSelf && ` (${t('picker.self')})`}
                    </Text>
                    {c.status && <StatusBadge status={c.status} />}
                  </Group>
                </UnstyledButton>
              );
            })}
          </Stack>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Text fw={600}>
            {mode === 'merge'
              ? t('picker.confirmMerge', { source: ticket.number, target: selected.id })
              : t('picker.confirmLink', {
                  source: ticket.number,
                  target: selected.id,
                  kind: t(`linkKind.${kind}`),
                })}
          </Text>
          {mode === 'merge' ? (
            <Alert color="orange" p="xs">
              {t('picker.confirmMergeText', {
                source: ticket.number,
                target: selected.id,
                sourceSubject: ticket.subject,
                targetSubject: selected.subject,
              })}
            </Alert>
          ) : (
            <div>
              <Text size="sm" fw={500} mb={4} id="link-kind-label">
                {t('picker.kind')}
              </Text>
              <SegmentedControl
                aria-labelledby="link-kind-label"
                value={kind}
                onChange={(v) => setKind(v as TLinkKind)}
                data={LINK_KINDS.map((k) => ({ value: k, label: t(`linkKind.${k}`) }))}
              />
            </div>
          )}
          {run.isError && (
            <Alert color="red" p="xs" role="alert">
              {errorText(run.error)}
            </Alert>
          )}
          <Group justify="space-between">
            <Button variant="default" onClick={() => setSelected(null)} disabled={run.isPending}>
              {t('picker.back')}
            </Button>
            <Button
              color={mode === 'merge' ? 'red' : undefined}
              onClick={() => run.mutate(selected)}
              loading={run.isPending}
              data-testid="picker-confirm"
            >
              {mode === 'merge' ? t('picker.doMerge') : t('picker.doLink')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
};
