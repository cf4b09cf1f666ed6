import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { AppError } from '../../../shared/errors.ts';
import type {
  TQuarantineItem,
  TQuarantineListQuery,
  TQuarantineRetryResult,
} from '../../../shared/schemas/email-quarantine.ts';
import { actorUserId, requirePermission, type TActor } from '../../access/access.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import type { TServiceDeps } from '../../services.ts';
import { inboundRepository, type TInboundMailbox } from './inbound.repository.ts';
import { ingestEmail, mailboxOfRecipients, type TIngestInput, type TIngestResult } from './ingest.ts';

const gunzip = promisify(zlib.gunzip);

/** Who may see and resolve the quarantine: whoever administers mailboxes. */
const PERMISSION = 'mailbox.manage';

type TQuarantineListRow = Awaited<ReturnType<typeof inboundRepository.listQuarantine>>[number];
type TQuarantineRow = NonNullable<Awaited<ReturnType<typeof inboundRepository.findQuarantine>>>;

const mapQuarantine = (row: TQuarantineRow, mailboxAddress: string | null): TQuarantineItem => ({
  id: row.id,
  mailboxId: row.mailbox_id,
  mailboxAddress,
  source: row.source,
  reason: row.reason,
  status: row.status,
  from: row.from_address,
  subject: row.subject,
  sizeBytes: row.raw_size,
  attempts: row.attempts,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  resolvedAt: row.resolved_at?.toISOString() ?? null,
  resolvedBy: row.resolved_by,
});

/** How long the list of active mailboxes is reused (RCPT checks and ingestion ask for it per message). */
const MAILBOX_CACHE_MS = 1000;

/**
 * The active mailboxes, reused for a second; a caller whose check fails on the cached list gets a
 * fresh one at once, so a new mailbox receives mail immediately (a deactivated one may for a second).
 */
const cacheMailboxes = (load: () => Promise<TInboundMailbox[]>) => {
  let cached: { at: number; list: TInboundMailbox[] } | undefined;
  return async (isEnough: (list: TInboundMailbox[]) => boolean = () => true) => {
    if (cached && Date.now() - cached.at < MAILBOX_CACHE_MS && isEnough(cached.list)) return cached.list;
    const list = await load();
    cached = { at: Date.now(), list };
    return list;
  };
};

/** Inbound email: ingestion for the SMTP listener and IMAP fetcher, the recipient check, the quarantine. */
export const createInboundEmailService = (deps: TServiceDeps) => {
  const { database, storage, clock } = deps;
  const { db } = database;
  const activeMailboxes = cacheMailboxes(() => deps.services().mailboxes.listActive(db));

  const loadItem = async (id: number): Promise<TQuarantineItem> => {
    const row = await inboundRepository.findQuarantine(db, id);
    if (!row) throw new AppError('QUARANTINE_NOT_FOUND');
    const mailbox =
      row.mailbox_id === null ? undefined : await deps.services().mailboxes.findById(db, row.mailbox_id);
    return mapQuarantine(row, mailbox?.address ?? null);
  };

  return {
    /** Ingests one raw email (see ingestEmail): never throws for bad mail, only when storage is down. */
    ingest: (input: TIngestInput): Promise<TIngestResult> => ingestEmail(deps, input, { activeMailboxes }),

    /**
     * The active mailbox an SMTP recipient belongs to: its address, or a reply address
     * (`reply+…`) at its domain. Null for any other address (the listener answers 550).
     */
    resolveRecipient: async (address: string): Promise<{ mailboxId: number } | null> => {
      const found = (list: TInboundMailbox[]) => mailboxOfRecipients(list, [address]);
      const mailbox = found(await activeMailboxes((list) => found(list) !== undefined));
      return mailbox ? { mailboxId: mailbox.id } : null;
    },

    listQuarantine: async (actor: TActor, query: TQuarantineListQuery) => {
      requirePermission(actor, PERMISSION);
      const [at, id] = (decodeCursor(query.cursor, ['timestamp', 'bigid']) ?? []) as [string, number];
      const rows = await inboundRepository.listQuarantine(db, {
        limit: query.limit,
        status: query.status,
        before: at === undefined ? undefined : { at, id },
      });
      const page = rows.slice(0, query.limit);
      const last: TQuarantineListRow | undefined = page.at(-1);
      return {
        items: page.map((row) => mapQuarantine(row, row.mailbox_address)),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.sort_at, last.id]) : null,
      };
    },

    /** Ingests a held message again from its raw source: imported on success, else held with the new reason. */
    retryQuarantine: async (actor: TActor, id: number): Promise<TQuarantineRetryResult> => {
      requirePermission(actor, PERMISSION);
      const row = await inboundRepository.findQuarantine(db, id);
      if (!row) throw new AppError('QUARANTINE_NOT_FOUND');
      if (row.status !== 'held') {
        throw new AppError('QUARANTINE_RESOLVED', `This message was ${row.status} already`, {
          status: row.status,
        });
      }
      const packed = await storage.get(row.raw_storage_key);
      if (!packed) throw new AppError('INTERNAL', 'The raw source of this message is missing from storage');
      const result = await ingestEmail(
        deps,
        {
          mailboxId: row.mailbox_id,
          raw: await gunzip(packed),
          source: row.source,
          recipients: row.envelope.recipients,
          envelopeFrom: row.envelope.envelopeFrom,
        },
        { retryOf: { quarantineId: id, userId: actorUserId(actor) }, activeMailboxes },
      );
      return { item: await loadItem(id), outcome: result.outcome, ticketId: result.ticketId ?? null };
    },

    /** Gives up on a held message; its raw source stays in storage for audit. */
    discardQuarantine: async (actor: TActor, id: number): Promise<TQuarantineItem> => {
      requirePermission(actor, PERMISSION);
      const row = await inboundRepository.findQuarantine(db, id);
      if (!row) throw new AppError('QUARANTINE_NOT_FOUND');
      const done = await inboundRepository.resolveQuarantine(db, id, {
        status: 'discarded',
        resolved_by: actorUserId(actor),
        resolved_at: clock(),
      });
      if (!done) {
        throw new AppError('QUARANTINE_RESOLVED', `This message was ${row.status} already`, {
          status: row.status,
        });
      }
      return loadItem(id);
    },
  };
};

export type TInboundEmailService = ReturnType<typeof createInboundEmailService>;
