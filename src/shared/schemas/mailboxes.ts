import { z } from 'zod';
import { ZId } from './common.ts';

/** A host name or an IP address literal, as a mail server is configured. */
const ZHost = z
  .string()
  .trim()
  .min(1)
  .max(253)
  // No regex flags: the pattern goes into the OpenAPI document as written.
  .regex(
    /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)$/,
    'Not a host name',
  );
const ZPort = z.number().int().min(1).max(65535);
const ZLogin = z.string().trim().min(1).max(320);
/** Write-only: a password is accepted, stored encrypted and never returned. */
const ZPassword = z.string().min(1).max(1024);

export const ZImapSettingsInput = z.object({
  type: z.literal('imap'),
  host: ZHost,
  port: ZPort,
  secure: z.boolean(),
  user: ZLogin,
  /** Required when the mailbox has no stored IMAP password yet; left out, the stored one is kept. */
  password: ZPassword.optional(),
  folder: z.string().trim().min(1).max(255).default('INBOX'),
  /** After import, move the message to this folder (created when missing) instead of marking it seen. */
  moveTo: z.string().trim().min(1).max(255).nullish(),
});

export const ZInboundInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('smtp') }),
  ZImapSettingsInput,
]);
export type TInboundInput = z.infer<typeof ZInboundInput>;

export const ZOutboundInput = z.object({
  host: ZHost,
  port: ZPort,
  secure: z.boolean(),
  /** Without a user the server is used without authentication (and a stored password is dropped). */
  user: ZLogin.nullable().optional(),
  /** Left out: the stored password is kept; null: it is removed. */
  password: ZPassword.nullable().optional(),
});
export type TOutboundInput = z.infer<typeof ZOutboundInput>;

export const ZCreateMailboxRequest = z.object({
  address: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  groupId: ZId.nullable().optional(),
  inbound: ZInboundInput,
  outbound: ZOutboundInput,
  signature: z.string().max(5000).optional(),
  autoAcknowledge: z.boolean().optional(),
});
export type TCreateMailboxRequest = z.infer<typeof ZCreateMailboxRequest>;

export const ZUpdateMailboxRequest = ZCreateMailboxRequest.partial().extend({
  isActive: z.boolean().optional(),
});
export type TUpdateMailboxRequest = z.infer<typeof ZUpdateMailboxRequest>;

export const ZMailbox = z
  .object({
    id: z.number().int(),
    address: z.string(),
    name: z.string(),
    groupId: z.number().int().nullable(),
    inbound: z.discriminatedUnion('type', [
      z.object({ type: z.literal('smtp') }),
      z.object({
        type: z.literal('imap'),
        host: z.string(),
        port: z.number().int(),
        secure: z.boolean(),
        user: z.string(),
        folder: z.string(),
        moveTo: z.string().nullable(),
        hasPassword: z.boolean(),
      }),
    ]),
    outbound: z.object({
      host: z.string(),
      port: z.number().int(),
      secure: z.boolean(),
      user: z.string().nullable(),
      hasPassword: z.boolean(),
    }),
    signature: z.string(),
    autoAcknowledge: z.boolean(),
    isActive: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type TMailbox = z.infer<typeof ZMailbox>;

/** Test the stored outbound settings, or the given ones (a left-out password falls back to the stored one). */
export const ZTestMailboxRequest = z.object({ outbound: ZOutboundInput.optional() });
export type TTestMailboxRequest = z.infer<typeof ZTestMailboxRequest>;

export const ZMailboxTestResult = z.object({ ok: z.boolean(), error: z.string().optional() });
export type TMailboxTestResult = z.infer<typeof ZMailboxTestResult>;

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'bounced'] as const;
export type TDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Where an outgoing email is: queued (maybe retrying), sent with the server's answer, failed, bounced. */
export const ZDelivery = z.object({
  status: z.enum(DELIVERY_STATUSES),
  detail: z.string().nullable(),
  attempts: z.number().int(),
});
export type TDelivery = z.infer<typeof ZDelivery>;
