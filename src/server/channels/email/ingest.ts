import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Transaction } from 'kysely';
import { decodeWords } from 'postal-mime';
import type { TIngestOutcome } from '../../../shared/schemas/email-quarantine.ts';
import { isDatabaseUnavailable, isRetryableTransactionError } from '../../db/errors.ts';
import type { DB } from '../../db/types.ts';
import type { TIntakeResult, TStoredAttachment } from '../../modules/tickets/ticket.service.ts';
import type { TServiceDeps } from '../../services.ts';
import { inboundRepository, type TInboundMailbox } from './inbound.repository.ts';
import type { TInboundEmail } from './inbound-email.ts';
import { AUTO_ACK_WINDOW_MS, EMAIL_AUTO_ACK_JOB } from './outbound.service.ts';
import { parseInboundEmail } from './parse.ts';
import { isReplyAddressForm, parseReplyAddress } from './reply-token.ts';
import { contentHashOf, headerPairs, isOwnMessageId, splitRaw, subjectTicketNumber } from './thread-key.ts';

const gzipAsync = promisify(zlib.gzip);
/** Above this size a message is mostly base64 attachments, where string matching finds nothing. */
const HUFFMAN_ONLY_ABOVE = 256 * 1024;
/**
 * Raw sources are kept for audit and re-parsing, rarely read: the fastest level. A large message
 * is Huffman-coded only — on base64 it compresses as well as full deflate (~76%) in a quarter of the time.
 */
const gzip = (raw: Buffer) =>
  gzipAsync(raw, {
    level: zlib.constants.Z_BEST_SPEED,
    ...(raw.length > HUFFMAN_ONLY_ABOVE && { strategy: zlib.constants.Z_HUFFMAN_ONLY }),
  });

const MAX_TRANSACTION_ATTEMPTS = 3;
const MAX_REASON = 2000;

export type TIngestSource = 'smtp' | 'imap';

export type TIngestInput = {
  /** The mailbox the message was delivered to; null lets the recipients decide (SMTP). */
  mailboxId: number | null;
  raw: Buffer;
  source: TIngestSource;
  /** Envelope recipients (SMTP RCPT TO); reply addresses here thread the message. */
  recipients?: string[];
  /** Envelope sender (SMTP MAIL FROM); '' is the null sender of delivery reports. */
  envelopeFrom?: string;
};

export type { TIngestOutcome };

export type TIngestResult = {
  outcome: TIngestOutcome;
  ticketId?: number;
  emailMessageId?: number;
  quarantineId?: number;
  /** Why it was quarantined. */
  reason?: string;
};

export type TIngestOptions = {
  /** Retrying a held message: its row is updated instead of a new one being held. */
  retryOf?: { quarantineId: number; userId: number | null };
  /** Active mailboxes, perhaps cached; reloaded when `isEnough` says the list lacks what is needed. */
  activeMailboxes?: (isEnough?: (list: TInboundMailbox[]) => boolean) => Promise<TInboundMailbox[]>;
};

type TWriteResult = { result: TIngestResult; eventIds: number[] };

/** Thrown inside the transaction when the dedupe key was taken meanwhile: roll back, answer duplicate. */
class DuplicateDelivery extends Error {}

const duplicateOf = (stored: { id: number; ticket_id: number | null } | undefined): TIngestResult => ({
  outcome: 'duplicate',
  ...(stored && { emailMessageId: stored.id }),
  ...(stored?.ticket_id != null && { ticketId: stored.ticket_id }),
});

const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 500);

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** The subject of a ticket an email opens: its own, without other tickets' number tags. */
const ticketSubject = (email: TInboundEmail): string => {
  const own = email.subject.replace(/\s*\[#\d+\]\s*/g, ' ').trim();
  const firstLine =
    email.text
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? '';
  return (own || firstLine.slice(0, 80) || '(no subject)').slice(0, 500);
};

/** Best-effort From and Subject of raw mail that could not be parsed, for the quarantine list. */
const summaryOf = (raw: Buffer, email: TInboundEmail | null) => {
  if (email) return { from: email.from?.address ?? null, subject: email.subject || null };
  const pairs = headerPairs(splitRaw(raw.subarray(0, 256 * 1024)).head);
  const decoded = (name: string) => {
    const value = pairs.find(([n]) => n === name)?.[1];
    if (value === undefined) return null;
    let text = value;
    try {
      text = decodeWords(value);
    } catch {
      // keep the raw header text
    }
    return text.replaceAll('\u0000', '').slice(0, 500) || null;
  };
  return { from: decoded('from'), subject: decoded('subject') };
};

const ATTRIBUTE_ENTITIES: Record<string, string> = { amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' };
const decodeAttribute = (value: string) =>
  value.replace(/&(amp|quot|#39|lt|gt);/g, (_, name: string) => ATTRIBUTE_ENTITIES[name]);

/** `src="cid:…"` of inline images → the URLs of the attachments stored for them. */
const linkInlineImages = (html: string, urlByCid: Map<string, string>): string =>
  urlByCid.size === 0
    ? html
    : html.replace(/(\ssrc\s*=\s*")cid:([^"]+)"/gi, (whole, head: string, cid: string) => {
        const key = decodeAttribute(cid).trim().toLowerCase();
        const url = urlByCid.get(key);
        return url ? `${head}${url}"` : whole;
      });

/**
 * The mailbox a message belongs to: the given one, else the first recipient that is an active
 * mailbox's address, else a reply address (`reply+…`) at an active mailbox's domain.
 */
export const mailboxOfRecipients = (
  mailboxes: readonly TInboundMailbox[],
  recipients: readonly string[],
): TInboundMailbox | undefined => {
  const addresses = recipients.map((r) => r.trim().replace(/^<|>$/g, '').toLowerCase());
  for (const address of addresses) {
    const exact = mailboxes.find((m) => m.address.toLowerCase() === address);
    if (exact) return exact;
  }
  for (const address of addresses) {
    if (!isReplyAddressForm(address)) continue;
    const sameDomain = mailboxes.find((m) => domainOf(m.address) === domainOf(address));
    if (sameDomain) return sameDomain;
  }
  return undefined;
};

/**
 * Ingests one raw email in ONE transaction: dedupe by (mailbox, Message-ID) → contact by email
 * identity → thread (reply token, then In-Reply-To/References, then `[#n]` from a participant) or
 * a new ticket → message with attachments, events, the email row → auto-acknowledgement job →
 * commit → realtime events. Bounces mark the outgoing email they report on; auto-replies never
 * open tickets. Mail that cannot be parsed or stored is quarantined, never thrown; this throws
 * only when the database or the file storage is unavailable (an SMTP session answers 4xx then).
 */
export const ingestEmail = async (
  deps: TServiceDeps,
  input: TIngestInput,
  options: TIngestOptions = {},
): Promise<TIngestResult> => {
  const { database, storage, clock, services, queue, secrets } = deps;
  const { db } = database;
  const logger = deps.logger.child({ component: 'email.ingest', source: input.source });
  const raw = input.raw;
  let rawStored: { key: string; size: number } | undefined;
  let email: TInboundEmail | null = null;
  let mailbox: TInboundMailbox | undefined;

  const storeRaw = async () => {
    rawStored ??= { key: (await storage.put(await gzip(raw))).key, size: raw.length };
    return rawStored;
  };

  /** Active mailboxes: fresh from the database, or from a short-lived cache that `isEnough` may overrule. */
  const activeMailboxes =
    options.activeMailboxes ?? ((): Promise<TInboundMailbox[]> => services().mailboxes.listActive(db));

  /** The given mailbox (active or not), else the active mailbox the recipients name. */
  const resolveMailbox = async (
    recipients: string[] = input.recipients ?? [],
  ): Promise<{ mailbox: TInboundMailbox | undefined; active: TInboundMailbox[] }> => {
    const { mailboxId } = input;
    if (mailboxId === null) {
      const active = await activeMailboxes((list) => mailboxOfRecipients(list, recipients) !== undefined);
      return { mailbox: mailboxOfRecipients(active, recipients), active };
    }
    const active = await activeMailboxes((list) => list.some((m) => m.id === mailboxId));
    return {
      mailbox: active.find((m) => m.id === mailboxId) ?? (await services().mailboxes.findById(db, mailboxId)),
      active,
    };
  };

  /** Holds the message for an admin; throws only when it cannot even be held (storage, database). */
  const quarantine = async (reasonText: string): Promise<TIngestResult> => {
    const reason = reasonText.slice(0, MAX_REASON);
    const at = clock();
    if (options.retryOf) {
      await inboundRepository.heldAgain(db, options.retryOf.quarantineId, reason, at);
      return { outcome: 'quarantined', quarantineId: options.retryOf.quarantineId, reason };
    }
    const stored = await storeRaw();
    // A message that failed before its mailbox was known is still held under it when possible.
    mailbox ??= (await resolveMailbox().catch(() => undefined))?.mailbox;
    const mailboxId = mailbox?.id ?? null;
    const contentHash = contentHashOf(raw);
    const held = await inboundRepository.findHeld(db, mailboxId, contentHash);
    if (held) {
      await inboundRepository.heldAgain(db, held.id, reason, at);
      return { outcome: 'quarantined', quarantineId: held.id, reason };
    }
    const summary = summaryOf(raw, email);
    const { id } = await inboundRepository.insertQuarantine(db, {
      mailbox_id: mailboxId,
      source: input.source,
      reason,
      raw_storage_key: stored.key,
      raw_size: stored.size,
      content_hash: contentHash,
      envelope: JSON.stringify({
        ...(input.recipients && { recipients: input.recipients.slice(0, 100) }),
        ...(input.envelopeFrom !== undefined && { envelopeFrom: input.envelopeFrom }),
      }),
      from_address: summary.from,
      subject: summary.subject,
      created_at: at,
    });
    logger.warn({ quarantineId: id, mailboxId, reason }, 'inbound email quarantined');
    return { outcome: 'quarantined', quarantineId: id, reason };
  };

  try {
    email = await parseInboundEmail(raw, { envelopeFrom: input.envelopeFrom });
  } catch (error) {
    return quarantine(`Cannot parse the message: ${errorText(error)}`);
  }
  const parsed = email;

  const recipients = [...(input.recipients ?? []), ...parsed.to, ...parsed.cc, ...parsed.deliveredTo];
  const resolved = await resolveMailbox(recipients);
  const { active } = resolved;
  mailbox = resolved.mailbox;
  if (!mailbox) {
    return quarantine(
      input.mailboxId === null
        ? `No mailbox for any recipient (${recipients.slice(0, 5).join(', ') || 'none'})`
        : `Mailbox ${input.mailboxId} does not exist`,
    );
  }
  const box = mailbox;
  if (!parsed.from && !parsed.bounce) {
    return quarantine('No sender address: From, Sender and the envelope sender are missing or invalid');
  }

  const rawRef = await storeRaw();
  let attachments: TStoredAttachment[];
  const urlByCid = new Map<string, string>();
  try {
    attachments = parsed.bounce ? [] : await storeAttachments(deps, parsed, urlByCid);
  } catch (error) {
    return quarantine(`Cannot store the attachments: ${errorText(error)}`);
  }
  const body = {
    text: parsed.text,
    html: parsed.html === null ? null : linkInlineImages(parsed.html, urlByCid),
  };
  const ownAddresses = new Set(active.map((m) => m.address.toLowerCase()));
  const ownDomains = new Set(active.map((m) => domainOf(m.address)));
  const tokenTicket =
    recipients.map((r) => parseReplyAddress(secrets, r)).find((id): id is number => id !== null) ?? null;
  const locale = parsed.bounce ? (await services().settings.current()).locale : 'en';

  const write = async (trx: Transaction<DB>): Promise<TWriteResult> => {
    const at = clock();
    const tickets = services().tickets;
    if (options.retryOf) {
      await inboundRepository.resolveQuarantine(trx, options.retryOf.quarantineId, {
        status: 'imported',
        resolved_by: options.retryOf.userId,
        resolved_at: at,
      });
    }
    // One lookup finds both a stored copy of this message (a duplicate) and the thread it answers.
    const threadIds = [...new Set([parsed.messageId, parsed.inReplyTo, ...parsed.references])].filter(
      (id): id is string => id !== null,
    );
    const related = await inboundRepository.findByMessageIds(trx, threadIds);
    const stored = related.find(
      (r) => r.direction === 'inbound' && r.mailbox_id === box.id && r.message_id === parsed.messageId,
    );
    if (stored) return { result: duplicateOf(stored), eventIds: [] };

    /** The email row, written last; a concurrent delivery of the same message that got there first wins. */
    const record = async (v: { ticketId: number | null; messageRowId: number | null; isAuto: boolean }) => {
      const id = await inboundRepository.insertInbound(trx, {
        mailbox_id: box.id,
        message_id: parsed.messageId,
        content_hash: parsed.contentHash,
        in_reply_to: parsed.inReplyTo,
        references: parsed.references,
        from_address: parsed.from?.address ?? null,
        to_addresses: parsed.to,
        cc_addresses: parsed.cc,
        subject: parsed.subject,
        is_auto: v.isAuto,
        ticket_id: v.ticketId,
        message_row_id: v.messageRowId,
        raw_storage_key: rawRef.key,
        raw_size: rawRef.size,
        created_at: at,
      });
      if (id === undefined) throw new DuplicateDelivery();
      return id;
    };

    if (parsed.bounce) {
      const { bounce } = parsed;
      const original = await inboundRepository.findOutbound(trx, bounce.originalMessageIds);
      const detail = bounce.recipient ? `${bounce.recipient}: ${bounce.reason}` : bounce.reason;
      if (original) await inboundRepository.markBounced(trx, original.id, detail.slice(0, MAX_REASON), at);
      const ticketId = original?.ticket_id ?? tokenTicket;
      const note =
        ticketId === null
          ? null
          : await tickets.addSystemNote(trx, {
              ticketId,
              text: bounceNote(
                locale,
                bounce.recipient ?? original?.to_addresses.join(', ') ?? null,
                bounce.reason,
              ),
              at,
            });
      const emailId = await record({ ticketId: note?.ticketId ?? null, messageRowId: null, isAuto: true });
      return {
        result: { outcome: 'bounce', emailMessageId: emailId, ...(note && { ticketId: note.ticketId }) },
        eventIds: note?.eventIds ?? [],
      };
    }

    const sender = parsed.from!;
    // Our own outgoing mail coming back (a forwarding loop, a misconfigured relay): never a customer message.
    const isLoop =
      ownAddresses.has(sender.address) ||
      isOwnMessageId(parsed.messageId, ownDomains) ||
      related.some((r) => r.direction === 'outbound' && r.message_id === parsed.messageId);
    const isAuto = isLoop || parsed.autoReasons.length > 0;
    const dropped = async (): Promise<TWriteResult> => {
      const emailId = await record({ ticketId: null, messageRowId: null, isAuto: true });
      return { result: { outcome: 'auto_reply_dropped', emailMessageId: emailId }, eventIds: [] };
    };
    if (isLoop) return dropped();

    const { contactId } = await services().contacts.findOrCreateByIdentity(trx, {
      channel: 'email',
      value: sender.address,
      name: sender.name || undefined,
    });
    const addTo = (ticketId: number) =>
      tickets.addFromContact(trx, {
        ticketId,
        contactId,
        channel: 'email',
        body,
        attachments,
        isAuto,
        at,
      });

    let intake: TIntakeResult | null = null;
    if (tokenTicket !== null) intake = await addTo(tokenTicket);
    const referenced = related.find((r) => r.ticket_id !== null && r.message_id !== parsed.messageId);
    if (!intake && referenced?.ticket_id) intake = await addTo(referenced.ticket_id);
    const numbered = subjectTicketNumber(parsed.subject);
    if (!intake && numbered !== null) {
      const ticketId = await tickets.ticketWithParticipant(trx, numbered, contactId);
      if (ticketId !== null) intake = await addTo(ticketId);
    }
    let outcome: TIngestOutcome = 'threaded';
    if (!intake) {
      if (isAuto) return dropped();
      intake = await tickets.openFromContact(trx, {
        channel: 'email',
        subject: ticketSubject(parsed),
        requesterId: contactId,
        groupId: box.group_id,
        body,
        attachments,
        at,
      });
      outcome = 'created';
    }
    const emailId = await record({ ticketId: intake.ticketId, messageRowId: intake.messageId, isAuto });
    // The job decides for good under its own lock (and records the acknowledgement it sends);
    // this check only keeps jobs that would do nothing out of the queue.
    if (
      outcome === 'created' &&
      box.auto_acknowledge &&
      queue.isRegistered(EMAIL_AUTO_ACK_JOB) &&
      !(await inboundRepository.hasAckSince(trx, sender.address, new Date(at.getTime() - AUTO_ACK_WINDOW_MS)))
    ) {
      await queue.enqueue(trx, EMAIL_AUTO_ACK_JOB, {
        mailboxId: box.id,
        ticketId: intake.ticketId,
        emailMessageId: emailId,
      });
    }
    return {
      result: { outcome, ticketId: intake.ticketId, emailMessageId: emailId },
      eventIds: intake.eventIds,
    };
  };

  for (let attempt = 1; ; attempt++) {
    let written: TWriteResult;
    try {
      written = await db.transaction().execute(write);
    } catch (error) {
      if (error instanceof DuplicateDelivery) {
        // Another delivery of this message committed while this one was being written.
        const stored = await inboundRepository.findInbound(db, box.id, parsed.messageId);
        if (options.retryOf) {
          await inboundRepository.resolveQuarantine(db, options.retryOf.quarantineId, {
            status: 'imported',
            resolved_by: options.retryOf.userId,
            resolved_at: clock(),
          });
        }
        return duplicateOf(stored);
      }
      if (isRetryableTransactionError(error) && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
      if (isDatabaseUnavailable(error)) throw error;
      logger.error(
        { err: error, mailboxId: box.id, messageId: parsed.messageId },
        'inbound email not stored',
      );
      return quarantine(`Cannot store the message: ${errorText(error)}`);
    }
    try {
      await services().tickets.publish(written.eventIds);
    } catch (error) {
      // Committed already: a lost realtime notice must not turn into a retry of the delivery.
      logger.error({ err: error }, 'realtime publish after email ingest failed');
    }
    logger.debug({ mailboxId: box.id, ...written.result }, 'inbound email ingested');
    return written.result;
  }
};

/** Stores attachment bytes (content-addressed) and maps inline images' Content-IDs to their URLs. */
const storeAttachments = async (
  deps: TServiceDeps,
  email: TInboundEmail,
  urlByCid: Map<string, string>,
): Promise<TStoredAttachment[]> => {
  const stored = await Promise.all(email.attachments.map((a) => deps.storage.put(a.content)));
  const seen = new Set<string>();
  const rows: TStoredAttachment[] = [];
  email.attachments.forEach((a, i) => {
    const { key, sha256, size } = stored[i];
    // The same part twice in one message (some clients repeat inline images) is one attachment.
    const identity = `${sha256}/${a.filename}/${a.contentId ?? ''}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    const id = randomUUID();
    if (a.contentId) urlByCid.set(a.contentId.toLowerCase(), `/api/v1/attachments/${id}`);
    rows.push({
      id,
      filename: a.filename,
      content_type: a.contentType,
      size_bytes: size,
      sha256,
      storage_key: key,
    });
  });
  return rows;
};

const bounceNote = (locale: string, recipient: string | null, reason: string): string =>
  locale === 'ru'
    ? `Письмо не доставлено${recipient ? ` получателю ${recipient}` : ''}: ${reason}`
    : `Email not delivered${recipient ? ` to ${recipient}` : ''}: ${reason}`;
