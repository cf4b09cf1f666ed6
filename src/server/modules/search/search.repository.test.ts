import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TTestApp } from '../../../../test/app.ts';
import { searchRepository } from './search.repository.ts';

/**
 * The newest-rows-first pass (docs/decisions/0003): with a window of 4 rows, a word common in
 * the newest rows is ranked there only; a word the window misses is found in older rows.
 */
let t: TTestApp;
const ids: number[] = [];

beforeAll(async () => {
  t = await createTestApp();
  // Oldest first: two old tickets that say Baikal three times (they outrank any newer one),
  // three about Altai, then six new ones about Baikal.
  const subjects = [
    'Байкал, Байкал и снова Байкал',
    'Байкал, Байкал и снова Байкал!',
    'Алтай: перенос даты',
    'Алтай: возврат',
    'Алтай: документы',
    ...Array.from({ length: 6 }, (_, i) => `Байкал: вопрос ${i + 1}`),
  ];
  for (const subject of subjects) {
    const res = await t.request('POST', '/api/v1/tickets', {
      token: t.tokens.agent,
      body: {
        subject,
        requester: { identity: { channel: 'email', value: `window.${ids.length}@search.test` } },
        message: { text: `${subject} — текст письма`, author: 'contact' },
      },
    });
    expect(res.status).toBe(201);
    ids.push((res.json as { id: number }).id);
  }
});
afterAll(async () => t?.close());

describe('search: newest rows first', () => {
  it('ranks a word that fills the window among the newest rows only', async () => {
    // Without the window the two old, higher-ranked tickets would come first.
    const everything = await searchRepository.tickets(t.database.db, 'Байкал', 3, true, 1000);
    expect(new Set(everything.slice(0, 2).map((r) => r.id))).toEqual(new Set([ids[0], ids[1]]));

    const tickets = await searchRepository.tickets(t.database.db, 'Байкал', 3, true, 4);
    expect(tickets).toHaveLength(3);
    const newest4 = ids.slice(-4);
    for (const row of tickets) expect(newest4).toContain(row.id);

    const messages = await searchRepository.messages(t.database.db, 'Байкал', 2, true, 4);
    expect(messages).toHaveLength(2);
  });

  it('widens to every row when the window has fewer hits than asked', async () => {
    const tickets = await searchRepository.tickets(t.database.db, 'Алтай', 3, true, 4);
    expect(tickets.map((r) => r.id).sort((a, b) => a - b)).toEqual(ids.slice(2, 5));

    // The window holds four Baikal tickets: asking for five ranks all eight, old ones first.
    const five = await searchRepository.tickets(t.database.db, 'Байкал', 5, true, 4);
    expect(five).toHaveLength(5);
    expect(new Set(five.slice(0, 2).map((r) => r.id))).toEqual(new Set([ids[0], ids[1]]));
    const messages = await searchRepository.messages(t.database.db, 'Алтай', 3, true, 4);
    expect(messages).toHaveLength(3);
  });
});
