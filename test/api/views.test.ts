import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZGroup, ZMe } from '../../src/shared/schemas/auth.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { type TTicketFilters, ZTicket, ZTicketDetail } from '../../src/shared/schemas/tickets.ts';
import { ZView, ZViewList } from '../../src/shared/schemas/views.ts';
import { createTestApp, PASSWORD, type TTestApp } from '../app.ts';

// One second per reading, starting at 06:00 UTC today; `travel` moves the clock for back-dated solves.
const real = new Date();
let now = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate(), 6);
const clock = () => {
  now += 1000;
  return new Date(now);
};
const DAY = 86_400_000;
const travel = async <T>(offsetMs: number, work: () => Promise<T>): Promise<T> => {
  now += offsetMs;
  try {
    return await work();
  } finally {
    now -= offsetMs;
  }
};

let t: TTestApp;
type THeaders = Record<string, string>;
let agent: THeaders;
let supervisor: THeaders;
let department: THeaders;
let otherAgent: THeaders;
let groups: { refunds: number; partners: number };
let seq = 0;

/** Headers of a signed-in person: session and CSRF cookies plus the CSRF header for writes. */
const signIn = async (email: string): Promise<THeaders> => {
  const res = await t.request('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, 'x-csrf-token': res.parse(ZMe).csrfToken ?? '' };
};

const createTicket = async (body: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    token: t.tokens.agent,
    body: {
      subject: `Views ticket ${++seq}`,
      requester: { identity: { channel: 'email', value: `traveler.${seq}@views.test` } },
      ...body,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZTicketDetail).id;
};

const patch = async (id: number, body: Record<string, unknown>) => {
  const res = await t.request('PATCH', `/api/v1/tickets/${id}`, { token: t.tokens.agent, body });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
};

const views = async (headers: THeaders) => {
  const res = await t.request('GET', '/api/v1/views', { headers });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.parse(ZViewList).items;
};
const countsOf = (items: { id: string; count: number }[]) =>
  Object.fromEntries(items.map((v) => [v.id, v.count]));

/** A view's filters as the ticket list's query string, the way the web app sends them. */
const queryOf = (filters: TTicketFilters) =>
  Object.entries(filters)
    .map(([k, v]) => `${k}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`)
    .join('&');

const listIds = async (filters: TTicketFilters, headers: THeaders) => {
  const res = await t.request('GET', `/api/v1/tickets?limit=200&${queryOf(filters)}`, { headers });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res
    .parse(ZPage(ZTicket))
    .items.map((i) => i.id)
    .sort((a, b) => a - b);
};

const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp({ clock });
  const other = await t.services.users.create('system', {
    email: 'other-agent@test.local',
    name: 'Other agent',
    role: 'agent',
    password: PASSWORD,
  });
  [agent, supervisor, department, otherAgent] = await Promise.all([
    signIn(t.users.agent.email),
    signIn(t.users.supervisor.email),
    signIn(t.users.department_member.email),
    signIn(other.email),
  ]);
  const group = async (name: string) => {
    const res = await t.request('POST', '/api/v1/groups', { token: t.tokens.admin, body: { name } });
    expect(res.status).toBe(201);
    return res.parse(ZGroup).id;
  };
  groups = { refunds: await group('Refunds'), partners: await group('Partners') };

  const me = t.users.agent.id;
  const boss = t.users.supervisor.id;
  ids.mineNew = await createTicket({ assigneeId: me, groupId: groups.refunds });
  ids.mineOpen = await createTicket({ assigneeId: me, status: 'open' });
  ids.minePending = await createTicket({ assigneeId: me, status: 'pending' });
  ids.freeNew = await createTicket({ groupId: groups.refunds });
  ids.freeOnHold = await createTicket({ groupId: groups.partners, status: 'on_hold' });
  ids.bossOpen = await createTicket({ assigneeId: boss, groupId: groups.partners, status: 'open' });
  ids.solvedNow = await createTicket({
    assigneeId: me,
    status: 'open',
    priority: 'urgent',
    tags: ['refund'],
  });
  await patch(ids.solvedNow, { status: 'solved' });
  ids.solvedLongAgo = await travel(-10 * DAY, () => createTicket({ status: 'solved' }));
  ids.solvedThenClosed = await travel(-3 * DAY, async () => {
    const id = await createTicket({ status: 'open' });
    await patch(id, { status: 'solved' });
    await patch(id, { status: 'closed' });
    return id;
  });
  ids.spam = await createTicket({ groupId: groups.refunds });
  await patch(ids.spam, { isSpam: true });
  ids.merged = await createTicket({ assigneeId: me, groupId: groups.refunds });
  const merge = await t.request('POST', `/api/v1/tickets/${ids.merged}/merge`, {
    token: t.tokens.agent,
    body: { targetId: ids.mineOpen },
  });
  expect(merge.status).toBe(200);
});
afterAll(async () => t?.close());

describe('built-in views', () => {
  it('come in sidebar order with filters the ticket list understands', async () => {
    const items = await views(agent);
    expect(items.map((v) => v.id)).toEqual([
      'my-open',
      'unassigned',
      `group-${groups.refunds}`,
      `group-${groups.partners}`,
      'pending',
      'on-hold',
      'recently-solved',
      'all',
    ]);
    expect(items.every((v) => v.kind === 'builtin')).toBe(true);
    expect(items.find((v) => v.id === `group-${groups.partners}`)).toMatchObject({
      name: 'Partners',
      filters: { groupId: groups.partners, status: ['new', 'open', 'pending', 'on_hold'] },
    });
    expect(items[0].filters).toEqual({ assigneeId: 'me', status: ['new', 'open'] });
    expect(items.find((v) => v.id === 'recently-solved')?.filters).toEqual({ solvedWithinDays: 7 });
  });

  it('count the seeded tickets as worked out by hand (spam and merged tickets never count)', async () => {
    expect(countsOf(await views(agent))).toEqual({
      'my-open': 2, // mineNew, mineOpen
      unassigned: 2, // freeNew, freeOnHold
      [`group-${groups.refunds}`]: 2, // mineNew, freeNew
      [`group-${groups.partners}`]: 2, // freeOnHold, bossOpen
      pending: 1, // minePending
      'on-hold': 1, // freeOnHold
      'recently-solved': 2, // solvedNow, solvedThenClosed (3 days ago); not the one solved 10 days ago
      all: 6, // every unresolved live ticket
    });
    // "me" is whoever asks.
    expect(countsOf(await views(supervisor))['my-open']).toBe(1);
    expect(countsOf(await views(otherAgent))['my-open']).toBe(0);
  });

  it('each count is the number of tickets its filters list', async () => {
    for (const view of await views(agent)) {
      const listed = await listIds(view.filters, agent);
      expect(listed.length, view.id).toBe(view.count);
    }
    const byId = Object.fromEntries((await views(agent)).map((v) => [v.id, v.filters]));
    expect(await listIds(byId['recently-solved'], agent)).toEqual(
      [ids.solvedNow, ids.solvedThenClosed].sort((a, b) => a - b),
    );
    expect(await listIds(byId['my-open'], agent)).toEqual([ids.mineNew, ids.mineOpen].sort((a, b) => a - b));
  });

  it('follow changes at once: assigning a ticket moves it from unassigned to my-open', async () => {
    const before = countsOf(await views(agent));
    await patch(ids.freeNew, { assigneeId: t.users.agent.id });
    const after = countsOf(await views(agent));
    expect(after['my-open']).toBe(before['my-open'] + 1);
    expect(after.unassigned).toBe(before.unassigned - 1);
    expect(after.all).toBe(before.all);
    await patch(ids.freeNew, { assigneeId: null });
    expect(countsOf(await views(agent))).toEqual(before);
  });

  it('are empty for a department member, who sees no tickets', async () => {
    expect(await views(department)).toEqual([]);
  });
});

describe('saved views', () => {
  const save = (headers: THeaders, body: unknown) => t.request('POST', '/api/v1/views', { headers, body });

  it('are created with their count, listed after the built-in ones, in order', async () => {
    const urgent = await save(agent, {
      name: '  Urgent refunds ',
      filters: { priority: ['urgent'], tag: 'refund', status: 'solved' },
    });
    expect(urgent.status, JSON.stringify(urgent.json)).toBe(201);
    const view = urgent.parse(ZView);
    expect(view).toEqual({
      id: expect.stringMatching(/^\d+$/),
      kind: 'saved',
      name: 'Urgent refunds',
      filters: { priority: ['urgent'], tag: 'refund', status: ['solved'] },
      count: 1,
    });
    const mine = await save(agent, {
      name: 'My pending',
      filters: { assigneeId: 'me', status: ['pending'] },
    });
    expect(mine.status).toBe(201);
    const items = await views(agent);
    expect(items.slice(-2).map((v) => [v.name, v.kind, v.count])).toEqual([
      ['Urgent refunds', 'saved', 1],
      ['My pending', 'saved', 1],
    ]);
    // Personal: nobody else sees them.
    expect((await views(otherAgent)).filter((v) => v.kind === 'saved')).toEqual([]);
  });

  it('are renamed, refiltered and moved by their owner only', async () => {
    const a = (await save(agent, { name: 'A', filters: { status: ['new'] } })).parse(ZView);
    const b = (await save(agent, { name: 'B', filters: {} })).parse(ZView);
    const renamed = await t.request('PATCH', `/api/v1/views/${b.id}`, {
      headers: agent,
      body: { name: 'All live', filters: { groupId: 'none' }, position: 0 },
    });
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect(renamed.parse(ZView)).toMatchObject({ id: b.id, name: 'All live', filters: { groupId: 'none' } });
    const saved = (await views(agent)).filter((v) => v.kind === 'saved');
    expect(saved[0].id).toBe(b.id);
    expect(saved.map((v) => v.id)).toContain(a.id);
    // groupId=none: mineOpen, minePending, solvedNow, solvedLongAgo, solvedThenClosed.
    expect(saved[0].count).toBe(5);

    for (const headers of [otherAgent, supervisor]) {
      const res = await t.request('PATCH', `/api/v1/views/${a.id}`, { headers, body: { name: 'Mine now' } });
      expect(res.status).toBe(404);
      expect(res.errorCode).toBe('VIEW_NOT_FOUND');
      const del = await t.request('DELETE', `/api/v1/views/${a.id}`, { headers });
      expect(del.status).toBe(404);
    }
    expect((await views(agent)).find((v) => v.id === a.id)?.name).toBe('A');

    const gone = await t.request('DELETE', `/api/v1/views/${a.id}`, { headers: agent });
    expect(gone.status).toBe(204);
    expect((await views(agent)).some((v) => v.id === a.id)).toBe(false);
    const again = await t.request('DELETE', `/api/v1/views/${a.id}`, { headers: agent });
    expect(again.status).toBe(404);
  });

  it('refuse filters the ticket list would refuse, and a cursor or limit, with 400', async () => {
    for (const filters of [
      { status: ['bogus'] },
      { assigneeId: 'someone' },
      { solvedWithinDays: 0 },
      { cursor: 'abc' },
      { limit: 10 },
      { unknownFilter: 1 },
      'status=open',
    ]) {
      const res = await save(agent, { name: 'Bad', filters });
      expect(res.status, JSON.stringify(filters)).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
    }
    for (const body of [{ name: '', filters: {} }, { name: 'x'.repeat(101), filters: {} }, { filters: {} }]) {
      expect((await save(agent, body)).status).toBe(400);
    }
    const a = (await save(agent, { name: 'To patch', filters: {} })).parse(ZView);
    const bad = await t.request('PATCH', `/api/v1/views/${a.id}`, {
      headers: agent,
      body: { filters: { priority: ['highest'] } },
    });
    expect(bad.status).toBe(400);
  });

  it('built-in views cannot be changed: they are not saved views', async () => {
    for (const id of ['my-open', 'group-1', '0', '99999999999']) {
      const res = await t.request('PATCH', `/api/v1/views/${id}`, { headers: agent, body: { name: 'x' } });
      expect(res.status, id).toBe(404);
    }
  });

  it('are refused to API tokens (403), department members (403 for writes) and strangers (401)', async () => {
    for (const role of ['integration', 'agent', 'admin'] as const) {
      const list = await t.request('GET', '/api/v1/views', { token: t.tokens[role] });
      expect(list.status, role).toBe(403);
      const create = await t.request('POST', '/api/v1/views', {
        token: t.tokens[role],
        body: { name: 'x', filters: {} },
      });
      expect(create.status, role).toBe(403);
    }
    const byDepartment = await save(department, { name: 'Escalations', filters: {} });
    expect(byDepartment.status).toBe(403);
    expect(byDepartment.errorCode).toBe('FORBIDDEN');
    expect((await t.request('GET', '/api/v1/views')).status).toBe(401);
    // A session write still needs its CSRF header.
    const noCsrf = await t.request('POST', '/api/v1/views', {
      headers: { cookie: agent.cookie },
      body: { name: 'x', filters: {} },
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.errorCode).toBe('CSRF_FAILED');
  });

  it('are limited to 50 per person (422), so the inbox stays cheap to count', async () => {
    const person = await t.services.users.create('system', {
      email: 'collector@test.local',
      name: 'Collector',
      role: 'agent',
      password: PASSWORD,
    });
    const headers = await signIn(person.email);
    for (let i = 0; i < 50; i++)
      expect((await save(headers, { name: `V${i}`, filters: {} })).status).toBe(201);
    const over = await save(headers, { name: 'One more', filters: {} });
    expect(over.status).toBe(422);
    expect(over.errorCode).toBe('VIEW_LIMIT_REACHED');
  });
});
