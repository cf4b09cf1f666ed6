import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';

type TExecutor = Kysely<DB> | Transaction<DB>;
export type TUpsertOutcome = 'created' | 'updated' | 'unchanged';

// xmax = 0 on a returned row means the statement inserted it; no row means the update was skipped as identical.
const outcomeOf = (row: { inserted: boolean } | undefined): TUpsertOutcome =>
  !row ? 'unchanged' : row.inserted ? 'created' : 'updated';
const inserted = sql<boolean>`(xmax = 0)`.as('inserted');

export const bookingColumns = [
  'bookings.id',
  'bookings.external_id',
  'bookings.code',
  'bookings.status',
  'bookings.traveler_id',
  'bookings.participants',
  'bookings.amount',
  'bookings.currency',
  'bookings.paid_amount',
  'bookings.refunded_amount',
  'bookings.bonus_used',
  'bookings.booked_at',
  'tours.id as tour_id',
  'tours.title as tour_title',
  'tours.region as tour_region',
  'tours.organizer_id as tour_organizer_id',
  'tour_departures.id as departure_id',
  'tour_departures.starts_on',
  'tour_departures.ends_on',
] as const;

const bookingsQuery = (db: TExecutor) =>
  db
    .selectFrom('bookings')
    .innerJoin('tour_departures', 'tour_departures.id', 'bookings.departure_id')
    .innerJoin('tours', 'tours.id', 'tour_departures.tour_id')
    .select(bookingColumns);

export type TBookingJoined = Awaited<ReturnType<ReturnType<typeof bookingsQuery>['executeTakeFirstOrThrow']>>;

export const marketplaceRepository = {
  idsByExternalId: async (
    db: TExecutor,
    table: 'organizations' | 'contacts' | 'tours' | 'tour_departures',
    externalIds: string[],
  ): Promise<Map<string, number>> => {
    if (externalIds.length === 0) return new Map();
    const rows = await db
      .selectFrom(table)
      .select(['id', 'external_id'])
      .where('external_id', 'in', [...new Set(externalIds)])
      .execute();
    return new Map(rows.map((r) => [r.external_id!, r.id]));
  },

  upsertOrganization: async (db: TExecutor, v: { external_id: string; name: string }) =>
    outcomeOf(
      await db
        .insertInto('organizations')
        .values(v)
        .onConflict((oc) =>
          oc
            .column('external_id')
            .doUpdateSet({ name: v.name, updated_at: new Date() })
            .where('organizations.name', 'is distinct from', v.name),
        )
        .returning(inserted)
        .executeTakeFirst(),
    ),

  upsertTour: async (
    db: TExecutor,
    v: {
      external_id: string;
      title: string;
      region: string;
      organizer_id: number | null;
      organization_id: number | null;
      duration_days: number | null;
      url: string | null;
    },
  ) =>
    outcomeOf(
      await db
        .insertInto('tours')
        .values(v)
        .onConflict((oc) =>
          oc
            .column('external_id')
            .doUpdateSet({ ...v, updated_at: new Date() })
            .where(
              sql<boolean>`(tours.title, tours.region, tours.organizer_id, tours.organization_id, tours.duration_days, tours.url) IS DISTINCT FROM (excluded.title, excluded.region, excluded.organizer_id, excluded.organization_id, excluded.duration_days, excluded.url)`,
            ),
        )
        .returning(inserted)
        .executeTakeFirst(),
    ),

  upsertDeparture: async (
    db: TExecutor,
    v: { external_id: string; tour_id: number; starts_on: string; ends_on: string; capacity: number | null },
  ) =>
    outcomeOf(
      await db
        .insertInto('tour_departures')
        .values(v)
        .onConflict((oc) =>
          oc
            .column('external_id')
            .doUpdateSet({ ...v, updated_at: new Date() })
            .where(
              sql<boolean>`(tour_departures.tour_id, tour_departures.starts_on, tour_departures.ends_on, tour_departures.capacity) IS DISTINCT FROM (excluded.tour_id, excluded.starts_on, excluded.ends_on, excluded.capacity)`,
            ),
        )
        .returning(inserted)
        .executeTakeFirst(),
    ),

  upsertBooking: async (
    db: TExecutor,
    v: {
      external_id: string;
      code: string;
      traveler_id: number;
      departure_id: number;
      participants: number;
      status: string;
      amount: number;
      currency: string;
      paid_amount: number;
      refunded_amount: number;
      bonus_used: number;
      booked_at: Date;
    },
  ) =>
    outcomeOf(
      await db
        .insertInto('bookings')
        .values(v)
        .onConflict((oc) =>
          oc
            .column('external_id')
            .doUpdateSet({ ...v, updated_at: new Date() })
            .where(
              sql<boolean>`(bookings.code, bookings.traveler_id, bookings.departure_id, bookings.participants, bookings.status, bookings.amount, bookings.currency, bookings.paid_amount, bookings.refunded_amount, bookings.bonus_used, bookings.booked_at) IS DISTINCT FROM (excluded.code, excluded.traveler_id, excluded.departure_id, excluded.participants, excluded.status, excluded.amount, excluded.currency, excluded.paid_amount, excluded.refunded_amount, excluded.bonus_used, excluded.booked_at)`,
            ),
        )
        .returning(inserted)
        .executeTakeFirst(),
    ),

  findBooking: (db: TExecutor, id: number) =>
    bookingsQuery(db).where('bookings.id', '=', id).executeTakeFirst(),

  bookingsOfTraveler: (db: TExecutor, travelerId: number) =>
    bookingsQuery(db)
      .where('bookings.traveler_id', '=', travelerId)
      .orderBy('tour_departures.starts_on', 'desc')
      .limit(50)
      .execute(),

  bookingsOfOrganizer: (db: TExecutor, organizerId: number, fromDate: string) =>
    bookingsQuery(db)
      .where('tours.organizer_id', '=', organizerId)
      .where('tour_departures.starts_on', '>=', fromDate)
      .orderBy('tour_departures.starts_on')
      .limit(50)
      .execute(),

  listBookings: (
    db: TExecutor,
    f: {
      limit: number;
      afterId?: number;
      travelerId?: number;
      tourId?: number;
      code?: string;
      status?: string;
    },
  ) => {
    let q = bookingsQuery(db)
      .orderBy('bookings.id', 'desc')
      .limit(f.limit + 1);
    if (f.afterId !== undefined) q = q.where('bookings.id', '<', f.afterId);
    if (f.travelerId !== undefined) q = q.where('bookings.traveler_id', '=', f.travelerId);
    if (f.tourId !== undefined) q = q.where('tours.id', '=', f.tourId);
    if (f.code !== undefined) q = q.where('bookings.code', '=', f.code);
    if (f.status !== undefined) q = q.where('bookings.status', '=', f.status);
    return q.execute();
  },

  listTours: (db: TExecutor, f: { limit: number; afterId?: number; organizerId?: number; q?: string }) => {
    let q = db
      .selectFrom('tours')
      .selectAll()
      .orderBy('id')
      .limit(f.limit + 1);
    if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
    if (f.organizerId !== undefined) q = q.where('organizer_id', '=', f.organizerId);
    if (f.q !== undefined) q = q.where('title', 'ilike', `%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
    return q.execute();
  },

  findTour: (db: TExecutor, id: number) =>
    db.selectFrom('tours').selectAll().where('id', '=', id).executeTakeFirst(),

  departuresOfTours: (db: TExecutor, tourIds: number[]) =>
    tourIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('tour_departures')
          .selectAll()
          .where('tour_id', 'in', tourIds)
          .orderBy('starts_on')
          .execute(),
};
