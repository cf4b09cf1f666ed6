import type { TMessage, TTicketEvent } from '../../../shared/schemas/tickets.ts';

/** One row of the conversation: a message, or the events that happened between two messages. */
export type TTimelineItem =
  | { kind: 'message'; key: string; at: string; message: TMessage }
  | { kind: 'events'; key: string; at: string; events: TTicketEvent[] };

/** Events the timeline already shows as the message itself (email delivery as its badge). */
const SHOWN_AS_MESSAGE = new Set(['message_added', 'note_added', 'email_delivery']);

type TEntry =
  | { kind: 'message'; at: number; rank: number; id: number; message: TMessage }
  | { kind: 'event'; at: number; rank: number; id: number; event: TTicketEvent };

/**
 * Messages and events in time order; consecutive events become one group. At the same instant
 * the ticket's creation comes first, then the message, then what the message changed (status).
 */
export const buildTimeline = (
  messages: readonly TMessage[],
  events: readonly TTicketEvent[],
): TTimelineItem[] => {
  const entries: TEntry[] = [
    ...messages.map((message) => ({
      kind: 'message' as const,
      at: Date.parse(message.createdAt),
      rank: 1,
      id: message.id,
      message,
    })),
    ...events
      .filter((event) => !SHOWN_AS_MESSAGE.has(event.type))
      .map((event) => ({
        kind: 'event' as const,
        at: Date.parse(event.at),
        rank: event.type === 'created' ? 0 : 2,
        id: event.id,
        event,
      })),
  ];
  entries.sort((a, b) => a.at - b.at || a.rank - b.rank || a.id - b.id);

  const items: TTimelineItem[] = [];
  for (const entry of entries) {
    if (entry.kind === 'message') {
      items.push({
        kind: 'message',
        key: `m${entry.id}`,
        at: entry.message.createdAt,
        message: entry.message,
      });
      continue;
    }
    const last = items.at(-1);
    if (last?.kind === 'events') last.events.push(entry.event);
    else items.push({ kind: 'events', key: `e${entry.id}`, at: entry.event.at, events: [entry.event] });
  }
  return items;
};

/** Ids of messages that are new since `knownIds`, written by someone other than `meId`. */
export const newMessagesSince = (
  messages: readonly TMessage[],
  knownIds: ReadonlySet<number>,
  meId: number | null,
): TMessage[] =>
  messages.filter((m) => !knownIds.has(m.id) && (m.authorUserId === null || m.authorUserId !== meId));
