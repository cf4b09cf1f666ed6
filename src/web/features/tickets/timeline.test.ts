import { describe, expect, it } from 'vitest';
import type { TMessage, TTicketEvent } from '../../../shared/schemas/tickets.ts';
import { buildTimeline, newMessagesSince } from './timeline.ts';

const event = (over: Partial<TTicketEvent>): TTicketEvent => ({
  id: 1,
  ticketId: 7,
  type: 'status_changed',
  actor: { kind: 'user', id: 4, name: 'Анна Соколова' },
  at: '2026-11-25T10:00:00.000Z',
  data: {},
  ...over,
});

const message = (over: Partial<TMessage>): TMessage => ({
  id: 1,
  ticketId: 7,
  kind: 'reply',
  authorKind: 'contact',
  authorUserId: null,
  authorContactId: 3,
  authorName: 'Ivan',
  channel: 'email',
  isAuto: false,
  text: 'x',
  html: null,
  attachments: [],
  delivery: null,
  createdAt: '2026-11-25T10:00:00.000Z',
  ...over,
});

describe('buildTimeline', () => {
  it('orders by time and groups consecutive events between messages', () => {
    const items = buildTimeline(
      [
        message({ id: 1, createdAt: '2026-11-25T10:00:00.000Z' }),
        message({ id: 2, createdAt: '2026-11-25T12:00:00.000Z' }),
      ],
      [
        event({ id: 10, type: 'created', at: '2026-11-25T10:00:00.000Z' }),
        event({ id: 11, type: 'message_added', at: '2026-11-25T10:00:00.000Z' }),
        event({ id: 12, type: 'status_changed', at: '2026-11-25T11:00:00.000Z' }),
        event({ id: 13, type: 'priority_changed', at: '2026-11-25T11:30:00.000Z' }),
        event({ id: 14, type: 'status_changed', at: '2026-11-25T12:00:00.000Z' }),
      ],
    );
    expect(items.map((i) => (i.kind === 'message' ? i.key : `${i.key}:${i.events.length}`))).toEqual([
      'e10:1',
      'm1',
      'e12:2',
      'm2',
      'e14:1',
    ]);
  });

  it('shows email delivery on the message’s badge, not as an event row', () => {
    const items = buildTimeline(
      [message({ id: 1, kind: 'reply', authorKind: 'agent', createdAt: '2026-11-25T10:00:00.000Z' })],
      [
        event({ id: 20, type: 'message_added', at: '2026-11-25T10:00:00.000Z' }),
        event({ id: 21, type: 'email_delivery', at: '2026-11-25T10:00:05.000Z', data: { status: 'sent' } }),
      ],
    );
    expect(items.map((i) => i.key)).toEqual(['m1']);
  });

  it('is empty for a ticket without anything', () => {
    expect(buildTimeline([], [])).toEqual([]);
  });
});

describe('newMessagesSince', () => {
  it('lists unseen messages by other people only', () => {
    const messages = [
      message({ id: 1 }),
      message({ id: 2, authorKind: 'agent', authorUserId: 4 }),
      message({ id: 3, authorKind: 'agent', authorUserId: 5 }),
    ];
    expect(newMessagesSince(messages, new Set([1]), 4).map((m) => m.id)).toEqual([3]);
  });
});
