import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TInboundMailbox = {
  id: number;
  address: string;
  group_id: number | null;
  auto_acknowledge: boolean;
  is_active: boolean;
};

/** SQL of inbound email: the email_messages rows it writes, bounces, the quarantine, the ack log. */
export const inboundRepository = {
  /**
   * Writes an inbound email row unless its dedupe key (mailbox, inbound, Message-ID) is taken:
   * the row's id, or undefined when the message is stored already. A concurrent delivery of the
   * same message waits on the unique index until the first commits, then finds it taken.
   */
  insertInbound: async (
    db: TExecutor,
    v: {
      mailbox_id: number;
      message_id: string;
      content_hash: string;
      in_reply_to: string | null;
      references: string[];
      from_address: string | null;
      to_addresses: string[];
      cc_addresses: string[];
      subject: string;
      is_auto: boolean;
      ticket_id: number | null;
      message_row_id: number | null;
      raw_storage_key: string;
      raw_size: number;
      created_at: Date;
    },
  ): Promise<number | undefined> =>
    (
      await db
        .insertInto('email_messages')
        .values({ ...v, direction: 'inbound', updated_at: v.created_at })
        .onConflict((oc) => oc.columns(['mailbox_id', 'direction', 'message_id']).doNothing())
        .returning('id')
        .executeTakeFirst()
    )?.id,

  /** The stored delivery of a Message-ID in a mailbox (what a duplicate answers with). */
  findInbound: (db: TExecutor, mailboxId: number, messageId: string) =>
    db
      .selectFrom('email_messages')
      .select(['id', 'ticket_id'])
      .where('mailbox_id', '=', mailboxId)
      .where('direction', '=', 'inbound')
      .where('message_id', '=', messageId)
      .executeTakeFirst(),

  /**
   * Emails (either direction, any mailbox) with one of these Message-IDs: a stored copy of the
   * message itself, the thread it answers, our own outgoing messages. Newest first.
   */
  findByMessageIds: (db: TExecutor, messageIds: string[]) =>
    messageIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('email_messages')
          .select(['id', 'mailbox_id', 'direction', 'message_id', 'ticket_id'])
          .where('message_id', '=', sql<string>`ANY(${messageIds}::text[])`)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(100)
          .execute(),

  /** The newest outgoing email with one of these Message-IDs: what a bounce reports on. */
  findOutbound: (db: TExecutor, messageIds: string[]) =>
    messageIds.length === 0
      ? Promise.resolve(undefined)
      : db
          .selectFrom('email_messages')
          .select(['id', 'ticket_id', 'to_addresses'])
          .where('direction', '=', 'outbound')
          .where('message_id', '=', sql<string>`ANY(${messageIds}::text[])`)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst(),

  markBounced: (db: TExecutor, id: number, detail: string, at: Date) =>
    db
      .updateTable('email_messages')
      .set({ delivery_status: 'bounced', delivery_detail: detail, updated_at: at })
      .where('id', '=', id)
      .execute(),

  /** Whether the address got an auto-acknowledgement since `since` (any mailbox). */
  hasAckSince: async (db: TExecutor, address: string, since: Date) =>
    (await db
      .selectFrom('email_auto_acks')
      .select('id')
      .where(sql<string>`lower(address)`, '=', address.toLowerCase())
      .where('sent_at', '>', since)
      .limit(1)
      .executeTakeFirst()) !== undefined,

  // Quarantine.

  /** The held copy of the same message (same content hash), if one is held already. */
  findHeld: (db: TExecutor, mailboxId: number | null, contentHash: string) =>
    db
      .selectFrom('email_quarantine')
      .select('id')
      .where('content_hash', '=', contentHash)
      .where('status', '=', 'held')
      .where(sql<boolean>`mailbox_id IS NOT DISTINCT FROM ${mailboxId}::int`)
      .executeTakeFirst(),

  insertQuarantine: (
    db: TExecutor,
    v: {
      mailbox_id: number | null;
      source: 'smtp' | 'imap';
      reason: string;
      raw_storage_key: string;
      raw_size: number;
      content_hash: string;
      envelope: string;
      from_address: string | null;
      subject: string | null;
      created_at: Date;
    },
  ) =>
    db
      .insertInto('email_quarantine')
      .values({ ...v, updated_at: v.created_at })
      .returning('id')
      .executeTakeFirstOrThrow(),

  /** Another failed attempt at a held message: the newest reason wins. */
  heldAgain: (db: TExecutor, id: number, reason: string, at: Date) =>
    db
      .updateTable('email_quarantine')
      .set((eb) => ({ reason, updated_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute(),

  findQuarantine: (db: TExecutor, id: number) =>
    db.selectFrom('email_quarantine').selectAll().where('id', '=', id).executeTakeFirst(),

  findQuarantineForUpdate: (db: TExecutor, id: number) =>
    db.selectFrom('email_quarantine').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),

  resolveQuarantine: (
    db: TExecutor,
    id: number,
    v: { status: 'imported' | 'discarded'; resolved_by: number | null; resolved_at: Date },
  ) =>
    db
      .updateTable('email_quarantine')
      .set({ ...v, updated_at: v.resolved_at })
      .where('id', '=', id)
      .where('status', '=', 'held')
      .returning('id')
      .executeTakeFirst(),

  /** A page of the quarantine, newest first; `held` first by filter, or every status. */
  listQuarantine: (
    db: TExecutor,
    f: { limit: number; status?: 'held' | 'imported' | 'discarded'; before?: { at: string; id: number } },
  ) => {
    let q = db
      .selectFrom('email_quarantine')
      .leftJoin('mailboxes', 'mailboxes.id', 'email_quarantine.mailbox_id')
      .selectAll('email_quarantine')
      .select([
        'mailboxes.address as mailbox_address',
        sql<string>`to_char(email_quarantine.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
          'sort_at',
        ),
      ])
      .orderBy('email_quarantine.created_at', 'desc')
      .orderBy('email_quarantine.id', 'desc')
      .limit(f.limit + 1);
    if (f.status) q = q.where('email_quarantine.status', '=', f.status);
    if (f.before) {
      q = q.where(
        sql<boolean>`(email_quarantine.created_at, email_quarantine.id) < (${f.before.at}::timestamptz, ${f.before.id}::bigint)`,
      );
    }
    return q.execute();
  },
};
