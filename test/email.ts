import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import {
  startSmtpListener,
  type TSmtpIntake,
  type TSmtpListener,
} from '../src/server/channels/email/smtp-listener.ts';
import type { TSmtpConfig } from '../src/server/config.ts';
import type { TDatabase } from '../src/server/db/database.ts';
import { createLogger } from '../src/server/logger.ts';

/** Inserts a mailbox row (inbound over SMTP, an unreachable outbound server); returns its id. */
export const createMailbox = async (
  database: TDatabase,
  input: { address: string; groupId?: number | null; autoAcknowledge?: boolean; isActive?: boolean },
): Promise<number> => {
  const row = await database.db
    .insertInto('mailboxes')
    .values({
      address: input.address,
      name: input.address,
      group_id: input.groupId ?? null,
      inbound_type: 'smtp',
      outbound: JSON.stringify({ host: '127.0.0.1', port: 9, secure: false, user: null }),
      auto_acknowledge: input.autoAcknowledge ?? false,
      is_active: input.isActive ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
};

/** The built-in SMTP listener on a free 127.0.0.1 port over the given intake. */
export const startTestListener = (
  intake: TSmtpIntake,
  config: Partial<TSmtpConfig> = {},
): Promise<TSmtpListener> =>
  startSmtpListener({
    config: { port: 0, host: '127.0.0.1', maxBytes: 25 * 1024 * 1024, tls: null, auth: null, ...config },
    intake,
    logger: createLogger('silent'),
  });

export type TSendOutcome =
  | { ok: true; code: number; response: string }
  | { ok: false; code: number | undefined; response: string };

/** A nodemailer SMTP client of the listener (plain text on loopback); `pool` keeps one connection open. */
export const smtpClient = (port: number, options: { pool?: boolean; connectionTimeout?: number } = {}) => {
  const common = { host: '127.0.0.1', port, secure: false, ignoreTLS: true };
  const connectionTimeout = options.connectionTimeout ?? 10_000;
  const transport = options.pool
    ? nodemailer.createTransport({ ...common, connectionTimeout, pool: true, maxConnections: 1 })
    : nodemailer.createTransport({ ...common, connectionTimeout });
  /** Sends raw bytes with an explicit envelope; resolves with the SMTP answer, never rejects. */
  const sendRaw = async (
    raw: Buffer | string,
    envelope: { from: string; to: string[] },
  ): Promise<TSendOutcome> => {
    try {
      const info = await transport.sendMail({ envelope, raw });
      return { ok: true, code: Number(info.response.slice(0, 3)), response: info.response };
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; message: string };
      return { ok: false, code: e.responseCode, response: e.response ?? e.message };
    }
  };
  return { transport, sendRaw, close: () => transport.close() };
};

/** A raw RFC 5322 message from header lines and a body (CRLF line ends). */
export const rawMail = (headers: string[], body: string | Buffer = 'Hello'): Buffer =>
  Buffer.concat([
    Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8'),
    Buffer.isBuffer(body) ? body : Buffer.from(body.replace(/\r?\n/g, '\r\n'), 'utf8'),
  ]);

/** The email_messages row of an inbound Message-ID, with the ticket it became. */
export const inboundRow = (database: TDatabase, messageId: string) =>
  database.db
    .selectFrom('email_messages')
    .selectAll()
    .where('direction', '=', 'inbound')
    .where('message_id', '=', messageId)
    .execute();

/** Records an outgoing email as the outbound side would: what replies and bounces refer to. */
export const insertOutbound = async (
  database: TDatabase,
  input: { mailboxId: number; ticketId: number; messageId: string; to: string; status?: 'queued' | 'sent' },
) =>
  (
    await database.db
      .insertInto('email_messages')
      .values({
        mailbox_id: input.mailboxId,
        direction: 'outbound',
        message_id: input.messageId,
        to_addresses: [input.to],
        ticket_id: input.ticketId,
        delivery_status: input.status ?? 'sent',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

export const countRows = async (
  database: TDatabase,
  table: 'tickets' | 'messages' | 'email_messages' | 'email_quarantine' | 'contacts',
) =>
  Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(database.db))
      .rows[0].n,
  );
