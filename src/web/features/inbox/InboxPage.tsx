import {
  Alert,
  Box,
  Button,
  Group,
  Loader,
  Stack,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconKeyboard, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { TBulkUpdateTicketsRequest, TTicket } from '../../../shared/schemas/tickets.ts';
import type { TView, TViewList } from '../../../shared/schemas/views.ts';
import { AppLayout } from '../../components/AppLayout.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useMe } from '../auth/session.tsx';
import { BulkBar } from './BulkBar.tsx';
import { FilterBar, SortPicker } from './FilterBar.tsx';
import { detectActivity, type TSeenTickets } from './inbox-activity.ts';
import { summarizeBulk } from './inbox-bulk.ts';
import {
  hasOverrides,
  mergeFilters,
  parseOverrides,
  serializeOverrides,
  type TOverrides,
  toListQuery,
} from './inbox-filters.ts';
import {
  bulkUpdate,
  createView,
  deleteView,
  updateView,
  useGroups,
  useTicketPages,
  useUsers,
  useViews,
} from './inbox-queries.ts';
import { DEFAULT_VIEW_ID } from './inbox-views.ts';
import { TicketList } from './TicketList.tsx';
import { DeleteViewModal, ViewNameModal } from './ViewDialogs.tsx';
import { useViewName, ViewsSidebar } from './ViewsSidebar.tsx';
import './inbox.css';

/** How long a row that just changed keeps its mark. */
const FRESH_MS = 90_000;
const MAX_FAILURES_SHOWN = 3;

/** The inbox: views with counts, filters in the URL, a virtualized live list, bulk actions. */
export const InboxPage = () => {
  const { t, i18n } = useTranslation('inbox');
  const errorText = (error: unknown) => errorMessage(error, t, i18n.language);
  const { me, can } = useMe();
  const meId = me.user?.id ?? null;
  const { viewId = DEFAULT_VIEW_ID } = useParams();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const viewName = useViewName();

  const overrides = useMemo(() => parseOverrides(searchParams), [searchParams]);
  const overridden = hasOverrides(overrides);
  const views = useViews();
  const view = views.data?.items.find((v) => v.id === viewId) ?? null;
  const filters = useMemo(() => (view ? mergeFilters(view.filters, overrides) : null), [view, overrides]);
  const query = useMemo(() => (filters ? toListQuery(filters) : null), [filters]);
  const listKey = `${viewId}?${serializeOverrides(overrides)}`;

  const tickets = useTicketPages(query);
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = tickets;
  const rows = useMemo(() => {
    const seen = new Set<number>();
    const list: TTicket[] = [];
    for (const page of tickets.data?.pages ?? [])
      for (const ticket of page.items)
        if (!seen.has(ticket.id)) {
          seen.add(ticket.id);
          list.push(ticket);
        }
    return list;
  }, [tickets.data]);
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const users = useUsers(can('user.read'));
  const groups = useGroups(can('group.read'));
  const userNames = useMemo(() => new Map(users.data?.items.map((u) => [u.id, u.name])), [users.data]);
  const groupNames = useMemo(() => new Map(groups.data?.items.map((g) => [g.id, g.name])), [groups.data]);
  const knownTags = useMemo(() => {
    const counts = new Map<string, number>();
    for (const r of rows) for (const tag of r.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag]) => tag);
  }, [rows]);

  // New activity: rows that arrived or changed on a live refetch keep a mark for a while.
  const seenRef = useRef<TSeenTickets | null>(null);
  const [fresh, setFresh] = useState<ReadonlyMap<number, number>>(new Map());
  const queryHash = JSON.stringify(query);
  useEffect(() => {
    if (!tickets.data || tickets.isPlaceholderData) return;
    const { changedIds, seen } = detectActivity(
      seenRef.current,
      queryHash,
      tickets.data.pages.map((p) => p.items),
    );
    seenRef.current = seen;
    if (changedIds.length === 0) return;
    const until = Date.now() + FRESH_MS;
    setFresh((prev) => new Map([...prev, ...changedIds.map((id) => [id, until] as const)]));
  }, [tickets.data, tickets.isPlaceholderData, queryHash]);
  useEffect(() => {
    if (fresh.size === 0) return;
    const wait = Math.max(0, Math.min(...fresh.values()) - Date.now()) + 50;
    const timer = setTimeout(
      () => setFresh((prev) => new Map([...prev].filter(([, until]) => until > Date.now()))),
      wait,
    );
    return () => clearTimeout(timer);
  }, [fresh]);
  const freshIds = useMemo(() => new Set(fresh.keys()), [fresh]);

  // Selection belongs to one list; a ticket that left the list leaves the selection.
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the list changes
  useEffect(() => {
    setSelected(new Set());
    setFresh(new Map());
  }, [listKey]);
  const selectedIds = useMemo(
    () => rows.filter((r) => selected.has(r.id)).map((r) => r.id),
    [rows, selected],
  );
  const canSelect = can('ticket.update');
  const toggle = useCallback(
    (id: number) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const toggleAll = useCallback(
    () =>
      setSelected((prev) => (rows.every((r) => prev.has(r.id)) ? new Set() : new Set(rows.map((r) => r.id)))),
    [rows],
  );

  const refreshLists = (ticketIds: number[] = []) => {
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    void queryClient.invalidateQueries({ queryKey: ['views'] });
    for (const id of ticketIds) void queryClient.invalidateQueries({ queryKey: ['ticket', id] });
  };

  const bulk = useMutation({
    mutationFn: ({ ids, set }: { ids: number[]; set: TBulkUpdateTicketsRequest['set'] }) =>
      bulkUpdate(ids, set),
    onSuccess: (results) => {
      const { total, okIds, failures } = summarizeBulk(results);
      const numberOf = (id: number) => rows.find((r) => r.id === id)?.number ?? id;
      notifications.show({
        color: failures.length === 0 ? 'teal' : okIds.length === 0 ? 'red' : 'yellow',
        title:
          failures.length === 0
            ? t('bulk.done', { count: okIds.length })
            : okIds.length === 0
              ? t('bulk.allFailed')
              : t('bulk.partial', { ok: okIds.length, total }),
        message: failures.length > 0 && (
          <Stack gap={2}>
            {failures.slice(0, MAX_FAILURES_SHOWN).map((f) => (
              <Text size="sm" key={f.id}>
                {t('bulk.failure', {
                  number: numberOf(f.id),
                  message: errorMessage(new ApiError(422, f.code, f.message), t, i18n.language),
                })}
              </Text>
            ))}
            {failures.length > MAX_FAILURES_SHOWN && (
              <Text size="sm" c="dimmed">
                {t('bulk.moreFailures', { count: failures.length - MAX_FAILURES_SHOWN })}
              </Text>
            )}
          </Stack>
        ),
        autoClose: failures.length === 0 ? 4000 : 10_000,
        withBorder: true,
      });
      // Failed tickets stay selected so the agent can look at them or try again.
      setSelected(new Set(failures.map((f) => f.id)));
      refreshLists(okIds);
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('bulk.failed'), message: errorText(error) }),
  });

  // Saved views: create from the current filters, rename, update filters, delete.
  const [nameDialog, setNameDialog] = useState<{ mode: 'create' } | { mode: 'rename'; view: TView } | null>(
    null,
  );
  const [deleting, setDeleting] = useState<TView | null>(null);
  const putView = (saved: TView) =>
    queryClient.setQueryData<TViewList>(['views'], (old) =>
      old
        ? {
            items: old.items.some((v) => v.id === saved.id)
              ? old.items.map((v) => (v.id === saved.id ? { ...v, ...saved } : v))
              : [...old.items, { ...saved, count: saved.count ?? 0 }],
          }
        : old,
    );
  const saveName = useMutation({
    mutationFn: async (name: string) => {
      if (nameDialog?.mode === 'rename') return updateView(nameDialog.view.id, { name });
      return createView(name, filters ?? {});
    },
    onSuccess: (saved) => {
      putView(saved);
      void queryClient.invalidateQueries({ queryKey: ['views'] });
      if (nameDialog?.mode === 'create') {
        notifications.show({ color: 'teal', message: t('saveView.created', { name: saved.name }) });
        navigate(`/inbox/${encodeURIComponent(saved.id)}`);
      } else notifications.show({ color: 'teal', message: t('saveView.renamed') });
      setNameDialog(null);
    },
  });
  const saveFilters = useMutation({
    mutationFn: () => updateView(view!.id, { filters: filters ?? {} }),
    onSuccess: (saved) => {
      putView(saved);
      void queryClient.invalidateQueries({ queryKey: ['views'] });
      navigate({ search: '' }, { replace: true });
      notifications.show({ color: 'teal', message: t('saveView.updated', { name: saved.name }) });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('saveView.failed'), message: errorText(error) }),
  });
  const removeView = useMutation({
    mutationFn: (target: TView) => deleteView(target.id),
    onSuccess: (_, target) => {
      queryClient.setQueryData<TViewList>(['views'], (old) =>
        old ? { items: old.items.filter((v) => v.id !== target.id) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: ['views'] });
      notifications.show({ color: 'teal', message: t('saveView.deleted', { name: target.name }) });
      setDeleting(null);
      if (target.id === viewId) navigate('/inbox');
    },
  });

  const title = view ? viewName(view) : t('title');
  useEffect(() => {
    document.title = `${title} · tourdesk`;
  }, [title]);

  // A plain search string keeps the commas of `status=open,pending` readable in shared links.
  const setOverrides = (next: TOverrides) => {
    const search = serializeOverrides(next);
    navigate({ search: search ? `?${search}` : '' });
  };

  const countText = !view
    ? null
    : !tickets.data || tickets.isPlaceholderData
      ? overridden
        ? null
        : t('list.total', { count: view.count })
      : !hasNextPage
        ? t('list.total', { count: rows.length })
        : overridden
          ? t('list.loaded', { count: rows.length })
          : t('list.total', { count: view.count });

  let body: React.ReactNode;
  if (views.isPending) body = <Loading />;
  else if (views.isError) body = <ErrorState error={views.error} onRetry={() => void views.refetch()} />;
  else if (views.data.items.length === 0)
    body = <EmptyState title={t('views.noInboxTitle')}>{t('views.noInboxText')}</EmptyState>;
  else if (!view || !filters)
    body = (
      <EmptyState title={t('views.notFound')}>
        <Stack gap="sm" align="center">
          <span>{t('views.notFoundText')}</span>
          <Button size="xs" variant="light" onClick={() => navigate('/inbox')}>
            {t('views.openDefault')}
          </Button>
        </Stack>
      </EmptyState>
    );
  else {
    let list: React.ReactNode;
    if (tickets.isPending) list = <Loading />;
    else if (tickets.isError && rows.length === 0)
      list = <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />;
    else if (rows.length === 0)
      list = overridden ? (
        <EmptyState title={t('list.empty.filteredTitle')}>
          <Stack gap="sm" align="center">
            <span>{t('list.empty.filteredText')}</span>
            <Button size="xs" variant="light" onClick={() => setOverrides({})}>
              {t('filters.reset')}
            </Button>
          </Stack>
        </EmptyState>
      ) : viewId === 'my-open' ? (
        <EmptyState title={t('list.empty.mineTitle')}>
          <Stack gap="sm" align="center">
            <span>{t('list.empty.mineText')}</span>
            <Button size="xs" variant="light" onClick={() => navigate('/inbox/unassigned')}>
              {t('list.empty.openUnassigned')}
            </Button>
          </Stack>
        </EmptyState>
      ) : (
        <EmptyState title={t('list.empty.title')}>{t('list.empty.text')}</EmptyState>
      );
    else
      list = (
        <TicketList
          key={listKey}
          listKey={listKey}
          rows={rows}
          hasNextPage={hasNextPage}
          isFetchingNextPage={isFetchingNextPage}
          fetchNextPage={loadMore}
          selected={selected}
          canSelect={canSelect}
          onToggle={toggle}
          onToggleAll={toggleAll}
          fresh={freshIds}
          userNames={userNames}
          groupNames={groupNames}
        />
      );

    body = (
      <>
        <Group justify="space-between" px="md" pt="md" pb="xs" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" miw={0} align="baseline">
            <Title
              order={1}
              size="h3"
              style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
            >
              {title}
            </Title>
            {countText && (
              <Text c="dimmed" size="sm" style={{ whiteSpace: 'nowrap' }} data-testid="inbox-count">
                {countText}
              </Text>
            )}
            {tickets.isFetching && !isFetchingNextPage && !tickets.isPending && (
              <Tooltip label={t('list.refreshing')}>
                <Loader size={12} aria-label={t('list.refreshing')} />
              </Tooltip>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Box visibleFrom="lg" style={{ lineHeight: 0 }}>
              <Tooltip label={t('list.hint')} withArrow>
                <IconKeyboard
                  size={18}
                  color="var(--mantine-color-gray-6)"
                  aria-label={t('list.hint')}
                  role="img"
                />
              </Tooltip>
            </Box>
            <SortPicker
              viewFilters={view.filters}
              filters={filters}
              overrides={overrides}
              onOverrides={setOverrides}
            />
            {overridden && view.kind === 'saved' && (
              <Button
                size="xs"
                variant="default"
                onClick={() => saveFilters.mutate()}
                loading={saveFilters.isPending}
                data-testid="view-update"
              >
                {t('saveView.update')}
              </Button>
            )}
            {overridden && (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconDeviceFloppy size={14} />}
                onClick={() => {
                  saveName.reset();
                  setNameDialog({ mode: 'create' });
                }}
                data-testid="view-save"
              >
                {t('saveView.button')}
              </Button>
            )}
          </Group>
        </Group>
        <FilterBar
          viewFilters={view.filters}
          filters={filters}
          overrides={overrides}
          onOverrides={setOverrides}
          users={users.data?.items}
          knownTags={knownTags}
        />
        {tickets.isError && rows.length > 0 && (
          <Alert color="red" mx="md" mb="xs" py={6} role="alert">
            <Group justify="space-between" gap="xs">
              <Text size="sm">{errorText(tickets.error)}</Text>
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                leftSection={<IconRefresh size={12} />}
                onClick={() => void tickets.refetch()}
              >
                {t('retry', { ns: 'common' })}
              </Button>
            </Group>
          </Alert>
        )}
        <VisuallyHidden role="status">
          {fresh.size > 0 ? t('list.newActivity', { count: fresh.size }) : ''}
        </VisuallyHidden>
        {list}
      </>
    );
  }

  return (
    <AppLayout
      sidebar={
        <ViewsSidebar
          views={views}
          activeId={viewId}
          onRename={(v) => {
            saveName.reset();
            setNameDialog({ mode: 'rename', view: v });
          }}
          onDelete={(v) => {
            removeView.reset();
            setDeleting(v);
          }}
        />
      }
    >
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>{body}</div>
      <BulkBar
        count={selectedIds.length}
        busy={bulk.isPending}
        meId={meId}
        users={users.data?.items}
        knownTags={knownTags}
        onApply={(set) => bulk.mutate({ ids: selectedIds, set })}
        onClear={() => setSelected(new Set())}
      />
      <ViewNameModal
        opened={nameDialog !== null}
        title={nameDialog?.mode === 'rename' ? t('saveView.renameTitle') : t('saveView.createTitle')}
        initialName={nameDialog?.mode === 'rename' ? nameDialog.view.name : ''}
        submitLabel={t('save', { ns: 'common' })}
        busy={saveName.isPending}
        error={saveName.error}
        onSubmit={(name) => saveName.mutate(name)}
        onClose={() => setNameDialog(null)}
      />
      <DeleteViewModal
        name={deleting?.name ?? null}
        busy={removeView.isPending}
        error={removeView.error}
        onConfirm={() => deleting && removeView.mutate(deleting)}
        onClose={() => setDeleting(null)}
      />
    </AppLayout>
  );
};

export default InboxPage;
