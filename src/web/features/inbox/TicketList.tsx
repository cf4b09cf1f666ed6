import { Badge, Button, Checkbox, Group, Loader, Text } from '@mantine/core';
import { useHotkeys, useMediaQuery } from '@mantine/hooks';
import { IconArrowUp, IconUser, IconUsersGroup } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { TTicket } from '../../../shared/schemas/tickets.ts';
import { ChannelBadge, PriorityBadge, StatusBadge } from '../../components/badges.tsx';
import { formatDateTime, formatShort } from '../../lib/format.ts';

const HEAD_HEIGHT = 34;
const ROW_HEIGHT = 60;
const ROW_HEIGHT_NARROW = 86;
const MAX_TAGS = 3;

/** Where the agent was in each list, so coming back from a ticket lands on the same row. */
const positions = new Map<string, { highlightedId: number | null; offset: number }>();

type TProps = {
  /** Identifies the list (view + filters) for the remembered position. */
  listKey: string;
  rows: TTicket[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  selected: ReadonlySet<number>;
  canSelect: boolean;
  onToggle: (id: number) => void;
  onToggleAll: () => void;
  fresh: ReadonlySet<number>;
  userNames: ReadonlyMap<number, string>;
  groupNames: ReadonlyMap<number, string>;
};

/** The inbox list: virtualized rows, j/k/Enter/x, infinite loading, new-activity marks. */
export const TicketList = ({
  listKey,
  rows,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  selected,
  canSelect,
  onToggle,
  onToggleAll,
  fresh,
  userNames,
  groupNames,
}: TProps) => {
  const { t } = useTranslation('inbox');
  const navigate = useNavigate();
  const narrow = useMediaQuery('(max-width: 61.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const rowHeight = narrow ? ROW_HEIGHT_NARROW : ROW_HEIGHT;
  const scrollRef = useRef<HTMLDivElement>(null);
  const remembered = positions.get(listKey);
  const [highlightedId, setHighlightedId] = useState<number | null>(remembered?.highlightedId ?? null);
  const lastIndex = useRef(-1);

  const virtualizer = useVirtualizer({
    count: rows.length + 1,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // The sticky column header sits inside the scroller: rows start below it and scroll to below it.
    paddingStart: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    // Room below the last row for the floating bulk-action bar.
    paddingEnd: 72,
    initialOffset: remembered?.offset ?? 0,
    getItemKey: (index) => rows[index]?.id ?? 'footer',
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure when the layout switches row height
  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  // Remember where we were for the way back from a ticket.
  const offset = virtualizer.scrollOffset ?? 0;
  useEffect(() => {
    positions.set(listKey, { highlightedId, offset });
  }, [listKey, highlightedId, offset]);

  const items = virtualizer.getVirtualItems();
  const lastVisible = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastVisible >= rows.length - 10) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastVisible, rows.length, fetchNextPage]);

  const highlightedIndex = highlightedId === null ? -1 : rows.findIndex((r) => r.id === highlightedId);
  if (highlightedIndex >= 0) lastIndex.current = highlightedIndex;

  // Keyboard moves put real focus on the row's link (screen readers follow, Enter opens it natively).
  const focusRequest = useRef<number | null>(null);
  const move = (delta: number) => {
    if (rows.length === 0) return;
    const from = highlightedIndex >= 0 ? highlightedIndex : lastIndex.current;
    const next =
      from < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, from + (highlightedIndex >= 0 ? delta : 0)));
    setHighlightedId(rows[next].id);
    focusRequest.current = rows[next].id;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  useEffect(() => {
    const id = focusRequest.current;
    if (id === null || id !== highlightedId) return;
    let frame = 0;
    let tries = 0;
    const tryFocus = () => {
      const link = document.querySelector<HTMLElement>(`#ticket-row-${id} .td-inbox-subject`);
      if (link) {
        link.focus({ preventScroll: true });
        focusRequest.current = null;
      } else if (tries++ < 10) frame = requestAnimationFrame(tryFocus);
    };
    tryFocus();
    return () => cancelAnimationFrame(frame);
  });

  // Physical keys, so j/k/x also work with a Russian keyboard layout; an open dialog keeps its keys.
  const inDialog = (event: KeyboardEvent) =>
    (event.target as HTMLElement | null)?.closest('[role="dialog"]') != null;
  useHotkeys([
    ['j', (event) => !inDialog(event) && move(1), { usePhysicalKeys: true }],
    ['k', (event) => !inDialog(event) && move(-1), { usePhysicalKeys: true }],
    [
      'Enter',
      (event) => {
        const target = event.target as HTMLElement | null;
        if (target?.closest('a, button, [role="option"], [role="menuitem"], [role="dialog"]')) return;
        if (highlightedId !== null && highlightedIndex >= 0) navigate(`/tickets/${highlightedId}`);
      },
      { preventDefault: false },
    ],
    [
      'x',
      (event) => {
        if (inDialog(event)) return;
        if (canSelect && highlightedId !== null && highlightedIndex >= 0) onToggle(highlightedId);
      },
      { usePhysicalKeys: true },
    ],
  ]);

  const firstVisible = items.find((i) => i.end > (virtualizer.scrollOffset ?? 0))?.index ?? 0;
  const freshAbove = rows.slice(0, firstVisible).filter((r) => fresh.has(r.id)).length;
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someSelected = !allSelected && rows.some((r) => selected.has(r.id));

  return (
    <div className={`td-inbox-grid${narrow ? ' td-inbox-narrow' : ''}`} data-testid="inbox-list">
      <div ref={scrollRef} className="td-inbox-scroll">
        <table
          className="td-inbox-table"
          aria-label={t('list.label')}
          aria-rowcount={hasNextPage ? -1 : rows.length + 1}
        >
          <thead className="td-inbox-thead">
            <tr className="td-inbox-head" aria-rowindex={1}>
              <th scope="col">
                {canSelect && (
                  <Checkbox
                    size="xs"
                    aria-label={t('list.selectAll')}
                    checked={allSelected}
                    indeterminate={someSelected}
                    onChange={onToggleAll}
                    data-testid="select-all"
                  />
                )}
              </th>
              <th scope="col">{t('list.columns.ticket')}</th>
              {!narrow && <th scope="col">{t('list.columns.state')}</th>}
              {!narrow && <th scope="col">{t('list.columns.people')}</th>}
              <th scope="col" className="td-inbox-time">
                {t('list.columns.activity')}
              </th>
            </tr>
          </thead>
          <tbody style={{ height: virtualizer.getTotalSize() - HEAD_HEIGHT }}>
            {items.map((item) => {
              const ticket = rows[item.index];
              const top = item.start - HEAD_HEIGHT;
              if (!ticket)
                return (
                  <tr
                    key={item.key}
                    className="td-inbox-footer"
                    style={{ height: item.size, transform: `translateY(${top}px)` }}
                  >
                    <td>
                      {isFetchingNextPage ? (
                        <Group gap="xs">
                          <Loader size="xs" />
                          <Text size="xs" c="dimmed">
                            {t('list.loadingMore')}
                          </Text>
                        </Group>
                      ) : hasNextPage ? (
                        <Button size="xs" variant="subtle" onClick={fetchNextPage} data-testid="load-more">
                          {t('list.loadMore')}
                        </Button>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {t('list.end')}
                        </Text>
                      )}
                    </td>
                  </tr>
                );
              return (
                <TicketRow
                  key={item.key}
                  ticket={ticket}
                  index={item.index}
                  top={top}
                  height={item.size}
                  narrow={narrow}
                  isHighlighted={ticket.id === highlightedId}
                  isSelected={selected.has(ticket.id)}
                  isFresh={fresh.has(ticket.id)}
                  canSelect={canSelect}
                  assigneeName={
                    ticket.assigneeId === null
                      ? null
                      : (userNames.get(ticket.assigneeId) ?? `#${ticket.assigneeId}`)
                  }
                  groupName={
                    ticket.groupId === null ? null : (groupNames.get(ticket.groupId) ?? `#${ticket.groupId}`)
                  }
                  onToggle={onToggle}
                  onHighlight={setHighlightedId}
                />
              );
            })}
          </tbody>
        </table>
      </div>
      {freshAbove > 0 && (
        <Button
          className="td-inbox-pill"
          size="compact-sm"
          radius="xl"
          variant="filled"
          color="blue"
          leftSection={<IconArrowUp size={14} />}
          onClick={() => virtualizer.scrollToIndex(0)}
          data-testid="new-activity"
        >
          {t('list.newActivity', { count: freshAbove })}
        </Button>
      )}
    </div>
  );
};

type TRowProps = {
  ticket: TTicket;
  index: number;
  top: number;
  height: number;
  narrow: boolean;
  isHighlighted: boolean;
  isSelected: boolean;
  isFresh: boolean;
  canSelect: boolean;
  assigneeName: string | null;
  groupName: string | null;
  onToggle: (id: number) => void;
  onHighlight: (id: number) => void;
};

/** One ticket; the subject link stretches over the row, so a click anywhere opens it (and ctrl-click too). */
const TicketRow = memo(
  ({
    ticket,
    index,
    top,
    height,
    narrow,
    isHighlighted,
    isSelected,
    isFresh,
    canSelect,
    assigneeName,
    groupName,
    onToggle,
    onHighlight,
  }: TRowProps) => {
    const { t, i18n } = useTranslation('inbox');
    const { t: tc } = useTranslation();
    const lang = i18n.language;
    const tags = ticket.tags.slice(0, MAX_TAGS);
    const moreTags = ticket.tags.length - tags.length;

    const assignee = (
      <span className="td-inbox-meta td-inbox-person">
        <IconUser size={12} aria-hidden />
        <Text
          span
          size="xs"
          c={assigneeName ? 'gray.8' : 'dimmed'}
          fs={assigneeName ? undefined : 'italic'}
          truncate
        >
          {assigneeName ?? t('list.unassigned')}
        </Text>
      </span>
    );
    const group = (
      <span className="td-inbox-meta td-inbox-person">
        <IconUsersGroup size={12} aria-hidden />
        <Text span size="xs" c="dimmed" truncate>
          {groupName ?? t('list.noGroup')}
        </Text>
      </span>
    );

    return (
      <tr
        id={`ticket-row-${ticket.id}`}
        className="td-inbox-row"
        aria-rowindex={index + 2}
        aria-selected={canSelect ? isSelected : undefined}
        data-testid="ticket-row"
        data-ticket-id={ticket.id}
        data-highlighted={isHighlighted || undefined}
        data-selected={isSelected || undefined}
        data-fresh={isFresh || undefined}
        style={{ height, transform: `translateY(${top}px)` }}
      >
        <td className="td-inbox-check">
          {canSelect && (
            <Checkbox
              size="xs"
              aria-label={t('list.selectTicket', { number: ticket.number })}
              checked={isSelected}
              onChange={() => onToggle(ticket.id)}
            />
          )}
        </td>
        <td className="td-inbox-main">
          <div className="td-inbox-line">
            <span className="td-inbox-number">#{ticket.number}</span>
            {isFresh && <span className="td-inbox-fresh-dot" title={t('list.freshRow')} />}
            <Link
              to={`/tickets/${ticket.id}`}
              className="td-inbox-subject"
              data-unread={ticket.status === 'new' || undefined}
              tabIndex={isHighlighted ? 0 : -1}
              onFocus={() => onHighlight(ticket.id)}
            >
              {ticket.subject}
            </Link>
          </div>
          <div className="td-inbox-line">
            <span className="td-inbox-requester">{ticket.requesterName}</span>
            <span className="td-inbox-meta td-inbox-kind" data-kind={ticket.requesterKind}>
              {tc(`contactKind.${ticket.requesterKind}`)}
            </span>
            <ChannelBadge channel={ticket.channel} />
            {tags.map((tag) => (
              <Badge
                key={tag}
                size="xs"
                variant="default"
                radius="sm"
                tt="none"
                fw={500}
                style={{ flex: 'none' }}
              >
                {tag}
              </Badge>
            ))}
            {moreTags > 0 && (
              <Text span size="xs" c="dimmed">
                +{moreTags}
              </Text>
            )}
          </div>
          {narrow && (
            <div className="td-inbox-line">
              <StatusBadge status={ticket.status} />
              <PriorityBadge priority={ticket.priority} />
              {assignee}
              {group}
            </div>
          )}
        </td>
        {!narrow && (
          <td className="td-inbox-cell td-inbox-state">
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
          </td>
        )}
        {!narrow && (
          <td className="td-inbox-cell">
            {assignee}
            {group}
          </td>
        )}
        <td className="td-inbox-time">
          <time
            dateTime={ticket.updatedAt}
            title={t('list.updatedAt', { date: formatDateTime(ticket.updatedAt, lang) })}
          >
            {formatShort(ticket.updatedAt, lang)}
          </time>
        </td>
      </tr>
    );
  },
);
