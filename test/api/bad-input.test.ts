import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_STATUS, type TErrorCode } from '../../src/shared/errors.ts';
import { ZContact } from '../../src/shared/schemas/contacts.ts';
import { ZTicketDetail } from '../../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from '../app.ts';

const MAX_BODY = 2048;

const ZErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).strict(),
});
const ZValidationDetails = z.array(z.object({ path: z.string(), message: z.string() }));

let t: TTestApp;
let ticketId: number;
let contactId: number;

beforeAll(async () => {
  t = await createTestApp({ config: { maxBodyBytes: MAX_BODY } });
  const contact = await t.request('POST', '/api/v1/contacts', {
    token: t.tokens.agent,
    body: { kind: 'traveler', name: 'Bad Input', email: 'bad.input@test.local' },
  });
  contactId = contact.parse(ZContact).id;
  const ticket = await t.request('POST', '/api/v1/tickets', {
    token: t.tokens.agent,
    body: { subject: 'Target of bad input', requester: { id: contactId } },
  });
  ticketId = ticket.parse(ZTicketDetail).id;
});
afterAll(async () => t?.close());

type TResponse = Awaited<ReturnType<TTestApp['request']>>;

/** The response is the API's error shape with this code and its status; no stack, no internals. */
const expectError = (res: TResponse, code: TErrorCode) => {
  expect({ status: res.status, code: res.errorCode }, JSON.stringify(res.json)).toEqual({
    status: ERROR_STATUS[code],
    code,
  });
  const body = ZErrorBody.parse(res.json);
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  return body.error;
};

/** A 400 VALIDATION_FAILED whose details name `path` (or an element of it, as `status.0`). */
const expectInvalid = (res: TResponse, path: string) => {
  const error = expectError(res, 'VALIDATION_FAILED');
  const details = ZValidationDetails.parse(error.details);
  const named = details.some((d) => d.path === path || d.path.startsWith(`${path}.`));
  expect(named, `${path} in ${JSON.stringify(details)}`).toBe(true);
};

const WRITES: [string, () => string][] = [
  ['POST', () => '/api/v1/tickets'],
  ['PATCH', () => `/api/v1/tickets/${ticketId}`],
  ['POST', () => `/api/v1/tickets/${ticketId}/messages`],
  ['POST', () => `/api/v1/tickets/${ticketId}/merge`],
  ['POST', () => `/api/v1/tickets/${ticketId}/links`],
  ['POST', () => '/api/v1/contacts'],
  ['PATCH', () => `/api/v1/contacts/${contactId}`],
  ['POST', () => `/api/v1/contacts/${contactId}/merge`],
];

describe('malformed JSON', () => {
  it('answers 400 MALFORMED_JSON on every JSON write', async () => {
    for (const raw of ['{"subject":', '{subject: 1}', "{'a':1}", '[1,2', 'nul', '{"a":1}}']) {
      for (const [method, url] of WRITES) {
        const res = await t.request(method, url(), {
          token: t.tokens.admin,
          rawBody: raw,
          headers: { 'content-type': 'application/json' },
        });
        expectError(res, 'MALFORMED_JSON');
      }
    }
    const sync = await t.request('POST', '/api/v1/marketplace/sync', {
      token: t.tokens.integration,
      rawBody: '{"bookings": [',
      headers: { 'content-type': 'application/json' },
    });
    expectError(sync, 'MALFORMED_JSON');
  });

  it('never answers 5xx for a body without or with the wrong content type, or an empty one', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/json' },
    ]) {
      for (const rawBody of [undefined, '', '{"subject":"x"}']) {
        const res = await t.request('POST', '/api/v1/tickets', { token: t.tokens.agent, rawBody, headers });
        expect(res.status, `${JSON.stringify(headers)} ${rawBody}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        ZErrorBody.parse(res.json);
      }
    }
  });
});

describe('wrong types', () => {
  it('names the offending field in details[].path', async () => {
    const cases: [string, () => string, unknown, string][] = [
      ['POST', () => '/api/v1/tickets', { subject: 42, requester: { id: contactId } }, 'subject'],
      ['POST', () => '/api/v1/tickets', { subject: 'x' }, 'requester'],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, priority: 'huge' },
        'priority',
      ],
      ['POST', () => '/api/v1/tickets', { subject: 'x', requester: { id: contactId }, tags: 'a,b' }, 'tags'],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, tags: ['a b'] },
        'tags.0',
      ],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, channel: 'fax' },
        'channel',
      ],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, status: 'closed' },
        'status',
      ],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, assigneeId: '3' },
        'assigneeId',
      ],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, message: { text: 7 } },
        'message.text',
      ],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { priority: 1 }, 'priority'],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { isSpam: 'yes' }, 'isSpam'],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { assigneeId: 1.5 }, 'assigneeId'],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { groupId: -3 }, 'groupId'],
      [
        'PATCH',
        () => `/api/v1/tickets/${ticketId}`,
        { customFields: { a: { nested: true } } },
        'customFields.a',
      ],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { status: 'done' }, 'status'],
      ['POST', () => `/api/v1/tickets/${ticketId}/messages`, { kind: 'whisper', text: 'x' }, 'kind'],
      ['POST', () => `/api/v1/tickets/${ticketId}/messages`, { text: '   ' }, 'text'],
      [
        'POST',
        () => `/api/v1/tickets/${ticketId}/messages`,
        { text: 'x', attachments: [{ filename: 'a.bin', contentBase64: 'not base64!' }] },
        'attachments.0.contentBase64',
      ],
      ['POST', () => `/api/v1/tickets/${ticketId}/merge`, { targetId: 'seven' }, 'targetId'],
      ['POST', () => `/api/v1/tickets/${ticketId}/links`, { targetId: 1, kind: 'sibling' }, 'kind'],
      ['POST', () => '/api/v1/contacts', { kind: 'alien', name: 'x' }, 'kind'],
      ['POST', () => '/api/v1/contacts', { kind: 'traveler', email: 'not-an-email' }, 'email'],
      [
        'PATCH',
        () => `/api/v1/contacts/${contactId}`,
        { addIdentities: [{ channel: 'fax', value: '1' }] },
        'addIdentities.0.channel',
      ],
      ['POST', () => `/api/v1/contacts/${contactId}/merge`, {}, 'sourceId'],
      ['POST', () => '/api/v1/marketplace/sync', { bookings: [{ externalId: 'b' }] }, 'bookings.0.code'],
      [
        'POST',
        () => '/api/v1/marketplace/sync',
        {
          departures: [
            { externalId: 'd', tourExternalId: 't', startsOn: '2026-05-02', endsOn: '2026-05-01' },
          ],
        },
        'departures.0.endsOn',
      ],
    ];
    for (const [method, url, body, path] of cases) {
      const res = await t.request(method, url(), { token: t.tokens.admin, body });
      expectInvalid(res, path);
    }
  });

  it('names the offending query parameter', async () => {
    const cases: [string, string][] = [
      ['/api/v1/tickets?limit=abc', 'limit'],
      ['/api/v1/tickets?limit=0', 'limit'],
      ['/api/v1/tickets?limit=100000', 'limit'],
      ['/api/v1/tickets?status=bogus', 'status'],
      ['/api/v1/tickets?assigneeId=someone', 'assigneeId'],
      ['/api/v1/tickets?requesterId=-1', 'requesterId'],
      ['/api/v1/tickets?updatedSince=yesterday', 'updatedSince'],
      ['/api/v1/tickets?tripStartsWithinDays=1000', 'tripStartsWithinDays'],
      ['/api/v1/tickets?cursor=not-a-cursor', 'cursor'],
      ['/api/v1/contacts?kind=alien', 'kind'],
      ['/api/v1/bookings?status=lost', 'status'],
      ['/api/v1/search?q=', 'q'],
    ];
    for (const [url, path] of cases)
      expectInvalid(await t.request('GET', url, { token: t.tokens.admin }), path);
  });

  it('refuses cursors that decode but do not fit, without touching the database with them', async () => {
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [
      encode([123, 'abc']),
      encode(['not a date', 1]),
      encode(['2026-01-01T00:00:00.000Z', 'x']),
      encode(['2026-01-01T00:00:00.000Z', 1e12]),
    ]) {
      const res = await t.request('GET', `/api/v1/tickets?cursor=${cursor}`, { token: t.tokens.agent });
      expectInvalid(res, 'cursor');
    }
    for (const url of [
      '/api/v1/contacts',
      '/api/v1/tours',
      '/api/v1/bookings',
      `/api/v1/tickets/${ticketId}/events`,
    ]) {
      // Event ids are bigint, so 1e12 is a fair event cursor; the other lists key on int ids.
      const tooBig = url.endsWith('/events') ? [encode([2 ** 53])] : [encode([1e12])];
      for (const cursor of [encode(['x']), encode([1.5]), encode([-1]), ...tooBig]) {
        const res = await t.request('GET', `${url}?cursor=${cursor}`, { token: t.tokens.admin });
        expectInvalid(res, 'cursor');
      }
    }
  });
});

describe('too long', () => {
  it('refuses strings over their limits with 400', async () => {
    const cases: [string, () => string, unknown, string][] = [
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x'.repeat(501), requester: { id: contactId } },
        'subject',
      ],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, tags: ['t'.repeat(51)] },
        'tags.0',
      ],
      [
        'POST',
        () => '/api/v1/tickets',
        { subject: 'x', requester: { id: contactId }, category: 'c'.repeat(101) },
        'category',
      ],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { subject: 's'.repeat(501) }, 'subject'],
      ['POST', () => '/api/v1/contacts', { kind: 'traveler', name: 'n'.repeat(201) }, 'name'],
      ['POST', () => '/api/v1/contacts', { kind: 'traveler', phone: '1'.repeat(41) }, 'phone'],
      ['PATCH', () => `/api/v1/contacts/${contactId}`, { name: 'n'.repeat(201) }, 'name'],
    ];
    for (const [method, url, body, path] of cases) {
      expectInvalid(await t.request(method, url(), { token: t.tokens.admin, body }), path);
    }
    expectInvalid(
      await t.request('GET', `/api/v1/search?q=${'q'.repeat(301)}`, { token: t.tokens.agent }),
      'q',
    );
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
    const big = { subject: 'x', requester: { id: contactId }, message: { text: 'y'.repeat(MAX_BODY + 10) } };
    expectError(
      await t.request('POST', '/api/v1/tickets', { token: t.tokens.agent, body: big }),
      'PAYLOAD_TOO_LARGE',
    );
    expectError(
      await t.request('POST', `/api/v1/tickets/${ticketId}/messages`, {
        token: t.tokens.agent,
        body: { text: 'z'.repeat(MAX_BODY * 4) },
      }),
      'PAYLOAD_TOO_LARGE',
    );
    // Not even valid JSON: the size is refused before parsing.
    expectError(
      await t.request('POST', '/api/v1/contacts', {
        token: t.tokens.agent,
        rawBody: '{'.repeat(MAX_BODY + 1),
        headers: { 'content-type': 'application/json' },
      }),
      'PAYLOAD_TOO_LARGE',
    );
    // Just under the limit is fine.
    const fits = await t.request('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: t.tokens.agent,
      body: { kind: 'note', text: 'n'.repeat(MAX_BODY - 100) },
    });
    expect(fits.status).toBe(201);
  });
});

describe('unknown and malformed ids', () => {
  const IDS = ['999999', 'abc', '-1', '1.5', '99999999999', '0', '1e3', '%20', '0x10'];

  it('answers 404 with the resource’s code for every route with an id', async () => {
    const routes: [string, string, TErrorCode, unknown][] = [
      ['GET', '/api/v1/tickets/:id', 'TICKET_NOT_FOUND', undefined],
      ['PATCH', '/api/v1/tickets/:id', 'TICKET_NOT_FOUND', { priority: 'low' }],
      ['GET', '/api/v1/tickets/:id/messages', 'TICKET_NOT_FOUND', undefined],
      ['POST', '/api/v1/tickets/:id/messages', 'TICKET_NOT_FOUND', { text: 'hi' }],
      ['GET', '/api/v1/tickets/:id/events', 'TICKET_NOT_FOUND', undefined],
      ['POST', '/api/v1/tickets/:id/merge', 'TICKET_NOT_FOUND', { targetId: 1 }],
      ['POST', '/api/v1/tickets/:id/links', 'TICKET_NOT_FOUND', { targetId: 1 }],
      ['GET', '/api/v1/contacts/:id', 'CONTACT_NOT_FOUND', undefined],
      ['PATCH', '/api/v1/contacts/:id', 'CONTACT_NOT_FOUND', { name: 'x' }],
      ['POST', '/api/v1/contacts/:id/merge', 'CONTACT_NOT_FOUND', { sourceId: 1 }],
      ['GET', '/api/v1/tours/:id', 'TOUR_NOT_FOUND', undefined],
      ['GET', '/api/v1/bookings/:id', 'BOOKING_NOT_FOUND', undefined],
      ['GET', '/api/v1/users/:id', 'USER_NOT_FOUND', undefined],
      ['PATCH', '/api/v1/users/:id', 'USER_NOT_FOUND', { name: 'x' }],
      ['GET', '/api/v1/groups/:id', 'GROUP_NOT_FOUND', undefined],
      ['PATCH', '/api/v1/groups/:id', 'GROUP_NOT_FOUND', { name: 'x' }],
      ['DELETE', '/api/v1/api-tokens/:id', 'TOKEN_NOT_FOUND', undefined],
      ['GET', '/api/v1/attachments/:id', 'ATTACHMENT_NOT_FOUND', undefined],
    ];
    for (const [method, pattern, code, body] of routes) {
      for (const id of IDS) {
        const res = await t.request(method, pattern.replace(':id', id), { token: t.tokens.admin, body });
        expect(res.status, `${method} ${pattern} ${id}: ${JSON.stringify(res.json)}`).toBe(404);
        expect(res.errorCode, `${method} ${pattern} ${id}`).toBe(code);
      }
    }
  });

  it('answers 404 for unknown ids in bodies, and never 500 for ids past the integer range', async () => {
    const cases: [string, () => string, unknown, TErrorCode][] = [
      ['POST', () => '/api/v1/tickets', { subject: 'x', requester: { id: 999_999 } }, 'CONTACT_NOT_FOUND'],
      ['POST', () => `/api/v1/tickets/${ticketId}/merge`, { targetId: 999_999 }, 'TICKET_NOT_FOUND'],
      ['POST', () => `/api/v1/tickets/${ticketId}/links`, { targetId: 999_999 }, 'TICKET_NOT_FOUND'],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { assigneeId: 999_999 }, 'USER_NOT_FOUND'],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { groupId: 999_999 }, 'GROUP_NOT_FOUND'],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { bookingId: 999_999 }, 'BOOKING_NOT_FOUND'],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { requesterId: 999_999 }, 'CONTACT_NOT_FOUND'],
      ['POST', () => `/api/v1/contacts/${contactId}/merge`, { sourceId: 999_999 }, 'CONTACT_NOT_FOUND'],
    ];
    for (const [method, url, body, code] of cases) {
      expectError(await t.request(method, url(), { token: t.tokens.admin, body }), code);
    }
    const huge = 99_999_999_999;
    const overflow: [string, () => string, unknown][] = [
      ['POST', () => '/api/v1/tickets', { subject: 'x', requester: { id: huge } }],
      ['POST', () => '/api/v1/tickets', { subject: 'x', requester: { id: contactId }, assigneeId: huge }],
      ['POST', () => '/api/v1/tickets', { subject: 'x', requester: { id: contactId }, groupId: huge }],
      ['POST', () => '/api/v1/tickets', { subject: 'x', requester: { id: contactId }, bookingId: huge }],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { requesterId: huge }],
      ['PATCH', () => `/api/v1/tickets/${ticketId}`, { bookingId: huge }],
      ['POST', () => `/api/v1/tickets/${ticketId}/merge`, { targetId: huge }],
      ['POST', () => `/api/v1/tickets/${ticketId}/links`, { targetId: huge }],
      ['POST', () => `/api/v1/contacts/${contactId}/merge`, { sourceId: huge }],
      ['POST', () => '/api/v1/contacts', { kind: 'traveler', organizationId: huge }],
      ['PATCH', () => `/api/v1/contacts/${contactId}`, { organizationId: huge, removeIdentityIds: [huge] }],
      [
        'POST',
        () => '/api/v1/users',
        { email: 'big@test.local', name: 'x', role: 'agent', groupIds: [huge] },
      ],
      ['POST', () => '/api/v1/groups', { name: 'Huge', memberIds: [huge] }],
    ];
    for (const [method, url, body] of overflow) {
      const res = await t.request(method, url(), { token: t.tokens.admin, body });
      expect(
        res.status,
        `${method} ${url()} ${JSON.stringify(body)} → ${JSON.stringify(res.json)}`,
      ).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    for (const query of ['requesterId', 'bookingId', 'groupId', 'assigneeId']) {
      const res = await t.request('GET', `/api/v1/tickets?${query}=${huge}`, { token: t.tokens.admin });
      expect(res.status, `${query}: ${JSON.stringify(res.json)}`).toBeLessThan(500);
    }
    for (const query of ['travelerId', 'tourId']) {
      const res = await t.request('GET', `/api/v1/bookings?${query}=${huge}`, { token: t.tokens.admin });
      expect(res.status, `${query}: ${JSON.stringify(res.json)}`).toBeLessThan(500);
    }
    const tours = await t.request('GET', `/api/v1/tours?organizerId=${huge}`, { token: t.tokens.admin });
    expect(tours.status).toBeLessThan(500);
  });
});

describe('routes', () => {
  it('answers 404 NOT_FOUND for an unknown route, signed in or not', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nope'],
      ['POST', '/api/v1/tickets/1/nope'],
      ['DELETE', `/api/v1/tickets/${ticketId}`],
      ['GET', '/api/v2/tickets'],
    ]) {
      expectError(await t.request(method, url, { token: t.tokens.admin }), 'NOT_FOUND');
      expect((await t.request(method, url)).status).toBe(404);
    }
  });
});

describe('random bodies never break the server', () => {
  const anyValue = fc.oneof(
    fc.jsonValue(),
    fc.integer(),
    fc.constantFrom(0, -1, 1.5, 2 ** 31, 99_999_999_999, Number.MAX_SAFE_INTEGER, '', ' ', '1', 'null'),
    fc.string({ maxLength: 30 }),
  );
  /** Objects shaped like the real requests, with any value in any field, plus wholly random JSON. */
  const ticketLike = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        subject: anyValue,
        requester: fc.oneof(
          anyValue,
          fc.record({ id: anyValue }),
          fc.record({
            identity: fc.record({ channel: anyValue, value: anyValue }),
            name: anyValue,
            kind: anyValue,
          }),
        ),
        channel: anyValue,
        status: anyValue,
        priority: anyValue,
        category: anyValue,
        tags: fc.oneof(anyValue, fc.array(anyValue, { maxLength: 3 })),
        assigneeId: anyValue,
        groupId: anyValue,
        bookingId: anyValue,
        requesterId: anyValue,
        isSpam: anyValue,
        customFields: fc.oneof(
          anyValue,
          fc.dictionary(fc.string({ maxLength: 5 }), anyValue, { maxKeys: 3 }),
        ),
        message: fc.oneof(anyValue, fc.record({ text: anyValue, html: anyValue, author: anyValue })),
      },
      { requiredKeys: [] },
    ),
  );

  it('POST /tickets and PATCH /tickets/{id} answer < 500 for any JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(ticketLike, fc.boolean(), async (body, patch) => {
        const res = patch
          ? await t.request('PATCH', `/api/v1/tickets/${ticketId}`, { token: t.tokens.agent, body })
          : await t.request('POST', '/api/v1/tickets', { token: t.tokens.agent, body });
        if (res.status >= 500)
          throw new Error(`${res.status} for ${JSON.stringify(body)}: ${JSON.stringify(res.json)}`);
        if (res.status >= 400) ZErrorBody.parse(res.json);
      }),
      { numRuns: 150 },
    );
  });
});
