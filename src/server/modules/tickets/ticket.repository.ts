import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type { TTicketSort } from '../../../shared/enums.ts';
import type { DB, NewTicket, TicketRow } from '../../db/types.ts';
import type { TCursorPart } from '../../lib/cursor.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TTicketJoined = TicketRow & { requester_kind: string; requester_name: string };

/** What the inbox selects; the same filter drives a list page and a view count, so they agree. */
export type TInboxFilter = {
  statuses?: readonly string[];
  priorities?: readonly string[];
  assigneeId?: number | 'none';
  groupId?: number | 'none';
  requesterId?: number;
  requesterKind?: string;
  category?: string;
  tag?: string;
  channels?: readonly string[];
  bookingId?: number;
  updatedSince?: Date;
  solvedSince?: Date;
  tripStartsBetween?: { from: string; to: string };
  includeSpam: boolean;
};

/** urgent 3, high 2, normal 1, low 0; the same text as the index expression in 0003_views.sql. */
export const PRIORITY_RANK = sql<number>`(CASE tickets.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END)`;
export const priorityRank = (priority: string): number =>
  ({ urgent: 3, high: 2, normal: 1, low: 0 })[priority] ?? 0;

type TOrder = {
  /** The timestamp column of the key, served to cursors at full (microsecond) precision. */
  at: 'tickets.updated_at' | 'tickets.created_at';
  key: (RawBuilder<number> | ReturnType<typeof sql.ref>)[];
  /** How a cursor carries each part of the key. */
  parts: TCursorPart[];
  direction: 'asc' | 'desc';
};

/** Each list order as a key that ends in the id: keyset pages neither skip nor repeat rows. */
export const TICKET_ORDERS: Record<TTicketSort, TOrder> = {
  updated_desc: {
    at: 'tickets.updated_at',
    key: [sql.ref('tickets.updated_at'), sql.ref('tickets.id')],
    parts: ['timestamp', 'id'],
    direction: 'desc',
  },
  updated_asc: {
    at: 'tickets.updated_at',
    key: [sql.ref('tickets.updated_at'), sql.ref('tickets.id')],
    parts: ['timestamp', 'id'],
    direction: 'asc',
  },
  created_desc: {
    at: 'tickets.created_at',
    key: [sql.ref('tickets.created_at'), sql.ref('tickets.id')],
    parts: ['timestamp', 'id'],
    direction: 'desc',
  },
  created_asc: {
    at: 'tickets.created_at',
    key: [sql.ref('tickets.created_at'), sql.ref('tickets.id')],
    parts: ['timestamp', 'id'],
    direction: 'asc',
  },
  priority_desc: {
    at: 'tickets.updated_at',
    key: [PRIORITY_RANK, sql.ref('tickets.updated_at'), sql.ref('tickets.id')],
    parts: ['rank', 'timestamp', 'id'],
    direction: 'desc',
  },
};

/** The values of an order's key for the row a page ended on. */
export type TSortKey = (string | number)[];

/** The key of a listed row in its order, as its cursor carries it. */
export const sortKeyOf = (
  sort: TTicketSort,
  row: { priority: string; sort_at: string; id: number },
): TSortKey =>
  sort === 'priority_desc' ? [priorityRank(row.priority), row.sort_at, row.id] : [row.sort_at, row.id];

const SQL_TYPE: Record<TCursorPart, string> = {
  id: 'int',
  bigid: 'bigint',
  timestamp: 'timestamptz',
  rank: 'int',
};

const ISO_MICROS = sql.lit('YYYY-MM-DD"T"HH24:MI:SS.US"Z"');

const filterConditions = (eb: ExpressionBuilder<DB, 'tickets'>, f: TInboxFilter) => {
  const c: Expression<SqlBool>[] = [
    eb('tickets.merged_into_id', 'is', null),
    eb('tickets.deleted_at', 'is', null),
  ];
  // Literal, not a parameter: the live-ticket partial indexes are matched on this predicate.
  if (!f.includeSpam) c.push(eb('tickets.is_spam', '=', sql.lit(false)));
  if (f.statuses?.length) c.push(eb('tickets.status', 'in', f.statuses));
  if (f.priorities?.length) c.push(eb('tickets.priority', 'in', f.priorities));
  if (f.assigneeId === 'none') c.push(eb('tickets.assignee_id', 'is', null));
  else if (f.assigneeId !== undefined) c.push(eb('tickets.assignee_id', '=', f.assigneeId));
  if (f.groupId === 'none') c.push(eb('tickets.group_id', 'is', null));
  else if (f.groupId !== undefined) c.push(eb('tickets.group_id', '=', f.groupId));
  if (f.requesterId !== undefined) c.push(eb('tickets.requester_id', '=', f.requesterId));
  if (f.requesterKind) {
    const kind = f.requesterKind;
    c.push(
      eb.exists(
        eb
          .selectFrom('contacts')
          .select('contacts.id')
          .whereRef('contacts.id', '=', 'tickets.requester_id')
          .where('contacts.kind', '=', kind),
      ),
    );
  }
  if (f.category) c.push(eb('tickets.category', '=', f.category));
  if (f.tag) c.push(sql<SqlBool>`tickets.tags @> ARRAY[${f.tag}]::text[]`);
  if (f.channels?.length) c.push(eb('tickets.channel', 'in', f.channels));
  if (f.bookingId !== undefined) c.push(eb('tickets.booking_id', '=', f.bookingId));
  if (f.updatedSince) c.push(eb('tickets.updated_at', '>=', f.updatedSince));
  if (f.solvedSince) c.push(eb('tickets.solved_at', '>=', f.solvedSince));
  if (f.tripStartsBetween) {
    const { from, to } = f.tripStartsBetween;
    c.push(
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
  return c;
};

const filtered = (db: TExecutor, f: TInboxFilter) =>
  db.selectFrom('tickets').where((eb) => eb.and(filterConditions(eb, f)));

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

  /** One inbox page in the filter's order, keyset-paginated on that order's key (see TICKET_ORDERS). */
  list: (db: TExecutor, f: TInboxFilter & { limit: number; sort: TTicketSort; after?: TSortKey }) => {
    const order = TICKET_ORDERS[f.sort];
    let q = filtered(db, f)
      .innerJoin('contacts as requester', 'requester.id', 'tickets.requester_id')
      .selectAll('tickets')
      .select(['requester.kind as requester_kind', 'requester.name as requester_name'])
      .select(sql<string>`to_char(${sql.ref(order.at)} AT TIME ZONE 'UTC', ${ISO_MICROS})`.as('sort_at'))
      .limit(f.limit + 1);
    for (const expression of order.key) q = q.orderBy(expression, order.direction);
    if (f.after) {
      const values = f.after.map((v, i) => sql`${v}::${sql.raw(SQL_TYPE[order.parts[i]])}`);
      const op = sql.raw(order.direction === 'desc' ? '<' : '>');
      q = q.where(sql<boolean>`(${sql.join(order.key)}) ${op} (${sql.join(values)})`);
    }
    return q.execute() as Promise<(TTicketJoined & { sort_at: string })[]>;
  },

  /** How many tickets the filter selects; with the live-ticket indexes of 0003 this is an index-only scan. */
  count: async (db: TExecutor, f: TInboxFilter) =>
    Number(
      (
        await filtered(db, f)
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
    ),

  /** The count query itself, for EXPLAIN in tests. */
  countQuery: (db: TExecutor, f: TInboxFilter) =>
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('count')),

  /** Returns only the id: the whole row would carry the search vector back over the wire. */
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
  ) => db.insertInto('messages').values(values).returning('id').executeTakeFirstOrThrow(),

  messagesOf: (db: TExecutor, ticketId: number) =>
    messagesQuery(db)
      .where('messages.ticket_id', '=', ticketId)
      .orderBy('messages.created_at')
      .orderBy('messages.id')
      .execute(),

  findMessage: (db: TExecutor, id: number) =>
    messagesQuery(db).where('messages.id', '=', id).executeTakeFirst(),

  /** The requester's latest public message before the given one: what an emailed reply quotes. */
  previousContactMessage: (db: TExecutor, before: { ticketId: number; createdAt: Date; id: number }) =>
    messagesQuery(db)
      .where('messages.ticket_id', '=', before.ticketId)
      .where('messages.kind', '=', 'reply')
      .where('messages.author_kind', '=', 'contact')
      .where((eb) =>
        eb.or([
          eb('messages.created_at', '<', before.createdAt),
          eb.and([eb('messages.created_at', '=', before.createdAt), eb('messages.id', '<', before.id)]),
        ]),
      )
      .orderBy('messages.created_at', 'desc')
      .orderBy('messages.id', 'desc')
      .limit(1)
      .executeTakeFirst(),

  attachmentsOfMessage: (db: TExecutor, messageId: number) =>
    db
      .selectFrom('attachments')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('created_at')
      .execute(),

  insertAttachments: (
    db: TExecutor,
    rows: {
      /** Set by callers that must know the id before the insert (inline images in HTML link to it). */
      id?: string;
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

  /** Whether the contact takes part in the ticket: its requester, or the author of one of its messages. */
  hasParticipant: async (db: TExecutor, ticketId: number, contactId: number) =>
    (
      await sql<{ yes: boolean }>`
        SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ${ticketId} AND requester_id = ${contactId})
          OR EXISTS (SELECT 1 FROM messages WHERE ticket_id = ${ticketId} AND author_contact_id = ${contactId})
          AS yes`.execute(db)
    ).rows[0]?.yes === true,

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

const messagesQuery = (db: TExecutor) =>
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
    ]);

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
