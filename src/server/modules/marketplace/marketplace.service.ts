import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../../shared/errors.ts';
import type { TBooking } from '../../../shared/schemas/contacts.ts';
import type { TMarketplaceSyncRequest, TSyncCounts } from '../../../shared/schemas/marketplace.ts';
import { requirePermission, type TActor } from '../../access/access.ts';
import type { DB } from '../../db/types.ts';
import { encodeCursor } from '../../lib/cursor.ts';
import { calendarDate } from '../../lib/time.ts';
import type { TServiceDeps } from '../../services.ts';
import { mapBooking } from './booking.mapper.ts';
import { marketplaceRepository, type TUpsertOutcome } from './marketplace.repository.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;

type TTourRow = Awaited<ReturnType<typeof marketplaceRepository.listTours>>[number];
type TDepartureRow = Awaited<ReturnType<typeof marketplaceRepository.departuresOfTours>>[number];

const mapTour = (t: TTourRow, departures: TDepartureRow[]) => ({
  id: t.id,
  externalId: t.external_id,
  title: t.title,
  region: t.region,
  organizerId: t.organizer_id,
  durationDays: t.duration_days,
  url: t.url,
  departures: departures
    .filter((d) => d.tour_id === t.id)
    .map((d) => ({ id: d.id, startsOn: d.starts_on, endsOn: d.ends_on, capacity: d.capacity })),
});

const counts = (): TSyncCounts => ({ created: 0, updated: 0, unchanged: 0 });
const tally = (c: TSyncCounts, outcome: TUpsertOutcome) => {
  c[outcome] += 1;
};

const requireId = (map: Map<string, number>, externalId: string, what: string, path: string): number => {
  const id = map.get(externalId);
  if (id === undefined) {
    throw new AppError('VALIDATION_FAILED', `Unknown ${what} ${externalId}`, [
      { path, message: `Unknown ${what}` },
    ]);
  }
  return id;
};

export const createMarketplaceService = ({ database, clock, services }: TServiceDeps) => {
  const { db } = database;
  const today = async (executor: TExecutor = db) =>
    calendarDate(clock(), (await services().settings.current(executor)).timeZone);

  return {
    /** Upserts everything by external id in one transaction; repeating the same payload changes nothing. */
    sync: async (actor: TActor, input: TMarketplaceSyncRequest) => {
      requirePermission(actor, 'marketplace.sync');
      const contacts = services().contacts;
      const result = {
        organizations: counts(),
        organizers: counts(),
        travelers: counts(),
        tours: counts(),
        departures: counts(),
        bookings: counts(),
      };
      await db.transaction().execute(async (trx) => {
        for (const o of input.organizations ?? []) {
          tally(
            result.organizations,
            await marketplaceRepository.upsertOrganization(trx, { external_id: o.externalId, name: o.name }),
          );
        }
        const orgIds = await marketplaceRepository.idsByExternalId(trx, 'organizations', [
          ...(input.organizers ?? []).flatMap((o) =>
            o.organizationExternalId ? [o.organizationExternalId] : [],
          ),
          ...(input.tours ?? []).flatMap((t) => (t.organizationExternalId ? [t.organizationExternalId] : [])),
        ]);
        for (const [i, o] of (input.organizers ?? []).entries()) {
          const organizationId = o.organizationExternalId
            ? requireId(
                orgIds,
                o.organizationExternalId,
                'organization',
                `organizers.${i}.organizationExternalId`,
              )
            : null;
          tally(
            result.organizers,
            await contacts.upsertFromMarketplace(trx, { ...o, kind: 'organizer', organizationId }),
          );
        }
        for (const t of input.travelers ?? []) {
          tally(
            result.travelers,
            await contacts.upsertFromMarketplace(trx, { ...t, kind: 'traveler', organizationId: null }),
          );
        }
        // Bookings and tours follow a merged contact to the one it was merged into.
        const people = await contacts.idsByExternalId(trx, [
          ...(input.tours ?? []).flatMap((t) => (t.organizerExternalId ? [t.organizerExternalId] : [])),
          ...(input.bookings ?? []).map((b) => b.travelerExternalId),
        ]);
        for (const [i, t] of (input.tours ?? []).entries()) {
          tally(
            result.tours,
            await marketplaceRepository.upsertTour(trx, {
              external_id: t.externalId,
              title: t.title,
              region: t.region ?? '',
              organizer_id: t.organizerExternalId
                ? requireId(people, t.organizerExternalId, 'organizer', `tours.${i}.organizerExternalId`)
                : null,
              organization_id: t.organizationExternalId
                ? requireId(
                    orgIds,
                    t.organizationExternalId,
                    'organization',
                    `tours.${i}.organizationExternalId`,
                  )
                : null,
              duration_days: t.durationDays ?? null,
              url: t.url ?? null,
            }),
          );
        }
        const tourIds = await marketplaceRepository.idsByExternalId(
          trx,
          'tours',
          (input.departures ?? []).map((d) => d.tourExternalId),
        );
        for (const [i, d] of (input.departures ?? []).entries()) {
          tally(
            result.departures,
            await marketplaceRepository.upsertDeparture(trx, {
              external_id: d.externalId,
              tour_id: requireId(tourIds, d.tourExternalId, 'tour', `departures.${i}.tourExternalId`),
              starts_on: d.startsOn,
              ends_on: d.endsOn,
              capacity: d.capacity ?? null,
            }),
          );
        }
        const departureIds = await marketplaceRepository.idsByExternalId(
          trx,
          'tour_departures',
          (input.bookings ?? []).map((b) => b.departureExternalId),
        );
        for (const [i, b] of (input.bookings ?? []).entries()) {
          tally(
            result.bookings,
            await marketplaceRepository.upsertBooking(trx, {
              external_id: b.externalId,
              code: b.code,
              traveler_id: requireId(
                people,
                b.travelerExternalId,
                'traveler',
                `bookings.${i}.travelerExternalId`,
              ),
              departure_id: requireId(
                departureIds,
                b.departureExternalId,
                'departure',
                `bookings.${i}.departureExternalId`,
              ),
              participants: b.participants,
              status: b.status,
              amount: b.amount,
              currency: b.currency.toUpperCase(),
              paid_amount: b.paidAmount,
              refunded_amount: b.refundedAmount,
              bonus_used: b.bonusUsed,
              booked_at: b.bookedAt ? new Date(b.bookedAt) : new Date(0),
            }),
          );
        }
      });
      return result;
    },

    /** Bookings shown beside a person: a traveler's own, or those on an organizer's upcoming departures. */
    bookingsOfContact: async (
      executor: TExecutor,
      contact: { id: number; kind: string },
    ): Promise<TBooking[]> => {
      const day = await today(executor);
      const rows =
        contact.kind === 'organizer'
          ? await marketplaceRepository.bookingsOfOrganizer(executor, contact.id, day)
          : await marketplaceRepository.bookingsOfTraveler(executor, contact.id);
      return rows.map((r) => mapBooking(r, day));
    },

    findBooking: async (executor: TExecutor, id: number): Promise<TBooking | null> => {
      const row = await marketplaceRepository.findBooking(executor, id);
      return row ? mapBooking(row, await today(executor)) : null;
    },

    getBooking: async (actor: TActor, id: number) => {
      requirePermission(actor, 'marketplace.read');
      const row = await marketplaceRepository.findBooking(db, id);
      if (!row) throw new AppError('BOOKING_NOT_FOUND');
      return mapBooking(row, await today());
    },

    listBookings: async (
      actor: TActor,
      f: {
        limit: number;
        afterId?: number;
        travelerId?: number;
        tourId?: number;
        code?: string;
        status?: string;
      },
    ) => {
      requirePermission(actor, 'marketplace.read');
      const day = await today();
      const rows = await marketplaceRepository.listBookings(db, f);
      const page = rows.slice(0, f.limit);
      return {
        items: page.map((r) => mapBooking(r, day)),
        nextCursor: rows.length > f.limit ? encodeCursor([page.at(-1)!.id]) : null,
      };
    },

    listTours: async (
      actor: TActor,
      f: { limit: number; afterId?: number; organizerId?: number; q?: string },
    ) => {
      requirePermission(actor, 'marketplace.read');
      const rows = await marketplaceRepository.listTours(db, f);
      const page = rows.slice(0, f.limit);
      const departures = await marketplaceRepository.departuresOfTours(
        db,
        page.map((t) => t.id),
      );
      return {
        items: page.map((t) => mapTour(t, departures)),
        nextCursor: rows.length > f.limit ? encodeCursor([page.at(-1)!.id]) : null,
      };
    },

    getTour: async (actor: TActor, id: number) => {
      requirePermission(actor, 'marketplace.read');
      const t = await marketplaceRepository.findTour(db, id);
      if (!t) throw new AppError('TOUR_NOT_FOUND');
      const departures = await marketplaceRepository.departuresOfTours(db, [t.id]);
      return mapTour(t, departures);
    },
  };
};

export type TMarketplaceService = ReturnType<typeof createMarketplaceService>;
