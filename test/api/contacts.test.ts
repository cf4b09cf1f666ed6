import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { TTokenRole } from '../../src/shared/enums.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { ZBooking, ZContact, ZContactDetail } from '../../src/shared/schemas/contacts.ts';
import { ZMarketplaceSyncResponse } from '../../src/shared/schemas/marketplace.ts';
import { ZMessage, ZTicketDetail, ZTicketEvent } from '../../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from '../app.ts';

const ZContactPage = ZPage(ZContact);
type TContact = z.infer<typeof ZContact>;

let t: TTestApp;
let seq = 0;
/** A fresh address per call: tests share one database and must not collide on identities. */
const uniqueEmail = (name: string) => `${name}.${++seq}@contacts.test`;
/** A fresh Russian mobile number per call, as +7 9XX XXX-XX-XX. */
const uniquePhone = () => `+7916${String(10_000_000 + ++seq).slice(1)}`;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const createContact = async (body: Record<string, unknown>, token = t.tokens.agent) => {
  const res = await t.request('POST', '/api/v1/contacts', { token, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZContact);
};

const getContact = async (id: number) => {
  const res = await t.request('GET', `/api/v1/contacts/${id}`, { token: t.tokens.agent });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.parse(ZContactDetail);
};

const lookup = async (query: string, token = t.tokens.agent) => {
  const res = await t.request('GET', `/api/v1/contacts?${query}`, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.parse(ZContactPage);
};
const idsOf = (items: { id: number }[]) => items.map((i) => i.id);

/** The paths named in a VALIDATION_FAILED body. */
const errorPaths = (json: unknown) =>
  ((json as { error: { details?: { path: string }[] } }).error.details ?? []).map((d) => d.path);

const createTicketFor = async (requesterId: number, subject: string, text?: string) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    token: t.tokens.agent,
    body: { subject, requester: { id: requesterId }, ...(text ? { message: { text } } : {}) },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZTicketDetail);
};

describe('POST /api/v1/contacts', () => {
  it('creates a contact with normalized email, phone and extra identities', async () => {
    const email = uniqueEmail('Olga.Sidorova');
    const res = await t.request('POST', '/api/v1/contacts', {
      token: t.tokens.agent,
      body: {
        kind: 'traveler',
        name: '  Ольга Сидорова  ',
        email: email.toUpperCase(),
        phone: '8 (912) 555-01-01',
        language: 'ru',
        notes: 'Prefers calls after 18:00',
        identities: [{ channel: 'telegram', value: '@Olga_S', isVerified: true }],
      },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const contact = res.parse(ZContact);
    expect(contact).toMatchObject({
      kind: 'traveler',
      name: 'Ольга Сидорова',
      email: email.toLowerCase(),
      phone: '+79125550101',
      language: 'ru',
      notes: 'Prefers calls after 18:00',
      externalId: null,
      organization: null,
      bonusBalance: 0,
      discounts: [],
      mergedIntoId: null,
      version: 1,
    });
    expect(contact.identities.map((i) => [i.channel, i.value, i.isVerified])).toEqual([
      ['email', email.toLowerCase(), false],
      ['phone', '+79125550101', false],
      ['telegram', 'olga_s', true],
    ]);

    const detail = await getContact(contact.id);
    expect(detail).toMatchObject({ id: contact.id, name: 'Ольга Сидорова', bookings: [], recentTickets: [] });
    expect(detail.identities).toEqual(contact.identities);
  });

  it('creates a nameless organizer with only the kind given', async () => {
    const contact = await createContact({ kind: 'organizer' });
    expect(contact).toMatchObject({ kind: 'organizer', name: '', email: null, phone: null, identities: [] });
  });

  it('answers 400 with the field path for bad input', async () => {
    for (const [body, path] of [
      [{ kind: 'guide', name: 'x' }, 'kind'],
      [{ name: 'no kind' }, 'kind'],
      [{ kind: 'traveler', email: 'not-an-email' }, 'email'],
      [{ kind: 'traveler', phone: '1' }, 'phone'],
      [{ kind: 'traveler', language: 'de' }, 'language'],
      [{ kind: 'traveler', identities: [{ channel: 'fax', value: '123' }] }, 'identities.0.channel'],
      [{ kind: 'traveler', identities: [{ channel: 'email', value: '   ' }] }, 'identities.0.value'],
      [{ kind: 'traveler', organizationId: 0 }, 'organizationId'],
    ] as const) {
      const res = await t.request('POST', '/api/v1/contacts', { token: t.tokens.agent, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
      expect(errorPaths(res.json), JSON.stringify(body)).toContain(path);
    }
  });

  it('links an organization by id, and refuses an unknown one with 400 on organizationId, not a 500', async () => {
    const sync = await t.request('POST', '/api/v1/marketplace/sync', {
      token: t.tokens.admin,
      body: { organizations: [{ externalId: 'org-contacts', name: 'ООО Тропа' }] },
    });
    expect(sync.status).toBe(200);
    const seed = (
      await t.request('POST', '/api/v1/marketplace/sync', {
        token: t.tokens.admin,
        body: {
          organizers: [{ externalId: 'orgr-contacts', name: 'Seed', organizationExternalId: 'org-contacts' }],
        },
      })
    ).json;
    expect(seed).toMatchObject({ organizers: { created: 1 } });
    const [seeded] = (await lookup('q=Seed&kind=organizer')).items;
    const organization = seeded.organization!;
    expect(organization.name).toBe('ООО Тропа');

    const linked = await createContact({
      kind: 'organizer',
      name: 'Linked',
      organizationId: organization.id,
    });
    expect(linked.organization).toEqual({ id: organization.id, name: 'ООО Тропа' });

    const res = await t.request('POST', '/api/v1/contacts', {
      token: t.tokens.agent,
      body: { kind: 'organizer', name: 'Orphan', organizationId: 424_242 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.errorCode).toBe('VALIDATION_FAILED');
    expect(errorPaths(res.json)).toEqual(['organizationId']);
    expect((await lookup('q=Orphan')).items).toEqual([]);

    const patched = await t.request('PATCH', `/api/v1/contacts/${linked.id}`, {
      token: t.tokens.agent,
      body: { name: 'Unlinked?', organizationId: 424_242 },
    });
    expect(patched.status, JSON.stringify(patched.json)).toBe(400);
    expect(errorPaths(patched.json)).toEqual(['organizationId']);
    const unchanged = await getContact(linked.id);
    expect(unchanged).toMatchObject({ name: 'Linked', organization: { id: organization.id }, version: 1 });

    const detached = await t.request('PATCH', `/api/v1/contacts/${linked.id}`, {
      token: t.tokens.agent,
      body: { organizationId: null },
    });
    expect(detached.parse(ZContact)).toMatchObject({ organization: null, version: 2 });
  });

  it('answers 409 IDENTITY_TAKEN when the email or phone belongs to another contact, creating nothing', async () => {
    const email = uniqueEmail('owner');
    const phone = uniquePhone();
    const owner = await createContact({ kind: 'traveler', name: 'Owner', email, phone });

    for (const body of [
      { kind: 'traveler', name: 'Dup By Email', email: email.toUpperCase() },
      { kind: 'traveler', name: 'Dup By Phone', phone: `8${phone.slice(2)}` },
      { kind: 'traveler', name: 'Dup By Identity', identities: [{ channel: 'email', value: email }] },
    ]) {
      const res = await t.request('POST', '/api/v1/contacts', { token: t.tokens.agent, body });
      expect(res.status, body.name).toBe(409);
      expect(res.errorCode).toBe('IDENTITY_TAKEN');
      expect((res.json as { error: { details: unknown } }).error.details).toEqual({ contactId: owner.id });
      expect((await lookup(`q=${encodeURIComponent(body.name)}`)).items, body.name).toEqual([]);
    }
  });

  it('is refused without a token (401) and for a department member (403); an integration may', async () => {
    const body = { kind: 'traveler', name: 'Gatekeeper' };
    const anonymous = await t.request('POST', '/api/v1/contacts', { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.errorCode).toBe('UNAUTHENTICATED');
    const member = await t.request('POST', '/api/v1/contacts', { token: t.tokens.department_member, body });
    expect(member.status).toBe(403);
    expect(member.errorCode).toBe('FORBIDDEN');
    const integration = await createContact({ ...body, email: uniqueEmail('gate') }, t.tokens.integration);
    expect(integration.name).toBe('Gatekeeper');
  });
});

describe('GET /api/v1/contacts (lookup)', () => {
  let anna: TContact;
  let boris: TContact;
  let annaOrganizer: TContact;

  beforeAll(async () => {
    anna = await createContact({
      kind: 'traveler',
      name: 'Анна Лукина',
      email: 'anna.lukina@lookup.test',
      phone: '+7 (903) 111-22-33',
    });
    boris = await createContact({
      kind: 'traveler',
      name: 'Борис Лукин',
      email: 'boris_l@lookup.test',
      phone: '+79031112299',
    });
    annaOrganizer = await createContact({
      kind: 'organizer',
      name: 'Анна Гид',
      email: 'anna.guide@lookup.test',
    });
  });

  it('finds by email, case-insensitively and by prefix', async () => {
    expect(idsOf((await lookup('email=ANNA.LUKINA@LOOKUP.TEST')).items)).toEqual([anna.id]);
    expect(idsOf((await lookup('email=anna.')).items)).toEqual([annaOrganizer.id, anna.id]);
    // "_" is a literal, not a LIKE wildcard: "boris_" matches boris_l but "borisxl" nothing.
    expect(idsOf((await lookup('email=boris_')).items)).toEqual([boris.id]);
    expect((await lookup('email=boris%25')).items).toEqual([]);
    expect((await lookup('email=nobody@lookup.test')).items).toEqual([]);
  });

  it('finds by phone however it is typed', async () => {
    expect(idsOf((await lookup(`phone=${encodeURIComponent('8 903 111-22-33')}`)).items)).toEqual([anna.id]);
    expect(idsOf((await lookup(`phone=${encodeURIComponent('+79031112233')}`)).items)).toEqual([anna.id]);
    // A prefix finds every number that starts with it, newest contact first.
    expect(idsOf((await lookup(`phone=${encodeURIComponent('+7903111')}`)).items)).toEqual([
      boris.id,
      anna.id,
    ]);
    expect((await lookup('phone=%2B70000000000')).items).toEqual([]);
  });

  it('finds by name (prefix, any word, any case) and by identity value in q', async () => {
    expect(idsOf((await lookup(`q=${encodeURIComponent('анна')}`)).items)).toEqual([
      annaOrganizer.id,
      anna.id,
    ]);
    expect(idsOf((await lookup(`q=${encodeURIComponent('Лукина')}`)).items)).toEqual([anna.id]);
    expect(idsOf((await lookup(`q=${encodeURIComponent('Бор')}`)).items)).toEqual([boris.id]);
    expect(idsOf((await lookup(`q=${encodeURIComponent('boris_l@')}`)).items)).toEqual([boris.id]);
    expect(idsOf((await lookup(`q=${encodeURIComponent('анна')}&kind=traveler`)).items)).toEqual([anna.id]);
    expect(idsOf((await lookup(`q=${encodeURIComponent('анна')}&kind=organizer`)).items)).toEqual([
      annaOrganizer.id,
    ]);
  });

  it('pages newest first with a cursor', async () => {
    const page1 = await lookup(`q=${encodeURIComponent('анна')}&limit=1`);
    expect(idsOf(page1.items)).toEqual([annaOrganizer.id]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await lookup(
      `q=${encodeURIComponent('анна')}&limit=1&cursor=${encodeURIComponent(page1.nextCursor!)}`,
    );
    expect(idsOf(page2.items)).toEqual([anna.id]);
    expect(page2.nextCursor).toBeNull();

    const all = await lookup('limit=200');
    const ids = idsOf(all.items);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids).toEqual(expect.arrayContaining([anna.id, boris.id, annaOrganizer.id]));
  });

  it('answers 400 for a bad filter or cursor', async () => {
    for (const [query, path] of [
      ['kind=guide', 'kind'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('[0]').toString('base64url')}`, 'cursor'],
    ] as const) {
      const res = await t.request('GET', `/api/v1/contacts?${query}`, { token: t.tokens.agent });
      expect(res.status, query).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
      expect(errorPaths(res.json), query).toContain(path);
    }
  });

  it('is refused without a token and for a department member', async () => {
    expect((await t.request('GET', '/api/v1/contacts')).status).toBe(401);
    const member = await t.request('GET', '/api/v1/contacts', { token: t.tokens.department_member });
    expect(member.status).toBe(403);
    expect(member.errorCode).toBe('FORBIDDEN');
    expect(idsOf((await lookup('email=anna.lukina@', t.tokens.integration)).items)).toEqual([anna.id]);
  });
});

describe('GET /api/v1/contacts/:id', () => {
  it('shows recent tickets on every channel, newest first', async () => {
    const contact = await createContact({ kind: 'traveler', name: 'Пётр', email: uniqueEmail('petr') });
    const first = await createTicketFor(contact.id, 'Where is my voucher?');
    const second = await createTicketFor(contact.id, 'Change of dates');
    const detail = await getContact(contact.id);
    expect(detail.recentTickets.map((r) => [r.id, r.subject, r.status, r.channel])).toEqual([
      [second.id, 'Change of dates', 'new', 'api'],
      [first.id, 'Where is my voucher?', 'new', 'api'],
    ]);
  });

  it('answers 404 CONTACT_NOT_FOUND for unknown and malformed ids', async () => {
    for (const id of ['999999', '0', '-1', 'abc', '1.5', '1e3', '99999999999']) {
      const res = await t.request('GET', `/api/v1/contacts/${id}`, { token: t.tokens.agent });
      expect(res.status, id).toBe(404);
      expect(res.errorCode, id).toBe('CONTACT_NOT_FOUND');
    }
  });

  it('is refused without a token and for a department member', async () => {
    const contact = await createContact({ kind: 'traveler', name: 'Hidden' });
    expect((await t.request('GET', `/api/v1/contacts/${contact.id}`)).status).toBe(401);
    const member = await t.request('GET', `/api/v1/contacts/${contact.id}`, {
      token: t.tokens.department_member,
    });
    expect(member.status).toBe(403);
    expect(member.errorCode).toBe('FORBIDDEN');
  });
});

describe('PATCH /api/v1/contacts/:id', () => {
  const patch = (
    id: number | string,
    body: unknown,
    o: { token?: string; headers?: Record<string, string> } = {},
  ) =>
    t.request('PATCH', `/api/v1/contacts/${id}`, {
      token: o.token ?? t.tokens.agent,
      body,
      headers: o.headers,
    });

  it('changes fields, adds and removes identities, and bumps the version', async () => {
    const email = uniqueEmail('mila');
    const contact = await createContact({ kind: 'traveler', name: 'Мила', email, phone: uniquePhone() });
    const phoneIdentity = contact.identities.find((i) => i.channel === 'phone')!;

    const res = await patch(contact.id, {
      kind: 'organizer',
      name: 'Мила Орлова',
      language: 'en',
      notes: 'Runs kayak tours',
      addIdentities: [{ channel: 'telegram', value: '@MilaOrl' }],
      removeIdentityIds: [phoneIdentity.id],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const updated = res.parse(ZContact);
    expect(updated).toMatchObject({
      id: contact.id,
      kind: 'organizer',
      name: 'Мила Орлова',
      language: 'en',
      notes: 'Runs kayak tours',
      email,
      phone: null,
      version: 2,
    });
    expect(updated.identities.map((i) => [i.channel, i.value])).toEqual([
      ['email', email],
      ['telegram', 'milaorl'],
    ]);

    // A removed identity is free for someone else.
    const other = await createContact({ kind: 'traveler', name: 'Next owner', phone: phoneIdentity.value });
    expect(other.phone).toBe(phoneIdentity.value);

    const cleared = (await patch(contact.id, { language: null })).parse(ZContact);
    expect(cleared).toMatchObject({ language: null, name: 'Мила Орлова', version: 3 });
  });

  it('honours If-Match: the current version passes, a stale one is 409 VERSION_CONFLICT', async () => {
    const contact = await createContact({ kind: 'traveler', name: 'Versioned' });
    const ok = await patch(contact.id, { notes: 'first' }, { headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.parse(ZContact).version).toBe(2);

    const stale = await patch(contact.id, { notes: 'second' }, { headers: { 'if-match': '1' } });
    expect(stale.status).toBe(409);
    expect(stale.errorCode).toBe('VERSION_CONFLICT');
    expect((await getContact(contact.id)).notes).toBe('first');

    const junk = await patch(contact.id, { notes: 'third' }, { headers: { 'if-match': 'latest' } });
    expect(junk.status).toBe(400);
    expect(junk.errorCode).toBe('VALIDATION_FAILED');
  });

  it('answers 409 IDENTITY_TAKEN for an identity of another contact and changes nothing', async () => {
    const email = uniqueEmail('taken');
    const owner = await createContact({ kind: 'traveler', name: 'Owner', email });
    const contact = await createContact({ kind: 'traveler', name: 'Before' });
    const res = await patch(contact.id, {
      name: 'After',
      addIdentities: [{ channel: 'email', value: email.toUpperCase() }],
    });
    expect(res.status).toBe(409);
    expect(res.errorCode).toBe('IDENTITY_TAKEN');
    expect((res.json as { error: { details: unknown } }).error.details).toEqual({ contactId: owner.id });
    const after = await getContact(contact.id);
    expect(after).toMatchObject({ name: 'Before', email: null, version: 1 });
    expect((await getContact(owner.id)).email).toBe(email);

    // Adding an identity the contact already owns is not a conflict.
    const again = await patch(owner.id, { addIdentities: [{ channel: 'email', value: email }] });
    expect(again.status).toBe(200);
    expect(again.parse(ZContact).identities).toHaveLength(1);
  });

  it('answers 400 with the field path for bad input', async () => {
    const contact = await createContact({ kind: 'traveler', name: 'Valid' });
    for (const [body, path] of [
      [{ kind: 'guide' }, 'kind'],
      [{ language: 'fr' }, 'language'],
      [{ notes: 42 }, 'notes'],
      [{ addIdentities: [{ channel: 'pager', value: '1' }] }, 'addIdentities.0.channel'],
      [{ removeIdentityIds: ['x'] }, 'removeIdentityIds.0'],
    ] as const) {
      const res = await patch(contact.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
      expect(errorPaths(res.json), JSON.stringify(body)).toContain(path);
    }
    expect((await getContact(contact.id)).version).toBe(1);
  });

  it('answers 404 for unknown and malformed ids, 401 without a token, 403 for a department member', async () => {
    for (const id of ['999999', '0', 'abc', '-5']) {
      const res = await patch(id, { name: 'x' });
      expect(res.status, id).toBe(404);
      expect(res.errorCode, id).toBe('CONTACT_NOT_FOUND');
    }
    const contact = await createContact({ kind: 'traveler', name: 'Guarded' });
    expect((await t.request('PATCH', `/api/v1/contacts/${contact.id}`, { body: { name: 'x' } })).status).toBe(
      401,
    );
    const member = await patch(contact.id, { name: 'x' }, { token: t.tokens.department_member });
    expect(member.status).toBe(403);
    const integration = await patch(contact.id, { name: 'By integration' }, { token: t.tokens.integration });
    expect(integration.status).toBe(200);
    expect((await getContact(contact.id)).name).toBe('By integration');
  });
});

describe('POST /api/v1/contacts/:id/merge', () => {
  const merge = (targetId: number | string, body: unknown, token: string = t.tokens.agent) =>
    t.request('POST', `/api/v1/contacts/${targetId}/merge`, { token, body });

  it('moves identities, tickets, messages and bookings to the target and records it in history', async () => {
    const sourceEmail = uniqueEmail('dup.source');
    const targetEmail = uniqueEmail('dup.target');
    const sync = await t.request('POST', '/api/v1/marketplace/sync', {
      token: t.tokens.integration,
      body: {
        travelers: [
          { externalId: 'merge-src', name: 'Игорь (сайт)', email: sourceEmail, phone: '+79161230001' },
        ],
        tours: [{ externalId: 'merge-tour', title: 'Алтай пешком', region: 'Алтай' }],
        departures: [
          {
            externalId: 'merge-dep',
            tourExternalId: 'merge-tour',
            startsOn: '2031-07-01',
            endsOn: '2031-07-08',
          },
        ],
        bookings: [
          {
            externalId: 'merge-bk',
            code: 'MRG-1',
            travelerExternalId: 'merge-src',
            departureExternalId: 'merge-dep',
            status: 'confirmed',
            amount: 42_000,
          },
        ],
      },
    });
    expect(sync.status, JSON.stringify(sync.json)).toBe(200);
    expect(sync.parse(ZMarketplaceSyncResponse).bookings.created).toBe(1);
    const [source] = (await lookup(`email=${encodeURIComponent(sourceEmail)}`)).items;
    expect(source.externalId).toBe('merge-src');
    const target = await createContact({ kind: 'traveler', name: 'Игорь Смирнов', email: targetEmail });

    const ticket = await createTicketFor(source.id, 'Где мой ваучер?', 'Пишу с другой почты');
    const targetTicket = await createTicketFor(target.id, 'Перенос дат');

    const res = await merge(target.id, { sourceId: source.id });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const merged = res.parse(ZContact);
    expect(merged).toMatchObject({ id: target.id, name: 'Игорь Смирнов', mergedIntoId: null, version: 1 });
    expect(merged.identities.map((i) => i.value).sort()).toEqual(
      ['+79161230001', sourceEmail, targetEmail].sort(),
    );

    // The source stays as a pointer, out of lists and lookups.
    const gone = await getContact(source.id);
    expect(gone.mergedIntoId).toBe(target.id);
    expect(gone.identities).toEqual([]);
    expect(gone.bookings).toEqual([]);
    expect(gone.recentTickets).toEqual([]);
    expect(idsOf((await lookup(`email=${encodeURIComponent(sourceEmail)}`)).items)).toEqual([target.id]);
    expect(idsOf((await lookup('phone=%2B79161230001')).items)).toEqual([target.id]);
    expect(idsOf((await lookup('limit=200')).items)).not.toContain(source.id);

    const detail = await getContact(target.id);
    expect(detail.bookings.map((b) => [b.code, b.travelerId])).toEqual([['MRG-1', target.id]]);
    expect(detail.recentTickets.map((r) => r.id)).toEqual([targetTicket.id, ticket.id]);

    const bookings = await t.request('GET', `/api/v1/bookings?travelerId=${target.id}`, {
      token: t.tokens.agent,
    });
    expect(bookings.parse(ZPage(ZBooking)).items.map((b) => b.code)).toEqual(['MRG-1']);
    const movedTicket = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { token: t.tokens.agent });
    expect(movedTicket.parse(ZTicketDetail)).toMatchObject({
      requesterId: target.id,
      requesterName: 'Игорь Смирнов',
    });

    const messages = await t.request('GET', `/api/v1/tickets/${ticket.id}/messages`, {
      token: t.tokens.agent,
    });
    expect(messages.parse(ZPage(ZMessage)).items.map((m) => m.authorContactId)).toEqual([target.id]);

    const events = await t.request('GET', `/api/v1/tickets/${ticket.id}/events`, { token: t.tokens.agent });
    const changed = events.parse(ZPage(ZTicketEvent)).items.filter((e) => e.type === 'requester_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].data).toEqual({ before: source.id, after: target.id, reason: 'contact_merge' });
    expect(changed[0].actor).toMatchObject({ kind: 'token', name: 'agent token' });
    // The target's own ticket did not change requester, so it has no such event.
    const targetEvents = await t.request('GET', `/api/v1/tickets/${targetTicket.id}/events`, {
      token: t.tokens.agent,
    });
    expect(targetEvents.parse(ZPage(ZTicketEvent)).items.map((e) => e.type)).not.toContain(
      'requester_changed',
    );

    // New mail from the source's address now lands on the target.
    const next = await t.request('POST', '/api/v1/tickets', {
      token: t.tokens.agent,
      body: { subject: 'Ещё вопрос', requester: { identity: { channel: 'email', value: sourceEmail } } },
    });
    expect(next.parse(ZTicketDetail).requesterId).toBe(target.id);

    // A merged contact cannot be edited or used as a requester.
    const edit = await t.request('PATCH', `/api/v1/contacts/${source.id}`, {
      token: t.tokens.agent,
      body: { name: 'zombie' },
    });
    expect(edit.status).toBe(404);
    expect(edit.errorCode).toBe('CONTACT_NOT_FOUND');
  });

  it('keeps bookings on the target when the marketplace pushes the merged traveler again', async () => {
    const sourceEmail = uniqueEmail('resync.source');
    const payload = {
      travelers: [{ externalId: 'resync-src', name: 'Вера', email: sourceEmail }],
      tours: [{ externalId: 'resync-tour', title: 'Камчатка' }],
      departures: [
        {
          externalId: 'resync-dep',
          tourExternalId: 'resync-tour',
          startsOn: '2031-08-01',
          endsOn: '2031-08-10',
        },
      ],
      bookings: [
        {
          externalId: 'resync-bk',
          code: 'RSY-1',
          travelerExternalId: 'resync-src',
          departureExternalId: 'resync-dep',
          status: 'confirmed',
          amount: 99_000,
        },
      ],
    };
    const push = async () => {
      const res = await t.request('POST', '/api/v1/marketplace/sync', {
        token: t.tokens.integration,
        body: payload,
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.parse(ZMarketplaceSyncResponse);
    };
    await push();
    const [source] = (await lookup(`email=${encodeURIComponent(sourceEmail)}`)).items;
    const target = await createContact({
      kind: 'traveler',
      name: 'Вера Кузнецова',
      email: uniqueEmail('vera'),
    });
    expect((await merge(target.id, { sourceId: source.id })).status).toBe(200);

    const again = await push();
    expect(again.bookings).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const [booking] = (
      await t.request('GET', '/api/v1/bookings?code=RSY-1', { token: t.tokens.agent })
    ).parse(ZPage(ZBooking)).items;
    expect(booking.travelerId).toBe(target.id);
    expect((await getContact(target.id)).bookings.map((b) => b.code)).toEqual(['RSY-1']);

    // A phone the marketplace learns later lands on the target too, not on the merged-away contact.
    payload.travelers[0] = {
      ...payload.travelers[0],
      phone: '+79165550077',
    } as (typeof payload.travelers)[0];
    await push();
    expect(idsOf((await lookup('phone=%2B79165550077')).items)).toEqual([target.id]);
    expect((await getContact(source.id)).identities).toEqual([]);
  });

  it('refuses merging a contact into itself with 422 INVALID_MERGE', async () => {
    const contact = await createContact({ kind: 'traveler', name: 'Self' });
    const res = await merge(contact.id, { sourceId: contact.id });
    expect(res.status).toBe(422);
    expect(res.errorCode).toBe('INVALID_MERGE');
    expect((await getContact(contact.id)).mergedIntoId).toBeNull();
  });

  it('answers 404 when the source or the target is already merged or unknown', async () => {
    const a = await createContact({ kind: 'traveler', name: 'A', email: uniqueEmail('a') });
    const b = await createContact({ kind: 'traveler', name: 'B', email: uniqueEmail('b') });
    const c = await createContact({ kind: 'traveler', name: 'C', email: uniqueEmail('c') });
    expect((await merge(a.id, { sourceId: b.id })).status).toBe(200);

    const sourceAgain = await merge(c.id, { sourceId: b.id });
    expect(sourceAgain.status).toBe(404);
    expect(sourceAgain.errorCode).toBe('CONTACT_NOT_FOUND');
    expect((sourceAgain.json as { error: { details: unknown } }).error.details).toEqual({ sourceId: b.id });

    const intoMerged = await merge(b.id, { sourceId: c.id });
    expect(intoMerged.status).toBe(404);
    expect(intoMerged.errorCode).toBe('CONTACT_NOT_FOUND');
    expect((await getContact(c.id)).mergedIntoId).toBeNull();
    expect((await getContact(c.id)).identities).toHaveLength(1);

    const unknownSource = await merge(a.id, { sourceId: 999_999 });
    expect(unknownSource.status).toBe(404);
    expect(unknownSource.errorCode).toBe('CONTACT_NOT_FOUND');
    for (const id of ['999999', '0', 'abc']) {
      const res = await merge(id, { sourceId: a.id });
      expect(res.status, id).toBe(404);
      expect(res.errorCode).toBe('CONTACT_NOT_FOUND');
    }
    expect((await getContact(a.id)).mergedIntoId).toBeNull();
  });

  it('lets only one of two opposite merges win', async () => {
    const a = await createContact({ kind: 'traveler', name: 'Race A', email: uniqueEmail('race.a') });
    const b = await createContact({ kind: 'traveler', name: 'Race B', email: uniqueEmail('race.b') });
    const results = await Promise.all([merge(a.id, { sourceId: b.id }), merge(b.id, { sourceId: a.id })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
    const live = [await getContact(a.id), await getContact(b.id)].filter((c) => c.mergedIntoId === null);
    expect(live).toHaveLength(1);
    expect(live[0].identities).toHaveLength(2);
  });

  it('answers 400 with the field path for a bad sourceId', async () => {
    const contact = await createContact({ kind: 'traveler', name: 'Target' });
    for (const body of [{}, { sourceId: '1' }, { sourceId: 0 }, { sourceId: 1.5 }]) {
      const res = await merge(contact.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
      expect(errorPaths(res.json)).toEqual(['sourceId']);
    }
  });

  it('is for staff only: 401 without a token, 403 for a department member and an integration', async () => {
    const a = await createContact({ kind: 'traveler', name: 'Keep A' });
    const b = await createContact({ kind: 'traveler', name: 'Keep B' });
    expect(
      (await t.request('POST', `/api/v1/contacts/${a.id}/merge`, { body: { sourceId: b.id } })).status,
    ).toBe(401);
    for (const role of ['department_member', 'integration'] as TTokenRole[]) {
      const res = await merge(a.id, { sourceId: b.id }, t.tokens[role]);
      expect(res.status, role).toBe(403);
      expect(res.errorCode).toBe('FORBIDDEN');
    }
    expect((await getContact(b.id)).mergedIntoId).toBeNull();
    const bySupervisor = await merge(a.id, { sourceId: b.id }, t.tokens.supervisor);
    expect(bySupervisor.status).toBe(200);
  });
});
