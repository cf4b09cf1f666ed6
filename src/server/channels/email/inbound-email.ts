import { z } from 'zod';

export const ZEmailSender = z.object({ address: z.string().min(3).max(254), name: z.string().max(200) });

export const ZInboundAttachment = z.object({
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1).max(200),
  /** Content-ID without brackets, when the part has one (inline images are referenced by it). */
  contentId: z.string().max(500).nullable(),
  isInline: z.boolean(),
  content: z.instanceof(Buffer),
});
export type TInboundAttachment = z.infer<typeof ZInboundAttachment>;

/** A delivery report: whom the original went to, why it failed, and the ids it may carry of the original. */
export const ZBounce = z.object({
  recipient: z.string().max(500).nullable(),
  reason: z.string().max(2000),
  originalMessageIds: z.array(z.string()).max(100),
});
export type TBounce = z.infer<typeof ZBounce>;

/**
 * One inbound email, normalized: what ingestion needs and nothing of the MIME tree. Text is NUL-free
 * (PostgreSQL text cannot hold it), HTML is sanitized, ids are in canonical `<…>` form.
 */
export const ZInboundEmail = z.object({
  messageId: z.string().min(3).max(500),
  /** True when the message had no Message-ID and `messageId` is the content hash stand-in. */
  isMessageIdSynthetic: z.boolean(),
  /** sha256 of what the sender wrote (see contentHashOf): the same message relayed twice hashes the same. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()).max(50),
  /** The author: From, else Sender, else the envelope sender. Null only for a bounce or broken mail. */
  from: ZEmailSender.nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  /** Delivered-To / X-Original-To: where a relay or IMAP server says it delivered the message. */
  deliveredTo: z.array(z.string()),
  subject: z.string().max(1000),
  date: z.date().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  attachments: z.array(ZInboundAttachment),
  /** Why this is automatic mail (auto-reply, list, loop); empty when a person wrote it. */
  autoReasons: z.array(z.string()),
  bounce: ZBounce.nullable(),
});
export type TInboundEmail = z.infer<typeof ZInboundEmail>;
