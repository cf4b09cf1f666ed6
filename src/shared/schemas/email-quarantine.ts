import { z } from 'zod';
import { ZCursor, ZLimit } from './common.ts';

export const QUARANTINE_STATUSES = ['held', 'imported', 'discarded'] as const;
export type TQuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

/** What ingesting one inbound email came to. */
export const INGEST_OUTCOMES = [
  'created',
  'threaded',
  'duplicate',
  'bounce',
  'auto_reply_dropped',
  'quarantined',
] as const;
export type TIngestOutcome = (typeof INGEST_OUTCOMES)[number];

/** An inbound email held because it could not be parsed or stored; its raw source is kept. */
export const ZQuarantineItem = z.object({
  id: z.number().int(),
  mailboxId: z.number().int().nullable(),
  mailboxAddress: z.string().nullable(),
  source: z.enum(['smtp', 'imap']),
  reason: z.string(),
  status: z.enum(QUARANTINE_STATUSES),
  /** From and Subject as far as they could be read; null when not even that. */
  from: z.string().nullable(),
  subject: z.string().nullable(),
  sizeBytes: z.number().int(),
  /** Deliveries and retries that ended here. */
  attempts: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.number().int().nullable(),
});
export type TQuarantineItem = z.infer<typeof ZQuarantineItem>;

export const ZQuarantineListQuery = z.object({
  limit: ZLimit,
  cursor: ZCursor,
  status: z.enum(QUARANTINE_STATUSES).optional(),
});
export type TQuarantineListQuery = z.infer<typeof ZQuarantineListQuery>;

/** A retry's result: the item (imported, or still held with the new reason) and what ingestion did. */
export const ZQuarantineRetryResult = z.object({
  item: ZQuarantineItem,
  outcome: z.enum(INGEST_OUTCOMES),
  ticketId: z.number().int().nullable(),
});
export type TQuarantineRetryResult = z.infer<typeof ZQuarantineRetryResult>;
