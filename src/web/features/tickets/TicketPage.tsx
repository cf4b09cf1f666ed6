import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Drawer,
  Group,
  Menu,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useLocalStorage, useMediaQuery } from '@mantine/hooks';
import {
  IconArrowMerge,
  IconDotsVertical,
  IconInfoCircle,
  IconLayoutSidebarRight,
  IconLink,
  IconSparkles,
} from '@tabler/icons-react';
import { type ReactNode, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TMessage, TTicketDetail, TTicketEvent } from '../../../shared/schemas/tickets.ts';
import { AppLayout } from '../../components/AppLayout.tsx';
import { ChannelBadge, PriorityBadge, StatusBadge } from '../../components/badges.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { stream } from '../../lib/stream.ts';
import { useMe } from '../auth/session.tsx';
import { CollisionIndicator } from './CollisionIndicator.tsx';
import { Composer, type TComposerHandle } from './Composer.tsx';
import { PropertiesPanel } from './PropertiesPanel.tsx';
import { RequesterPanel } from './RequesterPanel.tsx';
import { TicketPickerModal, type TPickerMode } from './TicketPickerModal.tsx';
import { Timeline, type TNames } from './Timeline.tsx';
import { useEvents, useGroups, useMessages, useTicket, useUsers } from './ticket-api.ts';
import { newMessagesSince } from './timeline.ts';
import './ticket.css';
import { useTicketPresence } from './use-presence.ts';

const LinkedTickets = ({ ticket }: { ticket: TTicketDetail }) => {
  const { t } = useTranslation('tickets');
  if (ticket.links.length === 0) return null;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="ticket-links-title">
      <Title order={4} size="h5" id="ticket-links-title" mb={6}>
        {t('links.title')}
      </Title>
      <Stack gap={6} data-testid="ticket-links">
        {ticket.links.map((l) => (
          <div key={`${l.direction}-${l.ticketId}-${l.kind}`}>
            <Anchor component={Link} to={`/tickets/${l.ticketId}`} size="sm" lineClamp={2}>
              {t('ticketNumber', { number: l.ticketId })} · {l.subject}
            </Anchor>
            <Group gap={6} mt={2}>
              <StatusBadge status={l.status} />
              <Text size="xs" c="dimmed">
                {t(`links.${l.direction}`, { kind: t(`linkKind.${l.kind}`) })}
              </Text>
            </Group>
          </div>
        ))}
      </Stack>
    </Paper>
  );
};

/** What arrived while the agent was writing: shown above the draft, before it is sent. */
const NewActivityNotice = ({
  messages,
  changedBy,
  onShow,
  onDismiss,
}: {
  messages: TMessage[];
  changedBy: string[];
  onShow: () => void;
  onDismiss: () => void;
}) => {
  const { t } = useTranslation('tickets');
  if (messages.length === 0 && changedBy.length === 0) return null;
  const parts = [
    ...(messages.length > 0
      ? [
          t('composer.newMessage', {
            count: messages.length,
            names: [...new Set(messages.map((m) => m.authorName))].join(', '),
          }),
        ]
      : []),
    ...(changedBy.length > 0 ? [t('composer.newChange', { names: [...new Set(changedBy)].join(', ') })] : []),
  ];
  return (
    <Alert
      color="blue"
      variant="filled"
      p="xs"
      mb="xs"
      icon={<IconSparkles size={18} />}
      role="alert"
      data-testid="new-activity"
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm">
          <b>{t('composer.newActivity')}</b> {parts.join('; ')}. {t('composer.newActivityCheck')}
        </Text>
        <Group gap={6}>
          {messages.length > 0 && (
            <Button size="compact-xs" variant="white" onClick={onShow}>
              {t('composer.showNew')}
            </Button>
          )}
          <Button size="compact-xs" variant="outline" color="white" onClick={onDismiss}>
            {t('composer.dismiss')}
          </Button>
        </Group>
      </Group>
    </Alert>
  );
};

const TicketScreen = ({ ticketId }: { ticketId: number }) => {
  const { t, i18n } = useTranslation('tickets');
  const { me, can } = useMe();
  const meId = me.user?.id ?? null;
  const ticketQ = useTicket(ticketId);
  const messagesQ = useMessages(ticketId);
  const eventsQ = useEvents(ticketId);
  const usersQ = useUsers();
  const groupsQ = useGroups();
  const presence = useTicketPresence(ticketId, meId);
  const wide = useMediaQuery('(min-width: 75em)', true);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [picker, setPicker] = useState<TPickerMode | null>(null);
  const [showEvents, setShowEvents] = useLocalStorage({
    key: 'tourdesk.ticket.showEvents',
    defaultValue: true,
  });
  const composer = useRef<TComposerHandle>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const messages = messagesQ.data?.items ?? [];
  const events = eventsQ.data?.items ?? [];

  // While a draft is open: which messages the agent had seen, and who changed the ticket since.
  const [hasDraft, setHasDraft] = useState(false);
  const hasDraftRef = useRef(false);
  const [seenIds, setSeenIds] = useState<ReadonlySet<number> | null>(null);
  const [changedBy, setChangedBy] = useState<string[]>([]);
  const [highlight, setHighlight] = useState<ReadonlySet<number>>(new Set());

  const onDraftChange = (next: boolean) => {
    hasDraftRef.current = next;
    if (next === hasDraft) return;
    setHasDraft(next);
    if (next) setSeenIds(new Set(messages.map((m) => m.id)));
    else {
      setSeenIds(null);
      setChangedBy([]);
      presence.stopTyping();
    }
  };

  useEffect(
    () =>
      stream.subscribe((message) => {
        if (message.type !== 'ticket.event' || message.ticketId !== ticketId || !hasDraftRef.current) return;
        const event = message.event as Partial<TTicketEvent> & { type: string };
        if (event.type === 'message_added' || event.type === 'note_added') return; // counted from messages
        if (event.actor?.kind === 'user' && event.actor.id === meId) return;
        setChangedBy((list) => [...list, event.actor?.name ?? t('systemActor')]);
      }),
    [ticketId, meId, t],
  );

  const arrived = seenIds ? newMessagesSince(messages, seenIds, meId) : [];

  // Keep the newest message in view: at first load, and when something arrives while at the bottom.
  const lastId = messages.at(-1)?.id ?? 0;
  const stuckToBottom = useRef(true);
  // The scroller mounts with the ticket, which may arrive after the messages.
  const ready = ticketQ.isSuccess;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !ready || lastId === 0) return;
    if (stuckToBottom.current) el.scrollTop = el.scrollHeight;
  }, [lastId, ready]);

  const names: TNames = useMemo(
    () => ({
      users: new Map((usersQ.data?.items ?? []).map((u) => [u.id, u.name])),
      groups: new Map((groupsQ.data?.items ?? []).map((g) => [g.id, g.name])),
    }),
    [usersQ.data, groupsQ.data],
  );

  if (ticketQ.isPending) return <Loading />;
  if (ticketQ.isError) {
    if (ticketQ.error instanceof ApiError && ticketQ.error.status === 404) {
      return <EmptyState title={t('notFoundTitle')}>{t('notFoundText')}</EmptyState>;
    }
    return <ErrorState error={ticketQ.error} onRetry={() => void ticketQ.refetch()} />;
  }
  const ticket = ticketQ.data;

  const showArrived = () => {
    const first = arrived[0];
    if (!first) return;
    setHighlight(new Set(arrived.map((m) => m.id)));
    document.getElementById(`message-${first.id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };
  const dismissArrived = () => {
    setSeenIds(new Set(messages.map((m) => m.id)));
    setChangedBy([]);
    setHighlight(new Set());
  };

  const typingOthers = presence.others.filter((v) => v.typing);
  const composerNotice: ReactNode = (
    <>
      <NewActivityNotice
        messages={arrived}
        changedBy={changedBy}
        onShow={showArrived}
        onDismiss={dismissArrived}
      />
      {typingOthers.length > 0 && (
        <Text size="xs" c="orange.8" mb={4} fw={500} data-testid="others-typing">
          {t('composer.whoTypes', { names: typingOthers.map((v) => v.name).join(', ') })}
        </Text>
      )}
    </>
  );

  const side = (
    <Stack gap="sm">
      <PropertiesPanel
        ticket={ticket}
        users={usersQ.data?.items ?? []}
        groups={groupsQ.data?.items ?? []}
        usersError={usersQ.isError}
      />
      <LinkedTickets ticket={ticket} />
      <RequesterPanel ticket={ticket} />
    </Stack>
  );

  const canMerge = can('ticket.merge') && ticket.mergedIntoId === null && ticket.status !== 'closed';
  const canLink = can('ticket.update') && ticket.mergedIntoId === null;

  return (
    <div className="td-ticket">
      <header className="td-ticket-header">
        <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Text size="xs" c="dimmed" truncate>
              {t('createdAt', { date: formatDateTime(ticket.createdAt, i18n.language) })}
            </Text>
            <Group gap="xs" wrap="nowrap" align="center">
              <Text
                fw={700}
                c="dimmed"
                size="lg"
                style={{ whiteSpace: 'nowrap' }}
                data-testid="ticket-number"
              >
                {t('ticketNumber', { number: ticket.number })}
              </Text>
              <Title order={2} size="h4" lineClamp={2} data-testid="ticket-subject" style={{ minWidth: 0 }}>
                {ticket.subject}
              </Title>
            </Group>
            <Group gap={6}>
              <StatusBadge status={ticket.status} />
              <PriorityBadge priority={ticket.priority} />
              <ChannelBadge channel={ticket.channel} />
              {!wide && <CollisionIndicator others={presence.others} />}
            </Group>
          </Stack>
          <Group gap="xs" wrap="nowrap">
            {wide && <CollisionIndicator others={presence.others} />}
            {!wide && (
              <Tooltip label={t('details')}>
                <ActionIcon
                  variant="default"
                  size="lg"
                  onClick={() => setDetailsOpen(true)}
                  aria-label={t('details')}
                  data-testid="open-details"
                >
                  <IconLayoutSidebarRight size={18} />
                </ActionIcon>
              </Tooltip>
            )}
            {(canMerge || canLink) && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon
                    variant="default"
                    size="lg"
                    aria-label={t('actions.label')}
                    data-testid="ticket-actions"
                  >
                    <IconDotsVertical size={18} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  {canMerge && (
                    <Menu.Item
                      leftSection={<IconArrowMerge size={16} />}
                      onClick={() => setPicker('merge')}
                      data-testid="action-merge"
                    >
                      {t('actions.merge')}
                    </Menu.Item>
                  )}
                  {canLink && (
                    <Menu.Item
                      leftSection={<IconLink size={16} />}
                      onClick={() => setPicker('link')}
                      data-testid="action-link"
                    >
                      {t('actions.link')}
                    </Menu.Item>
                  )}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
      </header>

      <div className="td-ticket-body">
        <div className="td-ticket-main">
          <div
            className="td-timeline-scroll"
            ref={scroller}
            onScroll={(e) => {
              const el = e.currentTarget;
              stuckToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
            }}
          >
            {ticket.mergedIntoId !== null && (
              <Alert color="gray" icon={<IconInfoCircle size={18} />} mb="sm" data-testid="merged-banner">
                <Group gap="xs">
                  <Text size="sm">{t('mergedBanner')}</Text>
                  <Anchor component={Link} to={`/tickets/${ticket.mergedIntoId}`} size="sm" fw={600}>
                    {t('openMergedTarget', { number: ticket.mergedIntoId })}
                  </Anchor>
                </Group>
              </Alert>
            )}
            <Group justify="flex-end" mb={6}>
              <Switch
                size="xs"
                label={t('timeline.showEvents')}
                checked={showEvents}
                onChange={(e) => setShowEvents(e.currentTarget.checked)}
                data-testid="toggle-events"
              />
            </Group>
            {messagesQ.isError ? (
              <ErrorState error={messagesQ.error} onRetry={() => void messagesQ.refetch()} />
            ) : messagesQ.isPending ? (
              <Loading />
            ) : (
              <Timeline
                messages={messages}
                events={events}
                names={names}
                showEvents={showEvents}
                highlightIds={highlight}
                canWrite={ticket.mergedIntoId === null && ticket.status !== 'closed'}
              />
            )}
            {eventsQ.isError && <ErrorState error={eventsQ.error} onRetry={() => void eventsQ.refetch()} />}
          </div>
          <div className="td-composer-wrap">
            <Composer
              ticket={ticket}
              canReply={can('ticket.reply')}
              handle={composer}
              onKeystroke={presence.keystroke}
              onDraftChange={onDraftChange}
              onSent={() => {
                stuckToBottom.current = true;
                setHighlight(new Set());
              }}
              notice={composerNotice}
            />
          </div>
        </div>
        {wide && <aside className="td-ticket-side">{side}</aside>}
      </div>

      {!wide && (
        <Drawer
          opened={detailsOpen}
          onClose={() => setDetailsOpen(false)}
          position="right"
          size={420}
          title={t('detailsTitle')}
        >
          {side}
        </Drawer>
      )}
      <TicketPickerModal ticket={ticket} mode={picker} onClose={() => setPicker(null)} />
    </div>
  );
};

/** The ticket screen: conversation, composer, properties and the customer, live. */
export const TicketPage = () => {
  const { t } = useTranslation('tickets');
  const { id } = useParams();
  const ticketId = Number(id);
  const valid = Number.isInteger(ticketId) && ticketId > 0 && ticketId <= 2_147_483_647;
  return (
    <AppLayout>
      {valid ? (
        <TicketScreen key={ticketId} ticketId={ticketId} />
      ) : (
        <EmptyState title={t('notFoundTitle')}>{t('notFoundText')}</EmptyState>
      )}
    </AppLayout>
  );
};

export default TicketPage;
