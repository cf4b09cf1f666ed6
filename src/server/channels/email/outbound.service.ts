import type { Kysely, Transaction } from 'kysely';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { TDelivery } from '../../../shared/schemas/mailboxes.ts';
import type { DB } from '../../db/types.ts';
import type { TMailboxRow } from '../../modules/mailboxes/mailbox.repository.ts';
import { createSmtpTransport, isPermanentSmtpError, smtpErrorText } from '../../modules/mailboxes/smtp.ts';
import type { TServiceDeps } from '../../services.ts';
import {
  autoAckText,
  composeBodies,
  domainOf,
  newMessageId,
  replySubject,
  type TLocale,
  threadHeaders,
} from './compose.ts';
import { outboundRepository, type TDeliveryStatus, type TEmailRow } from './outbound.repository.ts';
import { isReplyAddressForm, replyAddress } from './reply-token.ts';

export const EMAIL_SEND_JOB = 'email.send';
export const EMAIL_AUTO_ACK_JOB = 'email.auto-ack';
/** Attempts of one email: with the queue's backoff (10 s doubling) the last is about 40 minutes after the first. */
export const EMAIL_SEND_ATTEMPTS = 9;
/** At most one auto-acknowledgement per sender in this window. */
export const AUTO_ACK_WINDOW_MS = 60 * 60 * 1000;

type TExecutor = Kysely<DB> | Transaction<DB>;

/** Something on our side that retrying will not fix (the message or an attachment is gone). */
class PermanentFailure extends Error {}

/** Local parts that are never answered automatically, whatever the headers said. */
const NO_REPLY_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+.-]|@)/i;

export type TEmailTicket = {
  id: number;
  subject: string;
  channel: string;
  groupId: number | null;
  requesterId: number;
};

export type TAttemptInfo = { attempt: number; maxAttempts: number };

/** Outgoing email: agent replies and auto-acknowledgements, queued in the writer's transaction, sent by a job. */
export const createEmailService = (deps: TServiceDeps) => {
  const { database, queue, secrets, storage, clock, logger, services } = deps;
  const { db } = database;

  /** Inserts the outbound email row and its send job in the caller's transaction; both exist only if it commits. */
  const queueEmail = async (
    trx: Transaction<DB>,
    input: {
      ticket: TEmailTicket;
      messageId: number;
      mailbox: TMailboxRow;
      to: string;
      thread: TEmailRow[];
      isAuto: boolean;
      at: Date;
    },
  ): Promise<number> => {
    const { inReplyTo, references } = threadHeaders(input.thread);
    const { id } = await outboundRepository.insertOutbound(trx, {
      mailbox_id: input.mailbox.id,
      message_id: newMessageId(domainOf(input.mailbox.address)),
      in_reply_to: inReplyTo,
      references,
      from_address: input.mailbox.address,
      to_addresses: [input.to],
      subject: replySubject(input.ticket.subject, input.ticket.id),
      is_auto: input.isAuto,
      ticket_id: input.ticket.id,
      message_row_id: input.messageId,
      created_at: input.at,
    });
    await queue.enqueue(trx, EMAIL_SEND_JOB, { emailMessageId: id }, { maxAttempts: EMAIL_SEND_ATTEMPTS });
    return id;
  };

  /** One attempt's outcome on the row, a ticket event for the timeline, published after commit. */
  const recordAttempt = async (
    email: TEmailRow,
    ticketId: number | null,
    outcome: { status: TDeliveryStatus; detail: string; attempts: number },
  ) => {
    const at = clock();
    const eventIds = await db.transaction().execute(async (trx) => {
      if (!(await outboundRepository.recordAttempt(trx, email.id, { ...outcome, at }))) return [];
      if (ticketId === null) return [];
      return services().tickets.appendSystemEvent(trx, {
        ticketId,
        type: 'email_delivery',
        at,
        data: {
          messageId: email.message_row_id,
          emailMessageId: email.id,
          status: outcome.status,
          attempts: outcome.attempts,
          detail: outcome.detail,
        },
      });
    });
    await services().tickets.publish(eventIds);
  };

  /** The message as nodemailer sends it; throws with a reason when something it needs is gone. */
  const buildMail = async (
    email: TEmailRow,
    mailbox: TMailboxRow,
  ): Promise<Mail.Options & { ticketId: number }> => {
    const context = email.message_row_id
      ? await services().tickets.emailContextOf(db, email.message_row_id)
      : null;
    if (!context) throw new PermanentFailure('The message of this email no longer exists');
    const settings = await services().settings.current();
    const bodies = composeBodies({
      text: context.text,
      html: context.html,
      signature: mailbox.signature,
      quoted: context.previous,
      locale: (settings.locale === 'en' ? 'en' : 'ru') satisfies TLocale,
      timeZone: settings.timeZone,
    });
    const attachments = await Promise.all(
      context.attachments.map(async (a) => {
        const content = await storage.get(a.storageKey);
        if (!content) throw new PermanentFailure(`Attachment ${a.filename} is missing from storage`);
        return { filename: a.filename, contentType: a.contentType, content };
      }),
    );
    const domain = domainOf(mailbox.address);
    return {
      ticketId: context.ticketId,
      from: { name: mailbox.name, address: mailbox.address },
      replyTo: replyAddress(secrets, email.ticket_id ?? context.ticketId, domain),
      to: email.to_addresses,
      subject: email.subject ?? '',
      messageId: email.message_id,
      ...(email.in_reply_to ? { inReplyTo: email.in_reply_to } : {}),
      ...(email.references.length > 0 ? { references: email.references } : {}),
      date: email.created_at,
      text: bodies.text,
      html: bodies.html,
      attachments,
      // Bounces come back to the mailbox itself, where inbound attaches them to this email.
      envelope: { from: mailbox.address, to: email.to_addresses },
      headers: email.is_auto
        ? { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply' }
        : {},
    };
  };

  return {
    /**
     * Called by the tickets service in the reply's own transaction. An agent's public reply goes
     * out by email when the ticket came by email or already has an email thread, and its requester
     * has an email address. Returns the outbound email row id, or null when nothing is sent.
     */
    onReply: async (
      trx: Transaction<DB>,
      input: { ticket: TEmailTicket; messageId: number },
    ): Promise<number | null> => {
      const { ticket } = input;
      const thread = await outboundRepository.threadOf(trx, ticket.id);
      if (ticket.channel !== 'email' && thread.length === 0) return null;
      const contact = await services().contacts.load(trx, ticket.requesterId);
      const addresses = contact.identities.filter((i) => i.channel === 'email').map((i) => i.value);
      if (addresses.length === 0) return null;
      const isRequester = (address: string | null) =>
        address !== null && addresses.some((a) => a.toLowerCase() === address.toLowerCase());
      // The address the requester last wrote from, else their first email identity.
      const to =
        thread.findLast((e) => e.direction === 'inbound' && isRequester(e.from_address))?.from_address ??
        addresses[0];
      const threadMailboxId =
        (thread.find((e) => e.direction === 'inbound') ?? thread[0])?.mailbox_id ?? null;
      const mailbox = await services().mailboxes.pickForTicket(trx, {
        threadMailboxId,
        groupId: ticket.groupId,
      });
      if (!mailbox) {
        logger.warn({ ticketId: ticket.id }, 'no active mailbox: an email reply was not sent');
        return null;
      }
      return queueEmail(trx, { ...input, mailbox, to, thread, isAuto: false, at: clock() });
    },

    /**
     * The `email.send` job: one SMTP attempt. Sent → `sent` with the server's answer; a 5xx refusal
     * or the last attempt → `failed` with it; anything else stays `queued` and throws, so the queue
     * retries with backoff. An email no longer queued is left alone (idempotent re-runs).
     */
    deliver: async (emailMessageId: number, attempt: TAttemptInfo): Promise<void> => {
      const email = await outboundRepository.findById(db, emailMessageId);
      if (email?.direction !== 'outbound' || email.delivery_status !== 'queued') return;
      const mailbox = await services().mailboxes.findById(db, email.mailbox_id);
      let ticketId = email.ticket_id;
      let outcome: { status: TDeliveryStatus; detail: string };
      let isRetryable = false;
      try {
        if (!mailbox) throw new PermanentFailure('The mailbox of this email no longer exists');
        const { ticketId: current, ...mail } = await buildMail(email, mailbox);
        ticketId = current;
        const transport = createSmtpTransport(services().mailboxes.smtpSettingsOf(mailbox));
        try {
          const info = await transport.sendMail(mail);
          outcome = { status: 'sent', detail: info.response || 'accepted' };
        } finally {
          transport.close();
        }
      } catch (error) {
        isRetryable = !(error instanceof PermanentFailure) && !isPermanentSmtpError(error);
        const isLast = !isRetryable || attempt.attempt >= attempt.maxAttempts;
        outcome = { status: isLast ? 'failed' : 'queued', detail: smtpErrorText(error) };
      }
      await recordAttempt(email, ticketId, { ...outcome, attempts: attempt.attempt });
      // The queue retries with backoff, and marks the job failed after the last attempt; a permanent refusal is done.
      if (isRetryable) {
        throw new Error(`Attempt ${attempt.attempt} of ${attempt.maxAttempts} failed: ${outcome.detail}`);
      }
    },

    /**
     * The `email.auto-ack` job: acknowledges a customer's email once, unless the mailbox does not
     * auto-acknowledge, the email was automatic (checked again here), it came from a no-reply or
     * our own address, or this sender got an acknowledgement within the last hour.
     */
    autoAcknowledge: async (input: { mailboxId: number; ticketId: number; emailMessageId: number }) => {
      const inbound = await outboundRepository.findById(db, input.emailMessageId);
      const sender = inbound?.from_address?.trim().toLowerCase();
      if (inbound?.direction !== 'inbound' || inbound.is_auto || !sender) return;
      if (NO_REPLY_SENDER.test(sender) || isReplyAddressForm(sender)) return;
      const mailbox = await services().mailboxes.findById(db, input.mailboxId);
      if (!mailbox?.is_active || !mailbox.auto_acknowledge) return;
      if (await services().mailboxes.findActiveByAddress(db, sender)) return;
      const settings = await services().settings.current();
      const at = clock();
      const eventIds = await db.transaction().execute(async (trx) => {
        await outboundRepository.lockSender(trx, sender);
        if (await outboundRepository.hasAutoReplyTo(trx, input.ticketId, inbound.message_id)) return [];
        if (await outboundRepository.lastAutoAckTo(trx, sender, new Date(at.getTime() - AUTO_ACK_WINDOW_MS)))
          return [];
        const text = autoAckText(settings.locale === 'en' ? 'en' : 'ru', input.ticketId);
        const reply = await services().tickets.addAutoReply(trx, {
          ticketId: input.ticketId,
          channel: 'email',
          body: { text, html: null },
          at,
        });
        if (!reply) return [];
        await outboundRepository.insertAutoAck(trx, { mailbox_id: mailbox.id, address: sender, sent_at: at });
        // The thread up to the email being acknowledged: that is the one it answers.
        const thread = await outboundRepository.threadOf(trx, reply.ticket.id);
        const answered = thread.findIndex((e) => e.id === inbound.id);
        await queueEmail(trx, {
          ticket: { ...reply.ticket, channel: 'email' },
          messageId: reply.messageId,
          mailbox,
          to: inbound.from_address!.trim(),
          thread: answered >= 0 ? thread.slice(0, answered + 1) : thread,
          isAuto: true,
          at,
        });
        return reply.eventIds;
      });
      await services().tickets.publish(eventIds);
    },

    /** Delivery state of each message that was emailed, by message id. */
    deliveryOf: async (executor: TExecutor, messageIds: number[]): Promise<Map<number, TDelivery>> => {
      const rows = await outboundRepository.deliveryOf(executor, messageIds);
      const out = new Map<number, TDelivery>();
      for (const row of rows) {
        if (row.message_row_id === null || row.delivery_status === null) continue;
        out.set(row.message_row_id, {
          status: row.delivery_status,
          detail: row.delivery_detail,
          attempts: row.attempts,
        });
      }
      return out;
    },
  };
};

export type TEmailService = ReturnType<typeof createEmailService>;
