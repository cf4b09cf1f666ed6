import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_SORTS, type TTicketSort } from '../../src/shared/enums.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { type TTicket, ZTicket, ZTicketDetail } from '../../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from '../app.ts';

// One second per reading, unless frozen: frozen writes share a timestamp, so only the id breaks ties.
const real = new Date();
let now = Date.UTC(real.getUTCFullYear(), real.getUTCMonth(), real.getUTCDate(), 6);
let frozen = false;
const clock = () => {
  if (!frozen) now += 1000;
  return new Date(now);
};

const ZTicketPage = ZPage(ZTicket);
const RANK = { urgent: 3, high: 2, normal: 1, low: 0 } as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

let t: TTestApp;
let seq = 0;

const createTicket = async (body: Record<string, unknown>) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    token: t.tokens.agent,
    body: {
      subject: `Sort ticket ${++seq}`,
      requester: { identity: { channel: 'email', value: `sort.${seq}@sort.test` } },
      ...body,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZTicketDetail).id;
};

const page = (query: string) => t.request('GET', `/api/v1/tickets?${query}`, { token: t.tokens.agent });

/** Every ticket of a sort, `limit` at a time, following cursors; each page is checked on the way. */
const walk = async (sort: TTicketSort | undefined, limit: number, filter = '') => {
  const items: TTicket[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const query = [
      `limit=${limit}`,
      sort && `sort=${sort}`,
      filter,
      cursor && `cursor=${encodeURIComponent(cursor)}`,
    ]
      .filter(Boolean)
      .join('&');
    const res = await page(query);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const body = res.parse(ZTicketPage);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('too many pages');
};

const byKey =
  (key: (x: TTicket) => (string | number)[], direction: 1 | -1) =>
  (a: TTicket, b: TTicket): number => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -direction : direction;
    return 0;
  };

const EXPECTED_ORDER: Record<TTicketSort, (a: TTicket, b: TTicket) => number> = {
  updated_desc: byKey((x) => [x.updatedAt, x.id], -1),
  updated_asc: byKey((x) => [x.updatedAt, x.id], 1),
  created_desc: byKey((x) => [x.createdAt, x.id], -1),
  created_asc: byKey((x) => [x.createdAt, x.id], 1),
  priority_desc: byKey((x) => [RANK[x.priority], x.updatedAt, x.id], -1),
};

let all: TTicket[];

beforeAll(async () => {
  t = await createTestApp({ clock });
  const ids: number[] = [];
  for (let i = 0; i < 14; i++) ids.push(await createTicket({ priority: PRIORITIES[i % 4] }));
  // Five tickets born in the same second, with the same priority: only ids order them.
  frozen = true;
  for (let i = 0; i < 5; i++)
    ids.push(await createTicket({ priority: 'high', status: i % 2 ? 'open' : 'new' }));
  frozen = false;
  // Activity in another order than creation, two of them touched in the same second.
  for (const id of [ids[3], ids[0], ids[10]]) {
    const res = await t.request('PATCH', `/api/v1/tickets/${id}`, {
      token: t.tokens.agent,
      body: { category: `touched-${id}` },
    });
    expect(res.status).toBe(200);
  }
  frozen = true;
  for (const id of [ids[7], ids[12]]) {
    await t.request('PATCH', `/api/v1/tickets/${id}`, {
      token: t.tokens.agent,
      body: { tags: ['same-second'] },
    });
  }
  frozen = false;
  await t.request('PATCH', `/api/v1/tickets/${ids[1]}`, {
    token: t.tokens.agent,
    body: { status: 'solved' },
  });
  all = await walk(undefined, 200);
  expect(all).toHaveLength(19);
});
afterAll(async () => t?.close());

describe('ticket list sort orders', () => {
  it('default to newest activity first, as before', async () => {
    expect(all.map((x) => x.id)).toEqual([...all].sort(EXPECTED_ORDER.updated_desc).map((x) => x.id));
    expect((await walk('updated_desc', 200)).map((x) => x.id)).toEqual(all.map((x) => x.id));
  });

  for (const sort of TICKET_SORTS) {
    it(`${sort}: pages of 1, 4 and 7 cover every ticket once, in order`, async () => {
      const expected = [...all].sort(EXPECTED_ORDER[sort]).map((x) => x.id);
      for (const limit of [1, 4, 7]) {
        const ids = (await walk(sort, limit)).map((x) => x.id);
        expect(new Set(ids).size, `duplicates at limit ${limit}`).toBe(ids.length);
        expect(ids, `limit ${limit}`).toEqual(expected);
      }
    });
  }

  it('priority_desc puts urgent first, then newest activity, and keeps filters', async () => {
    const items = await walk('priority_desc', 3, 'status=new,open');
    expect(items.map((x) => x.priority)).toEqual(
      [...items].sort((a, b) => RANK[b.priority] - RANK[a.priority]).map((x) => x.priority),
    );
    expect(items[0].priority).toBe('urgent');
    expect(items.every((x) => x.status === 'new' || x.status === 'open')).toBe(true);
    expect(items.some((x) => x.status === 'solved')).toBe(false);
  });

  it('refuses a cursor from another sort, or from before sorts existed, with 400 on cursor', async () => {
    const first = (await page('limit=2&sort=created_asc')).parse(ZTicketPage);
    expect(first.nextCursor).not.toBeNull();
    const cursor = encodeURIComponent(first.nextCursor!);
    for (const sort of TICKET_SORTS.filter((s) => s !== 'created_asc')) {
      const res = await page(`limit=2&sort=${sort}&cursor=${cursor}`);
      expect(res.status, sort).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.json)).toContain('cursor');
    }
    const defaultSort = await page(`limit=2&cursor=${cursor}`);
    expect(defaultSort.status).toBe(400);
    expect((await page(`limit=2&sort=created_asc&cursor=${cursor}`)).status).toBe(200);

    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const at = all[0].updatedAt;
    for (const [sort, bad] of [
      ['updated_desc', encode([at, all[0].id])], // the untagged shape of earlier cursors
      ['updated_desc', encode(['updated_desc', at])],
      ['updated_desc', encode([42, at, 1])],
      ['priority_desc', encode(['priority_desc', 9999, at, 1])],
      ['priority_desc', encode(['priority_desc', 'urgent', at, 1])],
      ['created_asc', encode(['created_asc', 'yesterday', 1])],
    ]) {
      const res = await page(`sort=${sort}&cursor=${bad}`);
      expect(res.status, Buffer.from(bad, 'base64url').toString()).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
    }
  });

  it('keeps rows apart that differ below the millisecond (rows written with now())', async () => {
    // Same millisecond, microseconds rising as ids fall: a cursor cut to milliseconds would skip rows.
    await sql`UPDATE tickets SET updated_at = date_trunc('second', now()) + (1000 - id) * interval '1 microsecond',
      created_at = date_trunc('second', now()) + (1000 - id) * interval '1 microsecond'`.execute(
      t.database.db,
    );
    for (const sort of TICKET_SORTS) {
      const whole = (await walk(sort, 200)).map((x) => x.id);
      const paged = (await walk(sort, 2)).map((x) => x.id);
      expect(paged, sort).toEqual(whole);
      expect(new Set(paged).size).toBe(19);
    }
  });

  it('refuses an unknown sort with 400 naming sort', async () => {
    const res = await page('sort=random');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('sort');
  });
});
