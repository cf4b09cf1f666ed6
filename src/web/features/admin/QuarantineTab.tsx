import { Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailCheck } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  TQuarantineItem,
  TQuarantineRetryResult,
  TQuarantineStatus,
} from '../../../shared/schemas/email-quarantine.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { api } from '../../lib/api.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';

type TFilter = TQuarantineStatus | 'all';
type TPage = { items: TQuarantineItem[]; nextCursor: string | null };

const STATUS_COLOR: Record<TQuarantineStatus, string> = {
  held: 'orange',
  imported: 'teal',
  discarded: 'gray',
};

const useQuarantine = (filter: TFilter) =>
  useInfiniteQuery({
    queryKey: ['email-quarantine', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<TPage>(
        '/email/quarantine',
        { limit: 50, cursor: pageParam, status: filter === 'all' ? undefined : filter },
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** Inbound emails that could not be parsed or stored: the reason, retry from the raw source, discard. */
export const QuarantineTab = () => {
  const { t, i18n } = useTranslation('admin');
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<TFilter>('held');
  const [discarding, setDiscarding] = useState<TQuarantineItem | null>(null);
  const list = useQuarantine(filter);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['email-quarantine'] });

  const retry = useMutation({
    mutationFn: (item: TQuarantineItem) =>
      api.post<TQuarantineRetryResult>(`/email/quarantine/${item.id}/retry`),
    onSuccess: (result) => {
      void refresh();
      if (result.item.status === 'imported') {
        notifications.show({
          color: 'teal',
          message: result.ticketId
            ? t('quarantine.imported', { ticketId: result.ticketId })
            : t('quarantine.importedNoTicket'),
        });
      } else {
        notifications.show({
          color: 'orange',
          message: t('quarantine.stillHeld', { reason: result.item.reason }),
        });
      }
    },
    onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
  });

  const discard = useMutation({
    mutationFn: (item: TQuarantineItem) => api.post<TQuarantineItem>(`/email/quarantine/${item.id}/discard`),
    onSuccess: () => {
      void refresh();
      notifications.show({ color: 'teal', message: t('quarantine.discarded') });
      setDiscarding(null);
    },
  });

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md" data-testid="quarantine">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Text size="sm" c="dimmed" maw={640}>
          {t('quarantine.intro')}
        </Text>
        <SegmentedControl
          value={filter}
          onChange={(value) => setFilter(value as TFilter)}
          aria-label={t('quarantine.filterLabel')}
          data={(['held', 'imported', 'discarded', 'all'] as const).map((value) => ({
            value,
            label: t(`quarantine.filter.${value}`),
          }))}
        />
      </Group>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title={filter === 'held' ? t('quarantine.empty') : t('quarantine.emptyFiltered')}
          icon={<IconMailCheck size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        >
          {filter === 'held' ? t('quarantine.emptyText') : undefined}
        </EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('quarantine.columns.received')}</Table.Th>
                  <Table.Th>{t('quarantine.columns.message')}</Table.Th>
                  <Table.Th>{t('quarantine.columns.reason')}</Table.Th>
                  <Table.Th>{t('quarantine.columns.status')}</Table.Th>
                  <Table.Th ta="right">{t('quarantine.columns.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id} data-testid="quarantine-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Tooltip label={formatDateTime(item.createdAt, lang)}>
                        <Text size="sm">{formatRelative(item.createdAt, lang)}</Text>
                      </Tooltip>
                      <Text size="xs" c="dimmed">
                        {item.source.toUpperCase()} · {item.mailboxAddress ?? t('quarantine.noMailbox')}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={320}>
                      <Text size="sm" fw={500} lineClamp={1}>
                        {item.subject || t('quarantine.noSubject')}
                      </Text>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {item.from ?? t('quarantine.unknownSender')} · {kilobytes(item.sizeBytes)}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Tooltip label={item.reason} multiline w={420} openDelay={300}>
                        <Text size="sm" lineClamp={2} data-testid="quarantine-reason">
                          {item.reason}
                        </Text>
                      </Tooltip>
                      {item.attempts > 1 && (
                        <Text size="xs" c="dimmed">
                          {t('quarantine.attempts', { count: item.attempts })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={STATUS_COLOR[item.status]}
                        variant="light"
                        style={{ minWidth: 'max-content' }}
                      >
                        {t(`quarantine.status.${item.status}`)}
                      </Badge>
                      {item.resolvedAt && (
                        <Text size="xs" c="dimmed">
                          {formatDateTime(item.resolvedAt, lang)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {item.status === 'held' && (
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="light"
                            loading={retry.isPending && retry.variables?.id === item.id}
                            onClick={() => retry.mutate(item)}
                            data-testid="quarantine-retry"
                          >
                            {t('quarantine.retry')}
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => setDiscarding(item)}
                            data-testid="quarantine-discard"
                          >
                            {t('quarantine.discard')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                loading={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {t('quarantine.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
      <Modal
        opened={discarding !== null}
        onClose={() => {
          setDiscarding(null);
          discard.reset();
        }}
        title={t('quarantine.discardTitle')}
        centered
      >
        <Stack>
          <Text size="sm">{t('quarantine.discardText')}</Text>
          {discard.isError && <ErrorAlert error={discard.error} />}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setDiscarding(null)}>
              {t('common:cancel')}
            </Button>
            <Button
              color="red"
              loading={discard.isPending}
              onClick={() => discarding && discard.mutate(discarding)}
            >
              {t('quarantine.discard')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
};
