import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { addDays, calendarDate } from '../../src/server/lib/time.ts';
import { TICKET_STATUSES, type TTicketStatus } from '../../src/shared/enums.ts';
import { ZGroup, ZMe } from '../../src/shared/schemas/auth.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { ZContact } from '../../src/shared/schemas/contacts.ts';
import { ZMarketplaceSyncResponse } from '../../src/shared/schemas/marketplace.ts';
import {
  type ZCreateMessageRequest,
  type ZCreateTicketRequest,
  ZMessage,
  ZTicket,
  ZTicketDetail,
  ZTicketEvent,
} from '../../src/shared/schemas/tickets.ts';
import { createTestApp, PASSWORD, type TTestApp } from '../app.ts';

// A clock that moves one second per reading: every write gets a distinct, ordered timestamp.
// It starts at 06:00 UTC today (09:00 in Moscow, far from midnight) and stays near real time,
// because cookies refuse expiry dates too far ahead of the real one.
const real = new Date();
const START = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate(), 6);
let now = START;
const clock = () => {
  now += 1000;
  return new Date(now);
};
const DAY = 86_400_000;
/** The workspace's calendar date (Europe/Moscow by default) plus `days`. */
const dayFromToday = (days: number) => addDays(calendarDate(new Date(now), 'Europe/Moscow'), days);

const ZTicketPage = ZPage(ZTicket);
const ZMessagePage = ZPage(ZMessage);
const ZEventPage = ZPage(ZTicketEvent);

type TCreateTicketInput = z.input<typeof ZCreateTicketRequest>;
type TCreateMessageInput = z.input<typeof ZCreateMessageRequest>;

let t: TTestApp;
/** The agent signed in through a session: writes are theirs as a person, not a token's. */
let agent: Record<string, string>;
let seq = 0;
const uniqueEmail = (name: string) => `${name}.${++seq}@tickets.test`;

beforeAll(async () => {
  t = await createTestApp({ clock });
  agent = await signIn(t.users.agent.email);
});
afterAll(async () => t?.close());

const createTicket = async (body: Partial<TCreateTicketInput> = {}, token = t.tokens.agent) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    token,
    body: {
      subject: 'Question about a tour',
      requester: { identity: { channel: 'email', value: uniqueEmail('someone') } },
      ...body,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZTicketDetail);
};

const getTicket = async (id: number, token = t.tokens.agent) => {
  const res = await t.request('GET', `/api/v1/tickets/${id}`, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.parse(ZTicketDetail);
};

const patchTicket = (id: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.request('PATCH', `/api/v1/tickets/${id}`, { token: t.tokens.agent, body, headers });

const postMessage = (id: number, body: TCreateMessageInput, token = t.tokens.agent) =>
  t.request('POST', `/api/v1/tickets/${id}/messages`, { token, body });
const postAsAgent = (id: number, body: TCreateMessageInput) =>
  t.request('POST', `/api/v1/tickets/${id}/messages`, { headers: agent, body });

const messagesOf = async (id: number) => {
  const res = await t.request('GET', `/api/v1/tickets/${id}/messages`, { token: t.tokens.agent });
  expect(res.status).toBe(200);
  return res.parse(ZMessagePage).items;
};

const eventsOf = async (id: number) => {
  const res = await t.request('GET', `/api/v1/tickets/${id}/events`, { token: t.tokens.agent });
  expect(res.status).toBe(200);
  return res.parse(ZEventPage).items;
};

/** Every ticket the filter matches, following cursors to the end. */
const listAll = async (
  query: string,
  auth: { token?: string; headers?: Record<string, string> } = { token: t.tokens.agent },
) => {
  const items: z.infer<typeof ZTicket>[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const sep = query ? '&' : '';
    const url: string = `/api/v1/tickets?limit=200${sep}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.request('GET', url, auth);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const body = res.parse(ZTicketPage);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return items;
};
const idsOf = (items: { id: number }[]) => items.map((i) => i.id);

const createContact = async (body: Record<string, unknown>) => {
  const res = await t.request('POST', '/api/v1/contacts', { token: t.tokens.agent, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZContact);
};

/** Headers of a signed-in person: session and CSRF cookies plus the CSRF header for writes. */
const signIn = async (email: string) => {
  const res = await t.request('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  const { csrfToken } = res.parse(ZMe);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  expect(cookie).toContain('tourdesk_session=');
  return { cookie, 'x-csrf-token': csrfToken ?? '' };
};

describe('creating tickets', () => {
  it('by requester identity: an unknown email creates a contact, the same email again reuses it', async () => {
    const email = uniqueEmail('Anna.Petrova');
    const first = await createTicket({
      subject: 'Refund for the Altai tour',
      requester: { identity: { channel: 'email', value: email.toUpperCase() }, name: 'Анна Петрова' },
      message: { text: 'Please refund my booking' },
    });
    expect(first.status).toBe('new');
    expect(first.channel).toBe('api');
    expect(first.requester.name).toBe('Анна Петрова');
    expect(first.requester.email).toBe(email.toLowerCase());
    expect(first.requester.kind).toBe('traveler');
    expect(first.requester.ticketCount).toBe(1);
    expect(first.lastMessageAt).not.toBeNull();

    const lookup = await t.request('GET', `/api/v1/contacts?email=${encodeURIComponent(email)}`, {
      token: t.tokens.agent,
    });
    const found = lookup.parse(ZPage(ZContact)).items;
    expect(found.map((c) => c.id)).toEqual([first.requesterId]);

    const second = await createTicket({
      subject: 'Another question',
      requester: { identity: { channel: 'email', value: `  ${email}  ` } },
    });
    expect(second.requesterId).toBe(first.requesterId);
    expect(second.requester.ticketCount).toBe(2);
    expect(second.previousTickets.map((p) => p.id)).toEqual([first.id]);

    const again = await t.request('GET', `/api/v1/contacts?email=${encodeURIComponent(email)}`, {
      token: t.tokens.agent,
    });
    expect(again.parse(ZPage(ZContact)).items).toHaveLength(1);

    const messages = await messagesOf(first.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: 'reply',
      authorKind: 'contact',
      authorContactId: first.requesterId,
      text: 'Please refund my booking',
    });
  });

  it('by requester id, and refuses an unknown requester id with 404', async () => {
    const contact = await createContact({ kind: 'organizer', name: 'Иван Гидов', phone: '+79001112233' });
    const ticket = await createTicket({
      subject: 'Payout question',
      requester: { id: contact.id },
      channel: 'phone',
      priority: 'high',
      category: 'payout',
      tags: ['urgent-payout', 'urgent-payout'],
    });
    expect(ticket.requesterId).toBe(contact.id);
    expect(ticket.requesterKind).toBe('organizer');
    expect(ticket.requesterName).toBe('Иван Гидов');
    expect(ticket.requester.phone).toBe('+79001112233');
    expect(ticket.priority).toBe('high');
    expect(ticket.category).toBe('payout');
    expect(ticket.tags).toEqual(['urgent-payout']);
    expect(ticket.channel).toBe('phone');
    expect(ticket.version).toBe(1);

    const missing = await t.request('POST', '/api/v1/tickets', {
      token: t.tokens.agent,
      body: { subject: 'x', requester: { id: 999_999 } },
    });
    expect(missing.status).toBe(404);
    expect(missing.errorCode).toBe('CONTACT_NOT_FOUND');
  });

  it('opens the ticket when support writes the first message, and records a created event', async () => {
    const res = await t.request('POST', '/api/v1/tickets', {
      headers: agent,
      body: {
        subject: 'Call-back',
        requester: { identity: { channel: 'phone', value: '8 (901) 000-00-01' } },
        channel: 'phone',
        message: { text: 'We called you back', author: 'agent' },
      },
    });
    expect(res.status).toBe(201);
    const ticket = res.parse(ZTicketDetail);
    expect(ticket.status).toBe('open');
    expect(ticket.requester.phone).toBe('+79010000001');
    const [created, added] = await eventsOf(ticket.id);
    expect(created.type).toBe('created');
    expect(created.actor).toMatchObject({ kind: 'user', id: t.users.agent.id, name: 'Test agent' });
    expect(created.data).toMatchObject({ status: 'open', channel: 'phone', requesterId: ticket.requesterId });
    expect(added).toMatchObject({ type: 'message_added', actor: { kind: 'user', id: t.users.agent.id } });
    const [message] = await messagesOf(ticket.id);
    expect(message).toMatchObject({
      authorKind: 'agent',
      authorUserId: t.users.agent.id,
      authorContactId: null,
    });

    // An API token is nobody in particular: its message is support's (the system's), never the requester's.
    const byToken = await createTicket({ message: { text: 'Automated notice', author: 'agent' } });
    expect(byToken.status).toBe('open');
    const [tokenMessage] = await messagesOf(byToken.id);
    expect(tokenMessage).toMatchObject({ authorKind: 'system', authorContactId: null, authorUserId: null });
    expect((await eventsOf(byToken.id))[0].actor).toMatchObject({ kind: 'token', name: 'agent token' });
  });

  it('refuses unknown assignee, group and booking with their not-found codes', async () => {
    const base = { subject: 'x', requester: { identity: { channel: 'email', value: uniqueEmail('x') } } };
    for (const [field, code] of [
      ['assigneeId', 'USER_NOT_FOUND'],
      ['groupId', 'GROUP_NOT_FOUND'],
      ['bookingId', 'BOOKING_NOT_FOUND'],
    ] as const) {
      const res = await t.request('POST', '/api/v1/tickets', {
        token: t.tokens.agent,
        body: { ...base, [field]: 424_242 },
      });
      expect(res.status, field).toBe(404);
      expect(res.errorCode).toBe(code);
    }
    // A department member exists but cannot be assigned tickets.
    const res = await t.request('POST', '/api/v1/tickets', {
      token: t.tokens.agent,
      body: { ...base, assigneeId: t.users.department_member.id },
    });
    expect(res.errorCode).toBe('USER_NOT_FOUND');
  });
});

describe('inbox filters and pagination', () => {
  type TFixture = Record<'t1' | 't2' | 't3' | 't4', z.infer<typeof ZTicketDetail>>;
  let f: TFixture;
  let groupId: number;
  let nearBookingId: number;
  let travelerA: number;
  let organizerB: number;

  beforeAll(async () => {
    const group = await t.request('POST', '/api/v1/groups', {
      token: t.tokens.admin,
      body: { name: 'Refunds desk', memberIds: [t.users.agent.id] },
    });
    expect(group.status).toBe(201);
    groupId = group.parse(ZGroup).id;

    const sync = await t.request('POST', '/api/v1/marketplace/sync', {
      token: t.tokens.integration,
      body: {
        organizers: [{ externalId: 'org-filters', name: 'Гид Борис', email: uniqueEmail('boris') }],
        travelers: [
          { externalId: 'trav-a', name: 'Алла', email: uniqueEmail('alla') },
          { externalId: 'trav-c', name: 'Семён', email: uniqueEmail('semen') },
          { externalId: 'trav-d', name: 'Дарья', email: uniqueEmail('darya') },
        ],
        tours: [{ externalId: 'tour-filters', title: 'Байкал зимой', organizerExternalId: 'org-filters' }],
        departures: [
          {
            externalId: 'dep-3',
            tourExternalId: 'tour-filters',
            startsOn: dayFromToday(3),
            endsOn: dayFromToday(8),
          },
          {
            externalId: 'dep-40',
            tourExternalId: 'tour-filters',
            startsOn: dayFromToday(40),
            endsOn: dayFromToday(45),
          },
          {
            externalId: 'dep-2',
            tourExternalId: 'tour-filters',
            startsOn: dayFromToday(2),
            endsOn: dayFromToday(5),
          },
        ],
        bookings: [
          {
            externalId: 'bk-a',
            code: 'BK-A',
            travelerExternalId: 'trav-a',
            departureExternalId: 'dep-3',
            status: 'confirmed',
            amount: 50_000,
          },
          {
            externalId: 'bk-c',
            code: 'BK-C',
            travelerExternalId: 'trav-c',
            departureExternalId: 'dep-40',
            status: 'confirmed',
            amount: 60_000,
          },
          {
            externalId: 'bk-d',
            code: 'BK-D',
            travelerExternalId: 'trav-d',
            departureExternalId: 'dep-2',
            status: 'cancelled',
            amount: 10_000,
          },
        ],
      },
    });
    expect(sync.status, JSON.stringify(sync.json)).toBe(200);
    sync.parse(ZMarketplaceSyncResponse);
    const bookings = await t.request('GET', '/api/v1/bookings?code=BK-A', { token: t.tokens.agent });
    const [bkA] = (bookings.json as { items: { id: number; travelerId: number }[] }).items;
    nearBookingId = bkA.id;
    travelerA = bkA.travelerId;
    const contacts = await t.request('GET', '/api/v1/contacts?kind=organizer&q=Борис', {
      token: t.tokens.agent,
    });
    organizerB = contacts.parse(ZPage(ZContact)).items[0].id;
    const travelerC = (await t.request('GET', '/api/v1/contacts?q=Семён', { token: t.tokens.agent })).parse(
      ZPage(ZContact),
    ).items[0].id;
    const travelerD = (await t.request('GET', '/api/v1/contacts?q=Дарья', { token: t.tokens.agent })).parse(
      ZPage(ZContact),
    ).items[0].id;

    f = {
      t1: await createTicket({
        subject: 'Refund before the trip',
        requester: { id: travelerA },
        status: 'new',
        channel: 'email',
        category: 'refund',
        tags: ['vip', 'late'],
        assigneeId: t.users.agent.id,
        groupId,
        bookingId: nearBookingId,
      }),
      t2: await createTicket({
        subject: 'Payout delayed',
        requester: { id: organizerB },
        status: 'pending',
        channel: 'phone',
        category: 'payout',
        tags: ['late'],
      }),
      t3: await createTicket({
        subject: 'Trip in a month',
        requester: { id: travelerC },
        status: 'open',
        channel: 'chat',
        assigneeId: t.users.supervisor.id,
      }),
      t4: await createTicket({
        subject: 'Cancelled trip soon',
        requester: { id: travelerD },
        status: 'on_hold',
        channel: 'telegram',
      }),
    };
  });

  const all = () => Object.values(f);
  /** The filter returns exactly the fixture tickets `expected` (of the four) and only items satisfying `holds`. */
  const expectFilter = async (
    query: string,
    expected: (keyof TFixture)[],
    holds: (item: z.infer<typeof ZTicket>) => boolean,
  ) => {
    const items = await listAll(query);
    expect(items.filter((i) => !holds(i)).map((i) => i.id)).toEqual([]);
    const fixtureIds = new Set(idsOf(all()));
    const got = idsOf(items)
      .filter((id) => fixtureIds.has(id))
      .sort((a, b) => a - b);
    expect(got, query).toEqual(expected.map((k) => f[k].id).sort((a, b) => a - b));
  };

  it('filters by status (one or several)', async () => {
    await expectFilter('status=pending', ['t2'], (i) => i.status === 'pending');
    await expectFilter('status=new,on_hold', ['t1', 't4'], (i) => ['new', 'on_hold'].includes(i.status));
  });

  it('filters by assignee: an id, none, and me (session only)', async () => {
    await expectFilter(`assigneeId=${t.users.agent.id}`, ['t1'], (i) => i.assigneeId === t.users.agent.id);
    await expectFilter('assigneeId=none', ['t2', 't4'], (i) => i.assigneeId === null);

    const byToken = await t.request('GET', '/api/v1/tickets?assigneeId=me', { token: t.tokens.agent });
    expect(byToken.status).toBe(400);
    expect(byToken.errorCode).toBe('VALIDATION_FAILED');

    const session = await signIn(t.users.supervisor.email);
    const mine = await listAll('assigneeId=me', { headers: session });
    expect(mine.every((i) => i.assigneeId === t.users.supervisor.id)).toBe(true);
    expect(idsOf(mine)).toContain(f.t3.id);
    expect(idsOf(mine)).not.toContain(f.t1.id);
  });

  it('filters by group, requester, requester kind, category, tag, channel and booking', async () => {
    await expectFilter(`groupId=${groupId}`, ['t1'], (i) => i.groupId === groupId);
    await expectFilter('groupId=none', ['t2', 't3', 't4'], (i) => i.groupId === null);
    await expectFilter(`requesterId=${organizerB}`, ['t2'], (i) => i.requesterId === organizerB);
    await expectFilter('requesterKind=organizer', ['t2'], (i) => i.requesterKind === 'organizer');
    await expectFilter('requesterKind=traveler', ['t1', 't3', 't4'], (i) => i.requesterKind === 'traveler');
    await expectFilter('category=refund', ['t1'], (i) => i.category === 'refund');
    await expectFilter('tag=late', ['t1', 't2'], (i) => i.tags.includes('late'));
    await expectFilter('tag=vip', ['t1'], (i) => i.tags.includes('vip'));
    await expectFilter('channel=phone,chat', ['t2', 't3'], (i) => ['phone', 'chat'].includes(i.channel));
    await expectFilter(`bookingId=${nearBookingId}`, ['t1'], (i) => i.bookingId === nearBookingId);
  });

  it('filters by updatedSince', async () => {
    const since = new Date(now + 500).toISOString();
    const res = await patchTicket(f.t2.id, { priority: 'urgent' });
    expect(res.status).toBe(200);
    f.t2 = res.parse(ZTicketDetail);
    await expectFilter(
      `updatedSince=${encodeURIComponent(since)}`,
      ['t2'],
      (i) => Date.parse(i.updatedAt) >= Date.parse(since),
    );
  });

  it('filters by a trip starting within N days: the linked booking, else the requester’s active ones', async () => {
    // t1: its booking starts in 3 days; t3: the requester's booking in 40; t4: a cancelled one in 2.
    await expectFilter('tripStartsWithinDays=7', ['t1'], () => true);
    await expectFilter('tripStartsWithinDays=60', ['t1', 't3'], () => true);
    await expectFilter('tripStartsWithinDays=2', [], () => true);
  });

  it('paginates with a cursor: pages do not overlap and cover everything, newest activity first', async () => {
    const tag = `page-${Date.now()}`;
    const created: number[] = [];
    for (let i = 0; i < 7; i++) created.push((await createTicket({ subject: `Page ${i}`, tags: [tag] })).id);

    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/tickets?tag=${tag}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.request('GET', url, { token: t.tokens.agent });
      expect(res.status).toBe(200);
      const page = res.parse(ZTicketPage);
      pages.push(idsOf(page.items));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    const flat = pages.flat();
    expect(new Set(flat).size).toBe(flat.length);
    expect(flat).toEqual([...created].reverse());

    // The whole inbox in small pages is the whole inbox in one page.
    const whole = idsOf(await listAll(''));
    const small: number[] = [];
    cursor = null;
    do {
      const url: string = `/api/v1/tickets?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await t.request('GET', url, { token: t.tokens.agent })).parse(ZTicketPage);
      small.push(...idsOf(page.items));
      cursor = page.nextCursor;
    } while (cursor);
    expect(small).toEqual(whole);
  });

  it('refuses a cursor that is not one it made', async () => {
    for (const cursor of [
      'garbage',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('{}').toString('base64'),
    ]) {
      const res = await t.request('GET', `/api/v1/tickets?cursor=${encodeURIComponent(cursor)}`, {
        token: t.tokens.agent,
      });
      expect(res.status, cursor).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
    }
  });

  it('shows one ticket with requester summary, bookings with startsInDays and previous tickets', async () => {
    const older = await createTicket({ subject: 'Earlier question', requester: { id: travelerA } });
    const detail = await getTicket(f.t1.id);
    expect(detail.requester).toMatchObject({
      id: travelerA,
      kind: 'traveler',
      name: 'Алла',
      ticketCount: 2,
    });
    expect(detail.requester.email).toMatch(/^alla\.\d+@tickets\.test$/);
    expect(detail.requester.identities.map((i) => i.channel)).toEqual(['email']);
    expect(detail.bookings.map((b) => b.code)).toEqual(['BK-A']);
    expect(detail.bookings[0]).toMatchObject({
      startsInDays: 3,
      status: 'confirmed',
      amount: 50_000,
      tour: { title: 'Байкал зимой' },
    });
    expect(detail.booking?.id).toBe(nearBookingId);
    expect(detail.previousTickets.map((p) => p.id)).toEqual([older.id]);
    expect(detail.previousTickets.map((p) => p.id)).not.toContain(f.t1.id);

    const missing = await t.request('GET', '/api/v1/tickets/987654', { token: t.tokens.agent });
    expect(missing.status).toBe(404);
    expect(missing.errorCode).toBe('TICKET_NOT_FOUND');
  });
});

describe('updates with If-Match', () => {
  it('refuses a stale version with 409, accepts the current one and increments the version', async () => {
    const ticket = await createTicket();
    const got = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { token: t.tokens.agent });
    expect(got.headers.get('etag')).toBe(`"${ticket.version}"`);

    const ok = await patchTicket(ticket.id, { priority: 'high' }, { 'if-match': `"${ticket.version}"` });
    expect(ok.status).toBe(200);
    const v2 = ok.parse(ZTicketDetail);
    expect(v2.version).toBe(ticket.version + 1);
    expect(v2.priority).toBe('high');
    expect(ok.headers.get('etag')).toBe(`"${v2.version}"`);

    const stale = await patchTicket(ticket.id, { priority: 'low' }, { 'if-match': String(ticket.version) });
    expect(stale.status).toBe(409);
    expect(stale.errorCode).toBe('VERSION_CONFLICT');
    expect((await getTicket(ticket.id)).priority).toBe('high');

    const weak = await patchTicket(ticket.id, { subject: 'Renamed' }, { 'if-match': `W/"${v2.version}"` });
    expect(weak.status).toBe(200);
    expect(weak.parse(ZTicketDetail).version).toBe(v2.version + 1);

    const bad = await patchTicket(ticket.id, { subject: 'x' }, { 'if-match': 'yesterday' });
    expect(bad.status).toBe(400);

    // Without If-Match the write simply applies (last writer wins).
    const blind = await patchTicket(ticket.id, { priority: 'urgent' });
    expect(blind.parse(ZTicketDetail).version).toBe(v2.version + 2);
  });

  it('leaves the version alone when nothing changes', async () => {
    const ticket = await createTicket({ priority: 'low' });
    const res = await patchTicket(ticket.id, { priority: 'low' });
    expect(res.status).toBe(200);
    expect(res.parse(ZTicketDetail).version).toBe(ticket.version);
    expect((await eventsOf(ticket.id)).map((e) => e.type)).toEqual(['created']);
  });
});

describe('status machine', () => {
  const ALLOWED: Record<TTicketStatus, TTicketStatus[]> = {
    new: ['new', 'open', 'pending', 'on_hold', 'solved'],
    open: ['open', 'pending', 'on_hold', 'solved'],
    pending: ['open', 'pending', 'on_hold', 'solved'],
    on_hold: ['open', 'pending', 'on_hold', 'solved'],
    solved: ['open', 'solved', 'closed'],
    closed: [],
  };

  const ticketIn = async (status: TTicketStatus) => {
    if (status !== 'closed') return createTicket({ status });
    const solved = await createTicket({ status: 'solved' });
    const res = await patchTicket(solved.id, { status: 'closed' });
    expect(res.status).toBe(200);
    return res.parse(ZTicketDetail);
  };

  it('answers 422 INVALID_STATUS_TRANSITION for every refused transition and applies the allowed ones', async () => {
    const failures: string[] = [];
    for (const from of TICKET_STATUSES) {
      const refused = await ticketIn(from);
      expect(refused.status).toBe(from);
      for (const to of TICKET_STATUSES) {
        const allowed = ALLOWED[from].includes(to);
        const ticket = allowed ? await ticketIn(from) : refused;
        const res = await patchTicket(ticket.id, { status: to });
        if (allowed) {
          if (res.status !== 200) failures.push(`${from} → ${to}: ${res.status}, expected 200`);
          else if (res.parse(ZTicketDetail).status !== to) failures.push(`${from} → ${to}: not applied`);
        } else {
          // Closed is final: the ticket itself refuses any change (decision 0005).
          const code = from === 'closed' ? 'TICKET_CLOSED' : 'INVALID_STATUS_TRANSITION';
          if (res.status !== 422 || res.errorCode !== code)
            failures.push(`${from} → ${to}: ${res.status} ${res.errorCode}, expected 422 ${code}`);
        }
      }
      const after = await getTicket(refused.id);
      if (after.status !== from || after.version !== refused.version)
        failures.push(`${from}: a refused transition changed the ticket`);
    }
    expect(failures).toEqual([]);
  });

  it('stamps solvedAt and closedAt, and clears solvedAt on reopening', async () => {
    const ticket = await createTicket({ status: 'open' });
    const solved = (await patchTicket(ticket.id, { status: 'solved' })).parse(ZTicketDetail);
    expect(solved.solvedAt).not.toBeNull();
    const reopened = (await patchTicket(ticket.id, { status: 'open' })).parse(ZTicketDetail);
    expect(reopened.solvedAt).toBeNull();
    const types = (await eventsOf(ticket.id)).map((e) => e.type);
    expect(types).toEqual(['created', 'status_changed', 'status_changed', 'reopened']);
    await patchTicket(ticket.id, { status: 'solved' });
    const closed = (await patchTicket(ticket.id, { status: 'closed' })).parse(ZTicketDetail);
    expect(closed.closedAt).not.toBeNull();
    expect(closed.solvedAt).not.toBeNull();
  });

  it('an agent reply opens a new ticket, and may set another status', async () => {
    const ticket = await createTicket({ message: { text: 'Help' } });
    expect(ticket.status).toBe('new');
    const reply = await postAsAgent(ticket.id, { text: 'On it' });
    expect(reply.status).toBe(201);
    expect(reply.parse(ZMessage)).toMatchObject({
      kind: 'reply',
      authorKind: 'agent',
      authorUserId: t.users.agent.id,
      authorName: 'Test agent',
      ticketId: ticket.id,
    });
    expect((await getTicket(ticket.id)).status).toBe('open');
    const events = await eventsOf(ticket.id);
    expect(events.at(-1)).toMatchObject({ type: 'status_changed', data: { before: 'new', after: 'open' } });

    expect((await postMessage(ticket.id, { text: 'Waiting for you', status: 'pending' })).status).toBe(201);
    expect((await getTicket(ticket.id)).status).toBe('pending');
  });

  it('a requester message reopens pending (no reopened event) and solved (with a reopened event)', async () => {
    const pending = await createTicket({ status: 'pending' });
    const fromContact = await postMessage(
      pending.id,
      { text: 'Here are the documents', author: 'contact' },
      t.tokens.integration,
    );
    expect(fromContact.status).toBe(201);
    expect(fromContact.parse(ZMessage)).toMatchObject({
      authorKind: 'contact',
      authorContactId: pending.requesterId,
    });
    expect((await getTicket(pending.id)).status).toBe('open');
    const pendingEvents = await eventsOf(pending.id);
    expect(pendingEvents.at(-1)).toMatchObject({
      type: 'status_changed',
      actor: { kind: 'contact', id: pending.requesterId },
      data: { before: 'pending', after: 'open' },
    });
    expect(pendingEvents.map((e) => e.type)).not.toContain('reopened');

    const solved = await createTicket({ status: 'solved' });
    await postMessage(solved.id, { text: 'It is broken again', author: 'contact' }, t.tokens.integration);
    const reopened = await getTicket(solved.id);
    expect(reopened.status).toBe('open');
    expect(reopened.solvedAt).toBeNull();
    const solvedEvents = await eventsOf(solved.id);
    expect(solvedEvents.slice(-3).map((e) => e.type)).toEqual([
      'message_added',
      'status_changed',
      'reopened',
    ]);
    expect(solvedEvents.at(-1)?.actor).toMatchObject({ kind: 'contact', id: solved.requesterId });

    const onHold = await createTicket({ status: 'on_hold' });
    await postMessage(onHold.id, { text: 'Any news?', author: 'contact' }, t.tokens.integration);
    expect((await getTicket(onHold.id)).status).toBe('on_hold');
  });

  it('only an integration may write as the requester', async () => {
    const ticket = await createTicket();
    const res = await postMessage(ticket.id, { text: 'Pretending', author: 'contact' }, t.tokens.agent);
    expect(res.status).toBe(403);
  });

  it('a requester message on a closed ticket opens a linked follow-up; an agent reply is refused', async () => {
    const closed = await ticketIn('closed');
    const agentReply = await postMessage(closed.id, { text: 'One more thing' });
    expect(agentReply.status).toBe(422);
    expect(agentReply.errorCode).toBe('TICKET_CLOSED');
    const agentNote = await postMessage(closed.id, { kind: 'note', text: 'internal' });
    expect(agentNote.status).toBe(422);
    expect(agentNote.errorCode).toBe('TICKET_CLOSED');

    const res = await postMessage(
      closed.id,
      { text: 'I have a new problem', author: 'contact' },
      t.tokens.integration,
    );
    expect(res.status).toBe(201);
    const message = res.parse(ZMessage);
    expect(message.ticketId).not.toBe(closed.id);

    const followUp = await getTicket(message.ticketId);
    expect(followUp.status).toBe('new');
    expect(followUp.requesterId).toBe(closed.requesterId);
    expect(followUp.subject).toBe(closed.subject);
    expect(followUp.links).toEqual([
      {
        ticketId: closed.id,
        subject: closed.subject,
        status: 'closed',
        kind: 'follow_up',
        direction: 'outgoing',
      },
    ]);
    expect((await messagesOf(followUp.id)).map((m) => m.text)).toEqual(['I have a new problem']);

    const original = await getTicket(closed.id);
    expect(original.status).toBe('closed');
    expect(original.links).toEqual([
      {
        ticketId: followUp.id,
        subject: followUp.subject,
        status: 'new',
        kind: 'follow_up',
        direction: 'incoming',
      },
    ]);
    expect((await messagesOf(closed.id)).map((m) => m.text)).not.toContain('I have a new problem');
    expect((await eventsOf(closed.id)).at(-1)).toMatchObject({
      type: 'linked',
      data: { ticketId: followUp.id, kind: 'follow_up' },
    });
    expect((await eventsOf(followUp.id))[0]).toMatchObject({
      type: 'created',
      data: { followUpOf: closed.id },
    });
  });
});

describe('replies, notes and who sees them', () => {
  it('an internal note does not change the status', async () => {
    const ticket = await createTicket({ message: { text: 'Hello' } });
    const note = await postAsAgent(ticket.id, { kind: 'note', text: 'Check with finance' });
    expect(note.status).toBe(201);
    expect(note.parse(ZMessage)).toMatchObject({ kind: 'note', channel: 'internal', authorKind: 'agent' });
    const after = await getTicket(ticket.id);
    expect(after.status).toBe('new');
    expect(after.lastMessageAt).toBe(ticket.lastMessageAt);
    const events = await eventsOf(ticket.id);
    expect(events.at(-1)).toMatchObject({ type: 'note_added', data: { kind: 'note' } });
    expect(events.map((e) => e.type)).not.toContain('status_changed');
  });

  it('a requester cannot write notes', async () => {
    const ticket = await createTicket();
    const res = await postMessage(
      ticket.id,
      { kind: 'note', text: 'x', author: 'contact' },
      t.tokens.integration,
    );
    expect(res.status).toBe(400);
  });

  it('a department member sees no tickets: 404 on a ticket and its notes, an empty inbox', async () => {
    const ticket = await createTicket({ message: { text: 'Secret' } });
    const token = t.tokens.department_member;
    for (const [method, url, body] of [
      ['GET', `/api/v1/tickets/${ticket.id}`, undefined],
      ['GET', `/api/v1/tickets/${ticket.id}/messages`, undefined],
      ['GET', `/api/v1/tickets/${ticket.id}/events`, undefined],
      ['POST', `/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', text: 'peek' }],
    ] as const) {
      const res = await t.request(method, url, { token, body });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.errorCode).toBe('TICKET_NOT_FOUND');
    }
    const list = await t.request('GET', '/api/v1/tickets', { token });
    expect(list.status).toBe(200);
    expect(list.parse(ZTicketPage)).toEqual({ items: [], nextCursor: null });
    expect(await messagesOf(ticket.id)).toHaveLength(1);
  });
});

describe('HTML and attachments', () => {
  const PAYLOAD =
    '<p>Hello <b>there</b></p><script>alert("x")</script><img src="https://e.test/a.png" onerror="alert(1)">' +
    '<a href="javascript:alert(2)" onclick="alert(3)">link</a>';

  it('sanitizes HTML on create and on reply: no script or event handler ever comes back', async () => {
    const ticket = await createTicket({ message: { html: PAYLOAD } });
    const reply = await postMessage(ticket.id, { html: PAYLOAD });
    expect(reply.status).toBe(201);
    const replyBody = JSON.stringify(reply.json);
    for (const body of [replyBody, JSON.stringify(await messagesOf(ticket.id))]) {
      expect(body).not.toMatch(/<script/i);
      expect(body).not.toMatch(/onerror|onclick|javascript:/i);
    }
    const [first] = await messagesOf(ticket.id);
    expect(first.html).toContain('<b>there</b>');
    expect(first.text).toContain('Hello there');
  });

  it('escapes plain text into the html form', async () => {
    const ticket = await createTicket({ message: { text: '<script>alert(1)</script> & bye' } });
    const [message] = await messagesOf(ticket.id);
    expect(message.text).toBe('<script>alert(1)</script> & bye');
    expect(message.html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; bye</p>');
  });

  it('stores base64 attachments and serves the same bytes; unknown ids are 404', async () => {
    const bytes = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256));
    const ticket = await createTicket({
      message: {
        text: 'Receipt attached',
        attachments: [
          { filename: 'чек №1.pdf', contentType: 'application/pdf', contentBase64: bytes.toString('base64') },
        ],
      },
    });
    const reply = await postMessage(ticket.id, {
      text: '',
      attachments: [
        {
          filename: 'note.txt',
          contentType: 'text/plain',
          contentBase64: Buffer.from('hi').toString('base64'),
        },
      ],
    });
    expect(reply.status).toBe(201);
    expect(reply.parse(ZMessage).attachments.map((a) => a.filename)).toEqual(['note.txt']);

    const [message] = await messagesOf(ticket.id);
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment).toMatchObject({
      filename: 'чек №1.pdf',
      contentType: 'application/pdf',
      sizeBytes: 600,
    });
    expect(attachment.url).toBe(`/api/v1/attachments/${attachment.id}`);

    const download = await t.app.request(attachment.url, {
      headers: { authorization: `Bearer ${t.tokens.agent}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain(encodeURIComponent('чек №1.pdf'));
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    const hidden = await t.request('GET', attachment.url, { token: t.tokens.department_member });
    expect(hidden.status).toBe(404);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'abc', '1']) {
      const res = await t.request('GET', `/api/v1/attachments/${id}`, { token: t.tokens.agent });
      expect(res.status, id).toBe(404);
      expect(res.errorCode).toBe('ATTACHMENT_NOT_FOUND');
    }
  });

  it('refuses an empty attachment', async () => {
    const ticket = await createTicket();
    const res = await postMessage(ticket.id, {
      text: 'x',
      attachments: [{ filename: 'empty.bin', contentBase64: '====' }],
    });
    expect(res.status).toBe(400);
  });
});

describe('history', () => {
  it('records every change with before and after, append-only', async () => {
    const group = (
      await t.request('POST', '/api/v1/groups', { token: t.tokens.admin, body: { name: 'History group' } })
    ).parse(ZGroup);
    const ticket = await createTicket({ subject: 'Old subject', tags: ['a'] });
    const before = await eventsOf(ticket.id);

    const res = await t.request('PATCH', `/api/v1/tickets/${ticket.id}`, {
      headers: agent,
      body: {
        subject: 'New subject',
        priority: 'urgent',
        category: 'refund',
        tags: ['a', 'b'],
        assigneeId: t.users.agent.id,
        groupId: group.id,
        customFields: { tripCode: 'X1', seats: 2 },
        isSpam: false,
        status: 'open',
      },
    });
    expect(res.status).toBe(200);
    const events = await eventsOf(ticket.id);
    expect(events.slice(0, before.length)).toEqual(before);
    const byType = Object.fromEntries(events.slice(before.length).map((e) => [e.type, e]));
    expect(Object.keys(byType).sort()).toEqual(
      [
        'assignee_changed',
        'category_changed',
        'custom_fields_changed',
        'group_changed',
        'priority_changed',
        'status_changed',
        'subject_changed',
        'tags_changed',
      ].sort(),
    );
    expect(byType.subject_changed.data).toEqual({ before: 'Old subject', after: 'New subject' });
    expect(byType.priority_changed.data).toEqual({ before: 'normal', after: 'urgent' });
    expect(byType.category_changed.data).toEqual({ before: null, after: 'refund' });
    expect(byType.tags_changed.data).toEqual({ before: ['a'], after: ['a', 'b'] });
    expect(byType.assignee_changed.data).toEqual({ before: null, after: t.users.agent.id });
    expect(byType.group_changed.data).toEqual({ before: null, after: group.id });
    expect(byType.custom_fields_changed.data).toEqual({ before: {}, after: { tripCode: 'X1', seats: 2 } });
    expect(byType.status_changed.data).toEqual({ before: 'new', after: 'open' });
    for (const e of Object.values(byType))
      expect(e.actor).toMatchObject({ kind: 'user', id: t.users.agent.id });

    const second = await patchTicket(ticket.id, {
      assigneeId: null,
      customFields: { seats: null },
      isSpam: true,
    });
    expect(second.status).toBe(200);
    const later = await eventsOf(ticket.id);
    expect(later.slice(0, events.length)).toEqual(events);
    const added = later.slice(events.length);
    expect(added.find((e) => e.type === 'assignee_changed')?.data).toEqual({
      before: t.users.agent.id,
      after: null,
    });
    expect(added.find((e) => e.type === 'custom_fields_changed')?.data).toEqual({
      before: { tripCode: 'X1', seats: 2 },
      after: { tripCode: 'X1' },
    });
    expect(added.find((e) => e.type === 'spam_changed')?.data).toEqual({ before: false, after: true });
    const ids = later.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // Spam leaves the inbox unless asked for.
    expect(idsOf(await listAll('status=open'))).not.toContain(ticket.id);
    expect(idsOf(await listAll('status=open&includeSpam=true'))).toContain(ticket.id);

    // The table itself refuses rewriting history.
    await expect(
      t.database.db
        .updateTable('ticket_events')
        .set({ type: 'rewritten' })
        .where('ticket_id', '=', ticket.id)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.database.db.deleteFrom('ticket_events').where('ticket_id', '=', ticket.id).execute(),
    ).rejects.toThrow(/append-only/);
    expect(await eventsOf(ticket.id)).toEqual(later);
  });

  it('pages through events with a cursor', async () => {
    const ticket = await createTicket();
    for (const priority of ['low', 'high', 'urgent', 'normal'] as const)
      await patchTicket(ticket.id, { priority });
    const all = await eventsOf(ticket.id);
    expect(all).toHaveLength(5);
    const first = (
      await t.request('GET', `/api/v1/tickets/${ticket.id}/events?limit=2`, { token: t.tokens.agent })
    ).parse(ZEventPage);
    expect(first.items).toEqual(all.slice(0, 2));
    const second = (
      await t.request(
        'GET',
        `/api/v1/tickets/${ticket.id}/events?limit=10&cursor=${encodeURIComponent(first.nextCursor!)}`,
        { token: t.tokens.agent },
      )
    ).parse(ZEventPage);
    expect(second).toEqual({ items: all.slice(2), nextCursor: null });
  });
});

describe('merge and link', () => {
  it('merges: messages move to the target, the source is merged and closed, both histories record it', async () => {
    const requester = { identity: { channel: 'email' as const, value: uniqueEmail('merge') } };
    const target = await createTicket({ subject: 'Target', requester, message: { text: 'first' } });
    const source = await createTicket({
      subject: 'Source',
      requester,
      message: {
        text: 'second',
        attachments: [
          {
            filename: 'a.txt',
            contentType: 'text/plain',
            contentBase64: Buffer.from('abc').toString('base64'),
          },
        ],
      },
    });
    await postMessage(source.id, { kind: 'note', text: 'note on source' });
    const other = await createTicket({ subject: 'Other' });

    const res = await t.request('POST', `/api/v1/tickets/${source.id}/merge`, {
      token: t.tokens.agent,
      body: { targetId: target.id },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.parse(ZTicketDetail).id).toBe(target.id);

    const targetMessages = await messagesOf(target.id);
    expect(targetMessages.map((m) => m.text)).toEqual(['first', 'second', 'note on source']);
    expect(targetMessages.every((m) => m.ticketId === target.id)).toBe(true);
    expect(targetMessages[1].attachments.map((a) => a.filename)).toEqual(['a.txt']);
    expect(await messagesOf(source.id)).toEqual([]);

    const merged = await getTicket(source.id);
    expect(merged).toMatchObject({ status: 'closed', mergedIntoId: target.id });
    expect(merged.closedAt).not.toBeNull();
    expect((await eventsOf(source.id)).at(-1)).toMatchObject({
      type: 'merged_into',
      data: { targetId: target.id, statusBefore: 'new' },
    });
    expect((await eventsOf(target.id)).at(-1)).toMatchObject({
      type: 'merged_from',
      data: { sourceId: source.id, subject: 'Source' },
    });
    expect(idsOf(await listAll(''))).not.toContain(source.id);

    const self = await t.request('POST', `/api/v1/tickets/${target.id}/merge`, {
      token: t.tokens.agent,
      body: { targetId: target.id },
    });
    expect(self.status).toBe(422);
    expect(self.errorCode).toBe('INVALID_MERGE');

    const again = await t.request('POST', `/api/v1/tickets/${source.id}/merge`, {
      token: t.tokens.agent,
      body: { targetId: other.id },
    });
    expect(again.status).toBe(422);
    expect(again.errorCode).toBe('TICKET_MERGED');

    const intoMerged = await t.request('POST', `/api/v1/tickets/${other.id}/merge`, {
      token: t.tokens.agent,
      body: { targetId: source.id },
    });
    expect(intoMerged.status).toBe(422);
    expect(intoMerged.errorCode).toBe('INVALID_MERGE');

    const unknown = await t.request('POST', `/api/v1/tickets/${other.id}/merge`, {
      token: t.tokens.agent,
      body: { targetId: 999_999 },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.errorCode).toBe('TICKET_NOT_FOUND');

    const writeToMerged = await postMessage(source.id, { text: 'late' });
    expect(writeToMerged.status).toBe(422);
    expect(writeToMerged.errorCode).toBe('TICKET_MERGED');
    expect((await getTicket(other.id)).mergedIntoId).toBeNull();
  });

  it('refuses merging into a closed ticket', async () => {
    const closed = await createTicket({ status: 'solved' });
    await patchTicket(closed.id, { status: 'closed' });
    const source = await createTicket();
    const res = await t.request('POST', `/api/v1/tickets/${source.id}/merge`, {
      token: t.tokens.agent,
      body: { targetId: closed.id },
    });
    expect(res.status).toBe(422);
    expect(res.errorCode).toBe('INVALID_MERGE');
    expect((await getTicket(source.id)).mergedIntoId).toBeNull();
  });

  it('links two tickets: both sides show the link and record it', async () => {
    const a = await createTicket({ subject: 'A' });
    const b = await createTicket({ subject: 'B' });
    const res = await t.request('POST', `/api/v1/tickets/${a.id}/links`, {
      token: t.tokens.agent,
      body: { targetId: b.id, kind: 'duplicate' },
    });
    expect(res.status).toBe(200);
    expect(res.parse(ZTicketDetail).links).toEqual([
      { ticketId: b.id, subject: 'B', status: 'new', kind: 'duplicate', direction: 'outgoing' },
    ]);
    expect((await getTicket(b.id)).links).toEqual([
      { ticketId: a.id, subject: 'A', status: 'new', kind: 'duplicate', direction: 'incoming' },
    ]);
    expect((await eventsOf(a.id)).at(-1)).toMatchObject({
      type: 'linked',
      data: { ticketId: b.id, kind: 'duplicate', direction: 'outgoing' },
    });
    expect((await eventsOf(b.id)).at(-1)).toMatchObject({
      type: 'linked',
      data: { ticketId: a.id, kind: 'duplicate', direction: 'incoming' },
    });

    const defaultKind = await t.request('POST', `/api/v1/tickets/${b.id}/links`, {
      token: t.tokens.agent,
      body: { targetId: a.id },
    });
    expect(defaultKind.status).toBe(200);

    const self = await t.request('POST', `/api/v1/tickets/${a.id}/links`, {
      token: t.tokens.agent,
      body: { targetId: a.id },
    });
    expect(self.status).toBe(422);
    expect(self.errorCode).toBe('INVALID_LINK');
    const unknown = await t.request('POST', `/api/v1/tickets/${a.id}/links`, {
      token: t.tokens.agent,
      body: { targetId: 999_999 },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.errorCode).toBe('TICKET_NOT_FOUND');
  });
});

// Last: it moves the clock days ahead.
describe('auto-close', () => {
  it('closes only tickets solved more than autoCloseDays ago, as the system, once', async () => {
    const settings = await t.request('GET', '/api/v1/settings', { token: t.tokens.agent });
    expect((settings.json as { autoCloseDays: number }).autoCloseDays).toBe(4);

    // Close whatever earlier tests left solved, so the counts below are about this test only.
    now += 30 * DAY;
    await t.services.tickets.autoCloseSolved();

    const old = await createTicket({ status: 'open' });
    await patchTicket(old.id, { status: 'solved' });
    now += 2 * DAY;
    const recent = await createTicket({ status: 'solved' });
    const open = await createTicket({ status: 'open' });
    now += 2 * DAY + 60_000; // old: 4 days and a minute; recent: 2 days and a minute

    expect(await t.services.tickets.autoCloseSolved()).toBe(1);
    const closed = await getTicket(old.id);
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
    expect((await getTicket(recent.id)).status).toBe('solved');
    expect((await getTicket(open.id)).status).toBe('open');
    expect((await eventsOf(old.id)).at(-1)).toMatchObject({
      type: 'status_changed',
      actor: { kind: 'system', id: null },
      data: { before: 'solved', after: 'closed' },
    });

    expect(await t.services.tickets.autoCloseSolved()).toBe(0);
    expect((await getTicket(old.id)).closedAt).toBe(closed.closedAt);

    now += 2 * DAY;
    expect(await t.services.tickets.autoCloseSolved()).toBe(1);
    expect((await getTicket(recent.id)).status).toBe('closed');
    expect((await getTicket(open.id)).status).toBe('open');
  });
});
