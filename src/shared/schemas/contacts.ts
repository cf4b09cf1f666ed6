import { z } from 'zod';
import { BOOKING_STATUSES, CONTACT_KINDS, IDENTITY_CHANNELS } from '../enums.ts';
import { ZCursor, ZId, ZLimit } from './common.ts';

export const ZIdentity = z.object({
  id: z.number().int(),
  channel: z.enum(IDENTITY_CHANNELS),
  value: z.string(),
  isVerified: z.boolean(),
});

export const ZIdentityInput = z.object({
  channel: z.enum(IDENTITY_CHANNELS),
  value: z.string().trim().min(1).max(320),
  isVerified: z.boolean().optional(),
});
export type TIdentityInput = z.infer<typeof ZIdentityInput>;

export const ZBooking = z.object({
  id: z.number().int(),
  externalId: z.string().nullable(),
  code: z.string(),
  status: z.enum(BOOKING_STATUSES),
  travelerId: z.number().int(),
  tour: z.object({
    id: z.number().int(),
    title: z.string(),
    region: z.string(),
    organizerId: z.number().int().nullable(),
  }),
  departure: z.object({ id: z.number().int(), startsOn: z.string(), endsOn: z.string() }),
  participants: z.number().int(),
  amount: z.number(),
  currency: z.string(),
  paidAmount: z.number(),
  refundedAmount: z.number(),
  bonusUsed: z.number(),
  paymentState: z.enum(['unpaid', 'partially_paid', 'paid', 'partially_refunded', 'refunded']),
  startsInDays: z.number().int(),
  bookedAt: z.string(),
});
export type TBooking = z.infer<typeof ZBooking>;

export const ZContact = z.object({
  id: z.number().int(),
  externalId: z.string().nullable(),
  kind: z.enum(CONTACT_KINDS),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  organization: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  language: z.string().nullable(),
  notes: z.string(),
  bonusBalance: z.number(),
  discounts: z.array(z.unknown()),
  identities: z.array(ZIdentity),
  mergedIntoId: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TContact = z.infer<typeof ZContact>;

export const ZContactDetail = ZContact.extend({
  bookings: z.array(ZBooking),
  recentTickets: z.array(
    z.object({
      id: z.number().int(),
      subject: z.string(),
      status: z.string(),
      channel: z.string(),
      createdAt: z.string(),
    }),
  ),
});

export const ZCreateContactRequest = z.object({
  kind: z.enum(CONTACT_KINDS),
  name: z.string().trim().max(200).default(''),
  externalId: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().trim().min(3).max(40).optional(),
  organizationId: ZId.optional(),
  language: z.enum(['ru', 'en']).optional(),
  notes: z.string().max(10_000).optional(),
  identities: z.array(ZIdentityInput).max(20).optional(),
});
export type TCreateContactRequest = z.infer<typeof ZCreateContactRequest>;

export const ZUpdateContactRequest = z.object({
  kind: z.enum(CONTACT_KINDS).optional(),
  name: z.string().trim().max(200).optional(),
  organizationId: ZId.nullable().optional(),
  language: z.enum(['ru', 'en']).nullable().optional(),
  notes: z.string().max(10_000).optional(),
  addIdentities: z.array(ZIdentityInput).max(20).optional(),
  removeIdentityIds: z.array(ZId).max(20).optional(),
});
export type TUpdateContactRequest = z.infer<typeof ZUpdateContactRequest>;

export const ZContactListQuery = z.object({
  limit: ZLimit,
  cursor: ZCursor,
  kind: z.enum(CONTACT_KINDS).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  email: z.string().trim().min(1).max(320).optional(),
  phone: z.string().trim().min(1).max(40).optional(),
});
export type TContactListQuery = z.infer<typeof ZContactListQuery>;

export const ZMergeContactsRequest = z.object({ sourceId: ZId });
