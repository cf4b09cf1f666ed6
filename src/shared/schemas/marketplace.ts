import { z } from 'zod';
import { BOOKING_STATUSES } from '../enums.ts';
import { ZCursor, ZIdQuery, ZIsoDate, ZIsoDateTime, ZLimit } from './common.ts';

const ZExternalId = z.string().trim().min(1).max(200);
const ZMoney = z.number().min(0).max(1e10);

const ZPersonSync = z.object({
  externalId: ZExternalId,
  name: z.string().trim().max(200).default(''),
  email: z.email().max(320).optional(),
  phone: z.string().trim().min(3).max(40).optional(),
  language: z.enum(['ru', 'en']).optional(),
});

export const ZMarketplaceSyncRequest = z.object({
  organizations: z
    .array(z.object({ externalId: ZExternalId, name: z.string().trim().min(1).max(200) }))
    .max(5000)
    .optional(),
  organizers: z
    .array(ZPersonSync.extend({ organizationExternalId: ZExternalId.optional() }))
    .max(5000)
    .optional(),
  travelers: z
    .array(
      ZPersonSync.extend({
        bonusBalance: ZMoney.optional(),
        discounts: z
          .array(
            z.object({
              code: z.string().max(100),
              percent: z.number().min(0).max(100).optional(),
              amount: ZMoney.optional(),
            }),
          )
          .max(50)
          .optional(),
      }),
    )
    .max(5000)
    .optional(),
  tours: z
    .array(
      z.object({
        externalId: ZExternalId,
        title: z.string().trim().min(1).max(300),
        region: z.string().trim().max(200).optional(),
        organizerExternalId: ZExternalId.optional(),
        organizationExternalId: ZExternalId.optional(),
        durationDays: z.number().int().min(1).max(365).optional(),
        url: z.url().max(2000).optional(),
      }),
    )
    .max(5000)
    .optional(),
  departures: z
    .array(
      z
        .object({
          externalId: ZExternalId,
          tourExternalId: ZExternalId,
          startsOn: ZIsoDate,
          endsOn: ZIsoDate,
          capacity: z.number().int().min(0).max(100_000).optional(),
        })
        .refine((d) => d.endsOn >= d.startsOn, { message: 'endsOn is before startsOn', path: ['endsOn'] }),
    )
    .max(5000)
    .optional(),
  bookings: z
    .array(
      z.object({
        externalId: ZExternalId,
        code: z.string().trim().min(1).max(100),
        travelerExternalId: ZExternalId,
        departureExternalId: ZExternalId,
        participants: z.number().int().min(1).max(1000).default(1),
        status: z.enum(BOOKING_STATUSES),
        amount: ZMoney,
        currency: z.string().trim().length(3).default('RUB'),
        paidAmount: ZMoney.default(0),
        refundedAmount: ZMoney.default(0),
        bonusUsed: ZMoney.default(0),
        bookedAt: ZIsoDateTime.optional(),
      }),
    )
    .max(20_000)
    .optional(),
});
export type TMarketplaceSyncRequest = z.infer<typeof ZMarketplaceSyncRequest>;

const ZCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export const ZMarketplaceSyncResponse = z.object({
  organizations: ZCounts,
  organizers: ZCounts,
  travelers: ZCounts,
  tours: ZCounts,
  departures: ZCounts,
  bookings: ZCounts,
});
export type TSyncCounts = z.infer<typeof ZCounts>;

export const ZTour = z.object({
  id: z.number().int(),
  externalId: z.string().nullable(),
  title: z.string(),
  region: z.string(),
  organizerId: z.number().int().nullable(),
  durationDays: z.number().int().nullable(),
  url: z.string().nullable(),
  departures: z.array(
    z.object({
      id: z.number().int(),
      startsOn: z.string(),
      endsOn: z.string(),
      capacity: z.number().int().nullable(),
    }),
  ),
});

export const ZTourListQuery = z.object({
  limit: ZLimit,
  cursor: ZCursor,
  organizerId: ZIdQuery.optional(),
  q: z.string().trim().min(1).max(200).optional(),
});

export const ZBookingListQuery = z.object({
  limit: ZLimit,
  cursor: ZCursor,
  travelerId: ZIdQuery.optional(),
  tourId: ZIdQuery.optional(),
  code: z.string().trim().min(1).max(100).optional(),
  status: z.enum(BOOKING_STATUSES).optional(),
});
