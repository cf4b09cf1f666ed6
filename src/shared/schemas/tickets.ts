import { z } from 'zod';
import {
  AUTHOR_KINDS,
  CHANNELS,
  CONTACT_KINDS,
  IDENTITY_CHANNELS,
  LINK_KINDS,
  MESSAGE_KINDS,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
} from '../enums.ts';
import { ZCursor, ZId, ZIdQuery, ZIsoDateTime, ZLimit } from './common.ts';
import { ZBooking, ZIdentity } from './contacts.ts';
import { ZDelivery } from './mailboxes.ts';

const ZTag = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^\s,]+$/, 'Tags have no spaces or commas');
const ZCustomFields = z
  .record(z.string().max(100), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 100, 'At most 100 custom fields');

export const ZAttachment = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  url: z.string(),
});

export const ZAttachmentInput = z.object({
  filename: z.string().trim().min(1).max(255),
  contentType: z.string().trim().min(3).max(200).default('application/octet-stream'),
  contentBase64: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/=\s]+$/, 'Must be base64'),
});

export const ZRequesterSummary = z.object({
  id: z.number().int(),
  kind: z.enum(CONTACT_KINDS),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  identities: z.array(ZIdentity),
  organization: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  bonusBalance: z.number(),
  ticketCount: z.number().int(),
});

export const ZTicket = z.object({
  id: z.number().int(),
  number: z.number().int(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  channel: z.enum(CHANNELS),
  requesterId: z.number().int(),
  requesterKind: z.enum(CONTACT_KINDS),
  requesterName: z.string(),
  assigneeId: z.number().int().nullable(),
  groupId: z.number().int().nullable(),
  bookingId: z.number().int().nullable(),
  customFields: z.record(z.string(), z.unknown()),
  isSpam: z.boolean(),
  mergedIntoId: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  solvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  lastMessageAt: z.string().nullable(),
});
export type TTicket = z.infer<typeof ZTicket>;

export const ZTicketLink = z.object({
  ticketId: z.number().int(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  kind: z.enum(LINK_KINDS),
  direction: z.enum(['outgoing', 'incoming']),
});

export const ZTicketDetail = ZTicket.extend({
  requester: ZRequesterSummary,
  bookings: z.array(ZBooking),
  booking: ZBooking.nullable(),
  links: z.array(ZTicketLink),
  previousTickets: z.array(
    z.object({
      id: z.number().int(),
      subject: z.string(),
      status: z.string(),
      channel: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type TTicketDetail = z.infer<typeof ZTicketDetail>;

export const ZRequesterInput = z.union([
  z.object({ id: ZId }),
  z.object({
    identity: z.object({ channel: z.enum(IDENTITY_CHANNELS), value: z.string().trim().min(1).max(320) }),
    name: z.string().trim().max(200).optional(),
    kind: z.enum(CONTACT_KINDS).optional(),
  }),
]);

export const ZCreateTicketRequest = z.object({
  subject: z.string().trim().min(1).max(500),
  requester: ZRequesterInput,
  channel: z.enum(CHANNELS).default('api'),
  status: z.enum(['new', 'open', 'pending', 'on_hold', 'solved']).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  tags: z.array(ZTag).max(50).optional(),
  assigneeId: ZId.optional(),
  groupId: ZId.optional(),
  bookingId: ZId.optional(),
  customFields: ZCustomFields.optional(),
  message: z
    .object({
      text: z.string().max(200_000).optional(),
      html: z.string().max(500_000).optional(),
      author: z.enum(['contact', 'agent']).default('contact'),
      attachments: z.array(ZAttachmentInput).max(20).optional(),
    })
    .refine((m) => (m.text ?? m.html ?? '').trim().length > 0, 'Message text or html is required')
    .optional(),
});
export type TCreateTicketRequest = z.infer<typeof ZCreateTicketRequest>;

export const ZUpdateTicketRequest = z.object({
  subject: z.string().trim().min(1).max(500).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  tags: z.array(ZTag).max(50).optional(),
  assigneeId: ZId.nullable().optional(),
  groupId: ZId.nullable().optional(),
  bookingId: ZId.nullable().optional(),
  requesterId: ZId.optional(),
  customFields: ZCustomFields.optional(),
  isSpam: z.boolean().optional(),
});
export type TUpdateTicketRequest = z.infer<typeof ZUpdateTicketRequest>;

const ZCsvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(20));

/** What a ticket list selects and in which order; saved views store exactly this. */
export const ZTicketFilters = z.object({
  sort: z.enum(TICKET_SORTS).optional(),
  status: ZCsvList(z.enum(TICKET_STATUSES)).optional(),
  priority: ZCsvList(z.enum(TICKET_PRIORITIES)).optional(),
  assigneeId: z.union([z.literal('none'), z.literal('me'), ZIdQuery]).optional(),
  groupId: z.union([z.literal('none'), ZIdQuery]).optional(),
  requesterId: ZIdQuery.optional(),
  requesterKind: z.enum(CONTACT_KINDS).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  channel: ZCsvList(z.enum(CHANNELS)).optional(),
  bookingId: ZIdQuery.optional(),
  updatedSince: ZIsoDateTime.optional(),
  tripStartsWithinDays: z.coerce.number().int().min(0).max(365).optional(),
  /** Solved within the last N days by solvedAt, whatever the status now (auto-closed included). */
  solvedWithinDays: z.coerce.number().int().min(1).max(365).optional(),
  includeSpam: z.enum(['true', 'false']).optional(),
});
export type TTicketFilters = z.infer<typeof ZTicketFilters>;

export const ZTicketListQuery = ZTicketFilters.extend({ limit: ZLimit, cursor: ZCursor });
export type TTicketListQuery = z.infer<typeof ZTicketListQuery>;

export const ZBulkUpdateTicketsRequest = z.object({
  ids: z
    .array(ZId)
    .min(1)
    .max(200)
    .refine((ids) => new Set(ids).size === ids.length, 'Ticket ids must be unique'),
  set: z
    .object({
      assigneeId: ZId.nullable().optional(),
      groupId: ZId.nullable().optional(),
      status: z.enum(TICKET_STATUSES).optional(),
      priority: z.enum(TICKET_PRIORITIES).optional(),
      addTags: z.array(ZTag).min(1).max(50).optional(),
      removeTags: z.array(ZTag).min(1).max(50).optional(),
    })
    .strict()
    .refine((s) => Object.values(s).some((v) => v !== undefined), 'Nothing to change')
    .refine(
      (s) => !s.addTags?.some((tag) => s.removeTags?.includes(tag)),
      'A tag cannot be added and removed at once',
    ),
});
export type TBulkUpdateTicketsRequest = z.infer<typeof ZBulkUpdateTicketsRequest>;

export const ZBulkUpdateResult = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), version: z.number().int() }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export const ZBulkUpdateTicketsResponse = z.object({ results: z.array(ZBulkUpdateResult) });
export type TBulkUpdateTicketsResponse = z.infer<typeof ZBulkUpdateTicketsResponse>;

export const ZMessage = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  kind: z.enum(MESSAGE_KINDS),
  authorKind: z.enum(AUTHOR_KINDS),
  authorUserId: z.number().int().nullable(),
  authorContactId: z.number().int().nullable(),
  authorName: z.string(),
  channel: z.string(),
  isAuto: z.boolean(),
  text: z.string(),
  html: z.string().nullable(),
  attachments: z.array(ZAttachment),
  /** The outgoing email of a reply sent by email: queued (retrying), sent, failed or bounced; null otherwise. */
  delivery: ZDelivery.nullable(),
  createdAt: z.string(),
});
export type TMessage = z.infer<typeof ZMessage>;

export const ZCreateMessageRequest = z
  .object({
    kind: z.enum(MESSAGE_KINDS).default('reply'),
    text: z.string().max(200_000).optional(),
    html: z.string().max(500_000).optional(),
    attachments: z.array(ZAttachmentInput).max(20).optional(),
    status: z.enum(['open', 'pending', 'on_hold', 'solved']).optional(),
    /** With an integration token: the message comes from the requester rather than from support. */
    author: z.enum(['agent', 'contact']).optional(),
  })
  .refine((m) => (m.text ?? m.html ?? '').trim().length > 0 || (m.attachments?.length ?? 0) > 0, {
    message: 'Message text, html or an attachment is required',
    path: ['text'],
  });
export type TCreateMessageRequest = z.infer<typeof ZCreateMessageRequest>;

export const ZTicketEvent = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  type: z.string(),
  actor: z.object({
    kind: z.enum(['user', 'contact', 'system', 'token']),
    id: z.number().int().nullable(),
    name: z.string().nullable(),
  }),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TTicketEvent = z.infer<typeof ZTicketEvent>;

export const ZMergeTicketRequest = z.object({ targetId: ZId });
export const ZLinkTicketRequest = z.object({
  targetId: ZId,
  kind: z.enum(LINK_KINDS).default('related'),
});

export const ZSearchQuery = z.object({
  q: z.string().trim().min(1).max(300),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  type: z.enum(['ticket', 'message', 'contact']).optional(),
});

export const ZSearchHit = z.object({
  type: z.enum(['ticket', 'message', 'contact']),
  id: z.number().int(),
  ticketId: z.number().int().nullable(),
  title: z.string(),
  snippet: z.string(),
  rank: z.number(),
  updatedAt: z.string(),
});
export const ZSearchResponse = z.object({ query: z.string(), items: z.array(ZSearchHit) });
