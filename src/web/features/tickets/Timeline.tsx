import { Anchor, Box, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconHistory, IconMessages } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TMessage, TTicketEvent } from '../../../shared/schemas/tickets.ts';
import { EmptyState } from '../../components/PageState.tsx';
import { formatDateTime, formatShort } from '../../lib/format.ts';
import { MessageItem } from './MessageItem.tsx';
import { describeEvent, type TEventLabels } from './ticket-events.ts';
import { buildTimeline } from './timeline.ts';

export type TNames = { users: Map<number, string>; groups: Map<number, string> };

const useEventLabels = (names: TNames): TEventLabels => {
  const { t } = useTranslation('tickets');
  const { t: tc } = useTranslation();
  return useMemo(
    () => ({
      status: (s) => tc(`status.${s}`, { defaultValue: s }),
      priority: (p) => tc(`priority.${p}`, { defaultValue: p }),
      user: (id) => names.users.get(id) ?? `#${id}`,
      group: (id) => names.groups.get(id) ?? `#${id}`,
      category: (c) => t(`category.${c}`, { defaultValue: c }),
      linkKind: (k) => t(`linkKind.${k}`, { defaultValue: k }),
      system: t('systemActor'),
      none: '—',
    }),
    [t, tc, names],
  );
};

const EventLine = ({ event, labels }: { event: TTicketEvent; labels: TEventLabels }) => {
  const { t, i18n } = useTranslation('tickets');
  const d = describeEvent(event, labels);
  const values = {
    ...d.values,
    verb: t(`verb.${d.verb}`, { context: d.gender ?? undefined }),
    ...(typeof d.values.what === 'string' && { what: t(`what.${d.values.what}`) }),
  };
  return (
    <Group gap={8} wrap="nowrap" align="baseline" data-testid="event" data-type={event.type}>
      <Text
        size="xs"
        c="dimmed"
        style={{ whiteSpace: 'nowrap' }}
        title={formatDateTime(event.at, i18n.language)}
      >
        {formatShort(event.at, i18n.language)}
      </Text>
      <Text size="xs" c="gray.7">
        <Trans
          t={t}
          i18nKey={`event.${d.key}`}
          values={values}
          components={{
            link: d.ticketId ? <Anchor component={Link} to={`/tickets/${d.ticketId}`} size="xs" /> : <span />,
          }}
        />
      </Text>
    </Group>
  );
};

/** Events between two messages: up to two show as they are; of more, the latest shows and the rest fold. */
const EventGroup = ({ events, labels }: { events: TTicketEvent[]; labels: TEventLabels }) => {
  const { t } = useTranslation('tickets');
  const [open, setOpen] = useState(false);
  const folded = events.length > 2 && !open;
  const visible = folded ? events.slice(-1) : events;
  return (
    <Box className="td-events" data-testid="event-group" data-count={events.length}>
      {events.length > 2 && (
        <UnstyledButton
          onClick={() => setOpen((v) => !v)}
          aria-expanded={open}
          className="td-events-toggle"
          mb={2}
        >
          <Group gap={6} wrap="nowrap">
            {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            <IconHistory size={14} color="var(--mantine-color-gray-6)" />
            <Text size="xs" c="gray.7">
              {open ? t('timeline.collapseEvents') : t('timeline.moreEvents', { count: events.length - 1 })}
            </Text>
          </Group>
        </UnstyledButton>
      )}
      <Stack gap={2}>
        {visible.map((e) => (
          <EventLine key={e.id} event={e} labels={labels} />
        ))}
      </Stack>
    </Box>
  );
};

/** The conversation: messages oldest first, with what happened in between. */
export const Timeline = ({
  messages,
  events,
  names,
  showEvents,
  highlightIds,
  canWrite,
}: {
  messages: TMessage[];
  events: TTicketEvent[];
  names: TNames;
  showEvents: boolean;
  highlightIds: ReadonlySet<number>;
  /** Whether the empty state may invite a first reply. */
  canWrite: boolean;
}) => {
  const { t } = useTranslation('tickets');
  const labels = useEventLabels(names);
  const items = useMemo(
    () => buildTimeline(messages, showEvents ? events : []),
    [messages, events, showEvents],
  );

  return (
    <Stack gap="sm" data-testid="timeline" aria-label={t('timeline.label')} component="section">
      {items.map((item) =>
        item.kind === 'message' ? (
          <MessageItem
            key={item.key}
            message={item.message}
            highlighted={highlightIds.has(item.message.id)}
          />
        ) : (
          <EventGroup key={item.key} events={item.events} labels={labels} />
        ),
      )}
      {messages.length === 0 && (
        <EmptyState
          title={t('timeline.empty')}
          icon={<IconMessages size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        >
          {canWrite ? t('timeline.emptyText') : undefined}
        </EmptyState>
      )}
    </Stack>
  );
};
