import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { DB, EmailMessagesTable } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

export type TEmailRow = Selectable<EmailMessagesTable>;
export type TDeliveryStatus = NonNullable<TEmailRow['delivery_status']>;

/** SQL of outgoing mail: its email_messages rows, the thread they answer, the auto-acknowledgement log. */
export const outboundRepository = {
  findById: (db: TExecutor, id: number) =>
    db.selectFrom('email_messages').selectAll().where('id', '=', id).executeTakeFirst(),

  /** Every email of a ticket, in and out, oldest first: the thread a reply continues. */
  threadOf: (db: TExecutor, ticketId: number) =>
    db
      .selectFrom('email_messages')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),

  insertOutbound: (
    db: TExecutor,
    values: {
      mailbox_id: number;
      message_id: string;
      in_reply_to: string | null;
      references: string[];
      from_address: string;
      to_addresses: string[];
      subject: string;
      is_auto: boolean;
      ticket_id: number;
      message_row_id: number;
      created_at: Date;
    },
  ) =>
    db
      .insertInto('email_messages')
      .values({
        ...values,
        direction: 'outbound',
        delivery_status: 'queued',
        attempts: 0,
        updated_at: values.created_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),

  /**
   * Records one attempt's outcome, only while the email is still queued: a late re-run of a job
   * (or a bounce recorded meanwhile) is never overwritten. Returns whether the row changed.
   */
  recordAttempt: async (
    db: TExecutor,
    id: number,
    values: { status: TDeliveryStatus; detail: string; attempts: number; at: Date },
  ) => {
    const result = await db
      .updateTable('email_messages')
      .set({
        delivery_status: values.status,
        delivery_detail: values.detail,
        attempts: values.attempts,
        updated_at: values.at,
      })
      .where('id', '=', id)
      .where('direction', '=', 'outbound')
      .where('delivery_status', '=', 'queued')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /** Delivery state of the outgoing email of each message (the newest one when there are several). */
  deliveryOf: (db: TExecutor, messageIds: number[]) =>
    messageIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('email_messages')
          .select(['message_row_id', 'delivery_status', 'delivery_detail', 'attempts'])
          .where('message_row_id', 'in', messageIds)
          .where('direction', '=', 'outbound')
          .orderBy('id')
          .execute(),

  /** An automated answer already queued for this inbound email (so a re-run sends none). */
  hasAutoReplyTo: async (db: TExecutor, ticketId: number, inboundMessageId: string) =>
    (await db
      .selectFrom('email_messages')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .where('direction', '=', 'outbound')
      .where('is_auto', '=', true)
      .where('in_reply_to', '=', inboundMessageId)
      .executeTakeFirst()) !== undefined,

  /** Serializes auto-acknowledgement decisions for one sender across nodes until the transaction ends. */
  lockSender: (db: TExecutor, address: string) =>
    sql`SELECT pg_advisory_xact_lock(hashtext(${`auto-ack:${address.toLowerCase()}`}))`.execute(db),

  lastAutoAckTo: (db: TExecutor, address: string, since: Date) =>
    db
      .selectFrom('email_auto_acks')
      .select(['id', 'sent_at'])
      .where((eb) => eb(eb.fn('lower', ['address']), '=', address.toLowerCase()))
      .where('sent_at', '>', since)
      .orderBy('sent_at', 'desc')
      .limit(1)
      .executeTakeFirst(),

  insertAutoAck: (db: TExecutor, values: { mailbox_id: number; address: string; sent_at: Date }) =>
    db.insertInto('email_auto_acks').values(values).execute(),
};
