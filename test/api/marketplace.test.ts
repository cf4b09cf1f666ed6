import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { addDays, calendarDate } from '../../src/server/lib/time.ts';
import type { TTokenRole } from '../../src/shared/enums.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { ZBooking, ZContact, ZContactDetail } from '../../src/shared/schemas/contacts.ts';
import { ZMarketplaceSyncResponse, ZTour } from '../../src/shared/schemas/marketplace.ts';
import { ZTicketDetail } from '../../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from '../app.ts';

// 06:00 UTC today is 09:00 in Moscow, the workspace's zone: "starts in N days" is N whatever the hour of the run.
const real = new Date();
let now = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate(), 6);
const clock = () => {
  now += 1000;
  return new Date(now);
};
const TODAY = calendarDate(new Date(now), 'Europe/Moscow');
const day = (days: number) => addDays(TODAY, days);

const ZBookingPage = ZPage(ZBooking);
const ZTourPage = ZPage(ZTour);
type TSyncBody = Record<string, unknown[]>;
type TBooking = z.infer<typeof ZBooking>;

let t: TTestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

const sync = async (body: TSyncBody, token = t.tokens.integration) => {
  const res = await t.request('POST', '/api/v1/marketplace/sync', { token, body });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.parse(ZMarketplaceSyncResponse);
};
const get = async <T>(url: string, schema: z.ZodType<T>, token = t.tokens.agent) => {
  const res = await t.request('GET', url, { token });
  expect(res.status, `${url} ${JSON.stringify(res.json)}`).toBe(200);
  return res.parse(schema);
};
const contactByEmail = async (email: string) => {
  const page = await get(`/api/v1/contacts?email=${encodeURIComponent(email)}`, ZPage(ZContact));
  expect(page.items, email).toHaveLength(1);
  return page.items[0];
};
const bookingByCode = async (code: string) => {
  const page = await get(`/api/v1/bookings?code=${code}`, ZBookingPage);
  expect(page.items, code).toHaveLength(1);
  return page.items[0];
};
const errorPaths = (json: unknown) =>
  ((json as { error: { details?: { path: string }[] } }).error.details ?? []).map((d) => d.path);
const counts = (created: number, updated: number, unchanged: number) => ({ created, updated, unchanged });

/** The catalogue the marketplace pushes; tests change copies of it. */
const catalogue = (): TSyncBody => ({
  organizations: [{ externalId: 'mp-org-1', name: 'ООО Северные тропы' }],
  organizers: [
    {
      externalId: 'mp-orgr-1',
      name: 'Гид Степан',
      email: 'stepan@mp.test',
      organizationExternalId: 'mp-org-1',
    },
    { externalId: 'mp-orgr-2', name: 'Гид Дина', phone: '+7 999 000-00-01', language: 'ru' },
  ],
  travelers: [
    {
      externalId: 'mp-tr-kira',
      name: 'Кира Белова',
      email: 'kira@mp.test',
      language: 'en',
      bonusBalance: 1500.5,
      discounts: [{ code: 'LOYAL', percent: 5 }],
    },
    { externalId: 'mp-tr-lev', name: 'Лев', email: 'lev@mp.test' },
    { externalId: 'mp-tr-marta', name: 'Марта Иванова', email: 'MARTA@mp.test' },
    { externalId: 'mp-tr-fedor', name: 'Фёдор', phone: '+7 921 000-00-07' },
  ],
  tours: [
    {
      externalId: 'mp-tour-karelia',
      title: 'Карелия на байдарках',
      region: 'Карелия',
      organizerExternalId: 'mp-orgr-1',
      organizationExternalId: 'mp-org-1',
      durationDays: 7,
      url: 'https://tours.example/karelia',
    },
    { externalId: 'mp-tour-ladoga', title: 'Ладожские шхеры', organizerExternalId: 'mp-orgr-2' },
  ],
  departures: [
    {
      externalId: 'mp-dep-soon',
      tourExternalId: 'mp-tour-karelia',
      startsOn: day(10),
      endsOn: day(17),
      capacity: 12,
    },
    { externalId: 'mp-dep-past', tourExternalId: 'mp-tour-karelia', startsOn: day(-30), endsOn: day(-23) },
    { externalId: 'mp-dep-later', tourExternalId: 'mp-tour-ladoga', startsOn: day(60), endsOn: day(65) },
  ],
  bookings: [
    {
      externalId: 'mp-bk-1',
      code: 'MP-1',
      travelerExternalId: 'mp-tr-kira',
      departureExternalId: 'mp-dep-soon',
      participants: 2,
      status: 'confirmed',
      amount: 50_000,
      currency: 'rub',
      paidAmount: 50_000,
      bonusUsed: 500,
      bookedAt: '2025-01-15T10:00:00+03:00',
    },
    {
      externalId: 'mp-bk-2',
      code: 'MP-2',
      travelerExternalId: 'mp-tr-lev',
      departureExternalId: 'mp-dep-past',
      status: 'completed',
      amount: 30_000,
      paidAmount: 10_000,
    },
    {
      externalId: 'mp-bk-3',
      code: 'MP-3',
      travelerExternalId: 'mp-tr-kira',
      departureExternalId: 'mp-dep-later',
      status: 'cancelled',
      amount: 20_000,
      paidAmount: 20_000,
      refundedAmount: 20_000,
    },
    {
      externalId: 'mp-bk-4',
      code: 'MP-4',
      travelerExternalId: 'mp-tr-lev',
      departureExternalId: 'mp-dep-later',
      status: 'pending',
      amount: 40_000,
      currency: 'EUR',
    },
    {
      externalId: 'mp-bk-5',
      code: 'MP-5',
      travelerExternalId: 'mp-tr-marta',
      departureExternalId: 'mp-dep-soon',
      status: 'confirmed',
      amount: 10_000,
      paidAmount: 10_000,
      refundedAmount: 5_000,
    },
  ],
});

describe('POST /api/v1/marketplace/sync', () => {
  let marta: number;
  let fedor: number;

  beforeAll(async () => {
    // People support already knows, from a ticket and from a call, before the marketplace pushes them.
    const ticket = await t.request('POST', '/api/v1/tickets', {
      token: t.tokens.agent,
      body: {
        subject: 'Вопрос по туру',
        requester: { identity: { channel: 'email', value: 'marta@mp.test' } },
      },
    });
    expect(ticket.status).toBe(201);
    marta = ticket.parse(ZTicketDetail).requesterId;
    const called = await t.request('POST', '/api/v1/contacts', {
      token: t.tokens.agent,
      body: { kind: 'traveler', name: 'Звонивший', phone: '8 (921) 000-00-07' },
    });
    expect(called.status).toBe(201);
    fedor = called.parse(ZContact).id;
  });

  it('creates everything on the first push, adopting travelers support already knows by email or phone', async () => {
    const first = await sync(catalogue());
    expect(first).toEqual({
      organizations: counts(1, 0, 0),
      organizers: counts(2, 0, 0),
      travelers: counts(2, 2, 0),
      tours: counts(2, 0, 0),
      departures: counts(3, 0, 0),
      bookings: counts(5, 0, 0),
    });

    const adopted = await contactByEmail('marta@mp.test');
    expect(adopted).toMatchObject({
      id: marta,
      externalId: 'mp-tr-marta',
      name: 'Марта Иванова',
      kind: 'traveler',
    });
    expect(adopted.identities.map((i) => [i.channel, i.value])).toEqual([['email', 'marta@mp.test']]);
    const byPhone = await get('/api/v1/contacts?phone=%2B79210000007', ZPage(ZContact));
    expect(byPhone.items.map((c) => [c.id, c.externalId, c.name])).toEqual([[fedor, 'mp-tr-fedor', 'Фёдор']]);
    expect((await bookingByCode('MP-5')).travelerId).toBe(marta);

    const kira = await contactByEmail('kira@mp.test');
    expect(kira).toMatchObject({
      externalId: 'mp-tr-kira',
      kind: 'traveler',
      name: 'Кира Белова',
      language: 'en',
      bonusBalance: 1500.5,
      discounts: [{ code: 'LOYAL', percent: 5 }],
    });
    expect(kira.identities).toEqual([
      expect.objectContaining({ channel: 'email', value: 'kira@mp.test', isVerified: true }),
    ]);
    const stepan = await contactByEmail('stepan@mp.test');
    expect(stepan).toMatchObject({ kind: 'organizer', organization: { name: 'ООО Северные тропы' } });
    const dina = await get('/api/v1/contacts?phone=%2B79990000001', ZPage(ZContact));
    expect(dina.items.map((c) => [c.kind, c.name, c.language, c.phone])).toEqual([
      ['organizer', 'Гид Дина', 'ru', '+79990000001'],
    ]);
  });

  it('reports everything unchanged when the same push comes again', async () => {
    const before = await contactByEmail('kira@mp.test');
    const again = await sync(catalogue());
    expect(again).toEqual({
      organizations: counts(0, 0, 1),
      organizers: counts(0, 0, 2),
      travelers: counts(0, 0, 4),
      tours: counts(0, 0, 2),
      departures: counts(0, 0, 3),
      bookings: counts(0, 0, 5),
    });
    expect((await contactByEmail('kira@mp.test')).version).toBe(before.version);
    const tours = await get('/api/v1/tours?q=%D0%BA%D0%B0%D1%80%D0%B5%D0%BB', ZTourPage);
    expect(tours.items).toHaveLength(1);
  });

  it('reports one update per changed record and applies the change', async () => {
    const body = catalogue();
    body.organizations[0] = { externalId: 'mp-org-1', name: 'ООО Северные тропы+' };
    body.travelers[1] = { externalId: 'mp-tr-lev', name: 'Лев Толстых', email: 'lev@mp.test' };
    body.tours[1] = { ...(body.tours[1] as object), title: 'Ладожские шхеры на сапах' };
    body.departures[2] = { ...(body.departures[2] as object), capacity: 8 };
    body.bookings[3] = { ...(body.bookings[3] as object), status: 'confirmed', paidAmount: 15_000 };
    const changed = await sync(body);
    expect(changed).toEqual({
      organizations: counts(0, 1, 0),
      organizers: counts(0, 0, 2),
      travelers: counts(0, 1, 3),
      tours: counts(0, 1, 1),
      departures: counts(0, 1, 2),
      bookings: counts(0, 1, 4),
    });
    expect((await contactByEmail('lev@mp.test')).name).toBe('Лев Толстых');
    expect((await contactByEmail('stepan@mp.test')).organization?.name).toBe('ООО Северные тропы+');
    const mp4 = await bookingByCode('MP-4');
    expect(mp4).toMatchObject({ status: 'confirmed', paidAmount: 15_000, paymentState: 'partially_paid' });
    expect(mp4.tour.title).toBe('Ладожские шхеры на сапах');
    const ladoga = await get(`/api/v1/tours/${mp4.tour.id}`, ZTour);
    expect(ladoga.departures.map((d) => d.capacity)).toEqual([8]);

    // The changed push is itself idempotent.
    const repeat = await sync(body);
    expect(repeat.bookings).toEqual(counts(0, 0, 5));
    expect(repeat.travelers).toEqual(counts(0, 0, 4));
    // Restore the catalogue for the tests that read it.
    expect((await sync(catalogue())).bookings).toEqual(counts(0, 1, 4));
  });

  it('is idempotent for money given with more than two decimals', async () => {
    const body: TSyncBody = {
      travelers: [{ externalId: 'mp-tr-cents', name: 'Центы', email: 'cents@mp.test', bonusBalance: 10.555 }],
      bookings: [
        {
          externalId: 'mp-bk-cents',
          code: 'MP-CENTS',
          travelerExternalId: 'mp-tr-cents',
          departureExternalId: 'mp-dep-soon',
          status: 'confirmed',
          amount: 999.999,
        },
      ],
    };
    const first = await sync(body);
    expect(first.travelers).toEqual(counts(1, 0, 0));
    expect(first.bookings).toEqual(counts(1, 0, 0));
    const second = await sync(body);
    expect(second.travelers).toEqual(counts(0, 0, 1));
    expect(second.bookings).toEqual(counts(0, 0, 1));
    expect((await contactByEmail('cents@mp.test')).bonusBalance).toBe(10.56);
    expect((await bookingByCode('MP-CENTS')).amount).toBe(1000);
  });

  it('does not take an identity from a contact that already has another external id', async () => {
    const kira = await contactByEmail('kira@mp.test');
    const res = await sync({
      travelers: [{ externalId: 'mp-tr-impostor', name: 'Двойник', email: 'kira@mp.test' }],
    });
    expect(res.travelers).toEqual(counts(1, 0, 0));
    const stillKira = await contactByEmail('kira@mp.test');
    expect(stillKira).toMatchObject({ id: kira.id, externalId: 'mp-tr-kira', name: 'Кира Белова' });
    const impostor = await get(`/api/v1/contacts?q=${encodeURIComponent('Двойник')}`, ZPage(ZContact));
    expect(impostor.items.map((c) => [c.externalId, c.email, c.identities.length])).toEqual([
      ['mp-tr-impostor', null, 0],
    ]);
  });

  it('answers 400 with the field path for bad input', async () => {
    const booking = catalogue().bookings[0] as object;
    for (const [body, path] of [
      [
        {
          departures: [
            { externalId: 'x', tourExternalId: 'mp-tour-ladoga', startsOn: day(5), endsOn: day(4) },
          ],
        },
        'departures.0.endsOn',
      ],
      [
        {
          departures: [
            {
              externalId: 'x',
              tourExternalId: 'mp-tour-ladoga',
              startsOn: '2031-02-30',
              endsOn: '2031-03-02',
            },
          ],
        },
        'departures.0.startsOn',
      ],
      [{ bookings: [{ ...booking, status: 'lost' }] }, 'bookings.0.status'],
      [{ bookings: [{ ...booking, currency: 'RUBL' }] }, 'bookings.0.currency'],
      [{ bookings: [{ ...booking, amount: -1 }] }, 'bookings.0.amount'],
      [{ bookings: [{ ...booking, bookedAt: 'yesterday' }] }, 'bookings.0.bookedAt'],
      [{ travelers: [{ externalId: 'y', email: 'not-an-email' }] }, 'travelers.0.email'],
      [{ travelers: [{ externalId: '  ' }] }, 'travelers.0.externalId'],
      [{ tours: [{ externalId: 'z', title: 'T', url: 'not a url' }] }, 'tours.0.url'],
      [{ organizations: [{ externalId: 'o' }] }, 'organizations.0.name'],
    ] as const) {
      const res = await t.request('POST', '/api/v1/marketplace/sync', { token: t.tokens.integration, body });
      expect(res.status, path).toBe(400);
      expect(res.errorCode, path).toBe('VALIDATION_FAILED');
      expect(errorPaths(res.json), path).toContain(path);
    }
  });

  it('refuses unknown references with 400 at their path and commits nothing of the push', async () => {
    const tour = { externalId: 'mp-tour-doomed', title: 'Обречённый тур' };
    for (const [body, path] of [
      [
        {
          tours: [tour],
          bookings: [
            {
              externalId: 'b',
              code: 'B',
              travelerExternalId: 'nobody',
              departureExternalId: 'mp-dep-soon',
              status: 'pending',
              amount: 1,
            },
          ],
        },
        'bookings.0.travelerExternalId',
      ],
      [
        {
          tours: [tour],
          bookings: [
            {
              externalId: 'b',
              code: 'B',
              travelerExternalId: 'mp-tr-kira',
              departureExternalId: 'nowhen',
              status: 'pending',
              amount: 1,
            },
          ],
        },
        'bookings.0.departureExternalId',
      ],
      [
        {
          tours: [tour],
          departures: [{ externalId: 'd', tourExternalId: 'nothing', startsOn: day(1), endsOn: day(2) }],
        },
        'departures.0.tourExternalId',
      ],
      [
        { tours: [tour, { externalId: 't2', title: 'T2', organizerExternalId: 'no-guide' }] },
        'tours.1.organizerExternalId',
      ],
      [{ tours: [{ ...tour, organizationExternalId: 'no-org' }] }, 'tours.0.organizationExternalId'],
      [
        { tours: [tour], organizers: [{ externalId: 'g', organizationExternalId: 'no-org' }] },
        'organizers.0.organizationExternalId',
      ],
    ] as const) {
      const res = await t.request('POST', '/api/v1/marketplace/sync', { token: t.tokens.integration, body });
      expect(res.status, path).toBe(400);
      expect(res.errorCode, path).toBe('VALIDATION_FAILED');
      expect(errorPaths(res.json), path).toEqual([path]);
    }
    const doomed = await get(`/api/v1/tours?q=${encodeURIComponent('Обречённый')}`, ZTourPage);
    expect(doomed.items).toEqual([]);
  });

  it('is for admins and integrations: 401 without a token, 403 for other roles', async () => {
    const body = { organizations: [{ externalId: 'mp-org-auth', name: 'Auth check' }] };
    const anonymous = await t.request('POST', '/api/v1/marketplace/sync', { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.errorCode).toBe('UNAUTHENTICATED');
    for (const role of ['supervisor', 'agent', 'department_member'] as TTokenRole[]) {
      const res = await t.request('POST', '/api/v1/marketplace/sync', { token: t.tokens[role], body });
      expect(res.status, role).toBe(403);
      expect(res.errorCode).toBe('FORBIDDEN');
    }
    expect((await sync(body, t.tokens.admin)).organizations).toEqual(counts(1, 0, 0));
  });
});

describe('tours and bookings', () => {
  let karelia: z.infer<typeof ZTour>;
  let ladoga: z.infer<typeof ZTour>;
  let stepanId: number;
  let kiraId: number;
  let levId: number;

  beforeAll(async () => {
    await sync(catalogue());
    const all = await get('/api/v1/tours?limit=200', ZTourPage);
    karelia = all.items.find((x) => x.externalId === 'mp-tour-karelia')!;
    ladoga = all.items.find((x) => x.externalId === 'mp-tour-ladoga')!;
    stepanId = (await contactByEmail('stepan@mp.test')).id;
    kiraId = (await contactByEmail('kira@mp.test')).id;
    levId = (await contactByEmail('lev@mp.test')).id;
  });

  it('shows a tour with its departures in date order', async () => {
    const tour = await get(`/api/v1/tours/${karelia.id}`, ZTour);
    expect(tour).toEqual({
      id: karelia.id,
      externalId: 'mp-tour-karelia',
      title: 'Карелия на байдарках',
      region: 'Карелия',
      organizerId: stepanId,
      durationDays: 7,
      url: 'https://tours.example/karelia',
      departures: [
        { id: expect.any(Number), startsOn: day(-30), endsOn: day(-23), capacity: null },
        { id: expect.any(Number), startsOn: day(10), endsOn: day(17), capacity: 12 },
      ],
    });
    expect(ladoga).toMatchObject({ region: '', durationDays: null, url: null });
  });

  it('lists tours by organizer and by title, in id order with a cursor', async () => {
    const byOrganizer = await get(`/api/v1/tours?organizerId=${stepanId}`, ZTourPage);
    expect(byOrganizer.items.map((x) => x.id)).toEqual([karelia.id]);
    expect(byOrganizer.nextCursor).toBeNull();
    const byTitle = await get(`/api/v1/tours?q=${encodeURIComponent('ШХЕРЫ')}`, ZTourPage);
    expect(byTitle.items.map((x) => x.id)).toEqual([ladoga.id]);
    expect((await get('/api/v1/tours?q=%25', ZTourPage)).items).toEqual([]);

    const page1 = await get('/api/v1/tours?limit=1', ZTourPage);
    expect(page1.items.map((x) => x.id)).toEqual([karelia.id]);
    const page2 = await get(`/api/v1/tours?limit=1&cursor=${page1.nextCursor}`, ZTourPage);
    expect(page2.items.map((x) => x.id)).toEqual([ladoga.id]);
    expect(page2.items[0].departures.map((d) => d.startsOn)).toEqual([day(60)]);
  });

  it('shows a booking with its tour, departure, money and payment state', async () => {
    const listed = await bookingByCode('MP-1');
    const booking = await get(`/api/v1/bookings/${listed.id}`, ZBooking);
    expect(booking).toEqual({
      id: listed.id,
      externalId: 'mp-bk-1',
      code: 'MP-1',
      status: 'confirmed',
      travelerId: kiraId,
      tour: { id: karelia.id, title: 'Карелия на байдарках', region: 'Карелия', organizerId: stepanId },
      departure: { id: karelia.departures[1].id, startsOn: day(10), endsOn: day(17) },
      participants: 2,
      amount: 50_000,
      currency: 'RUB',
      paidAmount: 50_000,
      refundedAmount: 0,
      bonusUsed: 500,
      paymentState: 'paid',
      startsInDays: 10,
      bookedAt: '2025-01-15T07:00:00.000Z',
    });
    const states = Object.fromEntries(
      await Promise.all(
        ['MP-2', 'MP-3', 'MP-4', 'MP-5'].map(async (code) => {
          const b = await bookingByCode(code);
          return [code, [b.paymentState, b.startsInDays, b.currency, b.participants]];
        }),
      ),
    );
    expect(states).toEqual({
      'MP-2': ['partially_paid', -30, 'RUB', 1],
      'MP-3': ['refunded', 60, 'RUB', 1],
      'MP-4': ['unpaid', 60, 'EUR', 1],
      'MP-5': ['partially_refunded', 10, 'RUB', 1],
    });
  });

  it('lists bookings newest first, filtered by traveler, tour, code and status, with a cursor', async () => {
    const codes = (page: { items: TBooking[] }) => page.items.map((b) => b.code);
    expect(codes(await get(`/api/v1/bookings?travelerId=${kiraId}`, ZBookingPage))).toEqual(['MP-3', 'MP-1']);
    expect(codes(await get(`/api/v1/bookings?tourId=${ladoga.id}`, ZBookingPage))).toEqual(['MP-4', 'MP-3']);
    expect(codes(await get('/api/v1/bookings?status=cancelled', ZBookingPage))).toEqual(['MP-3']);
    expect(codes(await get(`/api/v1/bookings?travelerId=${levId}&status=completed`, ZBookingPage))).toEqual([
      'MP-2',
    ]);
    expect(codes(await get('/api/v1/bookings?code=mp-1', ZBookingPage))).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: { items: TBooking[]; nextCursor: string | null } = await get(
        `/api/v1/bookings?tourId=${karelia.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        ZBookingPage,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...codes(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['MP-CENTS', 'MP-5', 'MP-2', 'MP-1']);
  });

  it('shows bookings beside people: a traveler’s own, an organizer’s upcoming ones', async () => {
    const kira = await get(`/api/v1/contacts/${kiraId}`, ZContactDetail);
    expect(kira.bookings.map((b) => b.code)).toEqual(['MP-3', 'MP-1']);
    const stepan = await get(`/api/v1/contacts/${stepanId}`, ZContactDetail);
    expect(stepan.bookings.map((b) => b.code).sort()).toEqual(['MP-1', 'MP-5', 'MP-CENTS']);
  });

  it('answers 400 for bad filters and cursors', async () => {
    for (const [url, path] of [
      ['/api/v1/bookings?status=lost', 'status'],
      ['/api/v1/bookings?travelerId=abc', 'travelerId'],
      ['/api/v1/bookings?tourId=0', 'tourId'],
      ['/api/v1/bookings?limit=0', 'limit'],
      ['/api/v1/bookings?cursor=garbage', 'cursor'],
      ['/api/v1/tours?organizerId=-1', 'organizerId'],
      ['/api/v1/tours?limit=1000', 'limit'],
      [`/api/v1/tours?cursor=${Buffer.from('["1"]').toString('base64url')}`, 'cursor'],
    ] as const) {
      const res = await t.request('GET', url, { token: t.tokens.agent });
      expect(res.status, url).toBe(400);
      expect(res.errorCode, url).toBe('VALIDATION_FAILED');
      expect(errorPaths(res.json), url).toContain(path);
    }
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of ['999999', '0', 'abc', '-1', '2147483648']) {
      const tour = await t.request('GET', `/api/v1/tours/${id}`, { token: t.tokens.agent });
      expect(tour.status, id).toBe(404);
      expect(tour.errorCode, id).toBe('TOUR_NOT_FOUND');
      const booking = await t.request('GET', `/api/v1/bookings/${id}`, { token: t.tokens.agent });
      expect(booking.status, id).toBe(404);
      expect(booking.errorCode, id).toBe('BOOKING_NOT_FOUND');
    }
  });

  it('is refused without a token (401) and for a department member (403); integrations may read', async () => {
    const mp1 = await bookingByCode('MP-1');
    for (const url of [
      '/api/v1/tours',
      `/api/v1/tours/${karelia.id}`,
      '/api/v1/bookings',
      `/api/v1/bookings/${mp1.id}`,
    ]) {
      const anonymous = await t.request('GET', url);
      expect(anonymous.status, url).toBe(401);
      const member = await t.request('GET', url, { token: t.tokens.department_member });
      expect(member.status, url).toBe(403);
      expect(member.errorCode, url).toBe('FORBIDDEN');
      expect((await t.request('GET', url, { token: t.tokens.integration })).status, url).toBe(200);
    }
  });
});
