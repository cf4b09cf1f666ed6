import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, NewTicket, TicketRow } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TTicketJoined = TicketRow & { requester_kind: string; requester_name: string };

export type TInboxFilter = {
  limit: number;
  after?: { updatedAt: string; id: number };
  statuses?: string[];
  priorities?: string[];
  assigneeId?: number | 'none';
  groupId?: number | 'none';
  requesterId?: number;
  requesterKind?: string;
  category?: string;
  tag?: string;
  channels?: string[];
  bookingId?: number;
  updatedSince?: Date;
  tripStartsBetween?: { from: string; to: string };
  includeSpam: boolean;
};

export type TNewEvent = {
  ticket_id: number;
  type: string;
  actor_kind: 'user' | 'contact' | 'system' | 'token';
  actor_user_id?: number | null;
  actor_contact_id?: number | null;
  actor_token_id?: number | null;
  at: Date;
  data: Record<string, unknown>;
};

const ticketsQuery = (db: TExecutor) =>
  db
    .selectFrom('tickets')
    .innerJoin('contacts as requester', 'requester.id', 'tickets.requester_id')
    .selectAll('tickets')
    .select(['requester.kind as requester_kind', 'requester.name as requester_name']);

export const ticketRepository = {
  insert: (db: TExecutor, values: NewTicket) =>
    db.insertInto('tickets').values(values).returning('id').executeTakeFirstOrThrow(),

  findById: (db: TExecutor, id: number) =>
    ticketsQuery(db).where('tickets.id', '=', id).executeTakeFirst() as Promise<TTicketJoined | undefined>,

  /** Locks the row for the rest of the transaction so concurrent writers queue up. */
  findForUpdate: (db: TExecutor, id: number) =>
    db.selectFrom('tickets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),

  update: (db: TExecutor, id: number, values: Record<string, unknown>) =>
    db
      .updateTable('tickets')
      .set(values)
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returning('version')
      .executeTakeFirstOrThrow(),

  /** One inbox page, newest activity first, keyset-paginated on (updated_at, id). */
  list: (db: TExecutor, f: TInboxFilter) => {
    let q = ticketsQuery(db)
      .where('tickets.merged_into_id', 'is', null)
      .where('tickets.deleted_at', 'is', null)
      .orderBy('tickets.updated_at', 'desc')
      .orderBy('tickets.id', 'desc')
      .limit(f.limit + 1);
    if (!f.includeSpam) q = q.where('tickets.is_spam', '=', false);
    if (f.after) {
      const { updatedAt, id } = f.after;
      q = q.where(sql<boolean>`(tickets.updated_at, tickets.id) < (${updatedAt}::timestamptz, ${id}::int)`);
    }
    if (f.statuses?.length) q = q.where('tickets.status', 'in', f.statuses);
    if (f.priorities?.length) q = q.where('tickets.priority', 'in', f.priorities);
    if (f.assigneeId === 'none') q = q.where('tickets.assignee_id', 'is', null);
    else if (f.assigneeId !== undefined) q = q.where('tickets.assignee_id', '=', f.assigneeId);
    if (f.groupId === 'none') q = q.where('tickets.group_id', 'is', null);
    else if (f.groupId !== undefined) q = q.where('tickets.group_id', '=', f.groupId);
    if (f.requesterId !== undefined) q = q.where('tickets.requester_id', '=', f.requesterId);
    if (f.requesterKind) q = q.where('requester.kind', '=', f.requesterKind);
    if (f.category) q = q.where('tickets.category', '=', f.category);
    if (f.tag) q = q.where(sql<boolean>`tickets.tags @> ARRAY[${f.tag}]::text[]`);
    if (f.channels?.length) q = q.where('tickets.channel', 'in', f.channels);
    if (f.bookingId !== undefined) q = q.where('tickets.booking_id', '=', f.bookingId);
    if (f.updatedSince) q = q.where('tickets.updated_at', '>=', f.updatedSince);
    if (f.tripStartsBetween) {
      const { from, to } = f.tripStartsBetween;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('bookings')
            .innerJoin('tour_departures', 'tour_departures.id', 'bookings.departure_id')
            .select('bookings.id')
            .where((w) =>
              w.or([
                w('bookings.id', '=', w.ref('tickets.booking_id')),
                w.and([
                  w('tickets.booking_id', 'is', null),
                  w('bookings.traveler_id', '=', w.ref('tickets.requester_id')),
                ]),
              ]),
            )
            .where('bookings.status', 'in', ['pending', 'confirmed'])
            .where('tour_departures.starts_on', '>=', from)
            .where('tour_departures.starts_on', '<=', to),
        ),
      );
    }
    return q.execute() as Promise<TTicketJoined[]>;
  },

  insertMessage: (
    db: TExecutor,
    values: {
      ticket_id: number;
      kind: string;
      author_kind: string;
      author_user_id: number | null;
      author_contact_id: number | null;
      channel: string;
      is_auto?: boolean;
      body_text: string;
      body_html: string | null;
      external_id?: string | null;
      created_at: Date;
    },
  ) => db.insertInto('messages').values(values).returningAll().executeTakeFirstOrThrow(),

  messagesOf: (db: TExecutor, ticketId: number) =>
    db
      .selectFrom('messages')
      .leftJoin('users', 'users.id', 'messages.author_user_id')
      .leftJoin('contacts', 'contacts.id', 'messages.author_contact_id')
      .select([
        'messages.id',
        'messages.ticket_id',
        'messages.kind',
        'messages.author_kind',
        'messages.author_user_id',
        'messages.author_contact_id',
        'messages.channel',
        'messages.is_auto',
        'messages.body_text',
        'messages.body_html',
        'messages.created_at',
        'users.name as user_name',
        'contacts.name as contact_name',
      ])
      .where('messages.ticket_id', '=', ticketId)
      .orderBy('messages.created_at')
      .orderBy('messages.id')
      .execute(),

  insertAttachments: (
    db: TExecutor,
    rows: {
      message_id: number;
      ticket_id: number;
      filename: string;
      content_type: string;
      size_bytes: number;
      sha256: string;
      storage_key: string;
    }[],
  ) =>
    rows.length === 0
      ? Promise.resolve([])
      : db.insertInto('attachments').values(rows).returningAll().execute(),

  attachmentsOfTicket: (db: TExecutor, ticketId: number) =>
    db
      .selectFrom('attachments')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .execute(),

  findAttachment: (db: TExecutor, id: string) =>
    db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst(),

  moveMessages: (db: TExecutor, fromTicketId: number, toTicketId: number) =>
    Promise.all([
      db
        .updateTable('messages')
        .set({ ticket_id: toTicketId })
        .where('ticket_id', '=', fromTicketId)
        .execute(),
      db
        .updateTable('attachments')
        .set({ ticket_id: toTicketId })
        .where('ticket_id', '=', fromTicketId)
        .execute(),
    ]),

  insertEvents: async (db: TExecutor, events: TNewEvent[]): Promise<number[]> =>
    events.length === 0
      ? []
      : (
          await db
            .insertInto('ticket_events')
            .values(events.map((e) => ({ ...e, data: JSON.stringify(e.data) })))
            .returning('id')
            .execute()
        ).map((r) => r.id),

  eventsOf: (db: TExecutor, ticketId: number, f: { limit: number; afterId?: number }) => {
    let q = ticketEventsQuery(db)
      .where('ticket_events.ticket_id', '=', ticketId)
      .orderBy('ticket_events.id')
      .limit(f.limit + 1);
    if (f.afterId !== undefined) q = q.where('ticket_events.id', '>', f.afterId);
    return q.execute();
  },

  eventsByIds: (db: TExecutor, ids: number[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : ticketEventsQuery(db).where('ticket_events.id', 'in', ids).orderBy('ticket_events.id').execute(),

  insertLink: (db: TExecutor, v: { ticket_id: number; linked_ticket_id: number; kind: string }) =>
    db
      .insertInto('ticket_links')
      .values(v)
      .onConflict((oc) => oc.columns(['ticket_id', 'linked_ticket_id']).doUpdateSet({ kind: v.kind }))
      .execute(),

  linksOf: (db: TExecutor, ticketId: number) =>
    db
      .selectFrom('ticket_links')
      .innerJoin('tickets', (j) =>
        j.on((eb) =>
          eb.or([
            eb.and([
              eb('ticket_links.ticket_id', '=', ticketId),
              eb('tickets.id', '=', eb.ref('ticket_links.linked_ticket_id')),
            ]),
            eb.and([
              eb('ticket_links.linked_ticket_id', '=', ticketId),
              eb('tickets.id', '=', eb.ref('ticket_links.ticket_id')),
            ]),
          ]),
        ),
      )
      .select([
        'tickets.id',
        'tickets.subject',
        'tickets.status',
        'ticket_links.kind',
        'ticket_links.ticket_id as from_id',
      ])
      .where((eb) =>
        eb.or([
          eb('ticket_links.ticket_id', '=', ticketId),
          eb('ticket_links.linked_ticket_id', '=', ticketId),
        ]),
      )
      .execute(),

  /** Solved tickets whose solve is older than the cutoff: the auto-close job's work list. */
  solvedBefore: async (db: TExecutor, cutoff: Date, limit: number) =>
    (
      await db
        .selectFrom('tickets')
        .select('id')
        .where('status', '=', 'solved')
        .where('solved_at', '<', cutoff)
        .orderBy('solved_at')
        .limit(limit)
        .execute()
    ).map((r) => r.id),
};

const ticketEventsQuery = (db: TExecutor) =>
  db
    .selectFrom('ticket_events')
    .leftJoin('users', 'users.id', 'ticket_events.actor_user_id')
    .leftJoin('contacts', 'contacts.id', 'ticket_events.actor_contact_id')
    .leftJoin('api_tokens', 'api_tokens.id', 'ticket_events.actor_token_id')
    .selectAll('ticket_events')
    .select(['users.name as user_name', 'contacts.name as contact_name', 'api_tokens.name as token_name']);

export type TEventJoined = Awaited<ReturnType<typeof ticketRepository.eventsOf>>[number];
export type TMessageJoined = Awaited<ReturnType<typeof ticketRepository.messagesOf>>[number];
export type TAttachmentRow = Awaited<ReturnType<typeof ticketRepository.attachmentsOfTicket>>[number];
