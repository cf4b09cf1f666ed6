import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ZContact } from '../../src/shared/schemas/contacts.ts';
import { ZMessage, ZSearchResponse, ZTicketDetail } from '../../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from '../app.ts';

type THit = z.infer<typeof ZSearchResponse>['items'][number];

let t: TTestApp;
let seq = 0;
const uniqueEmail = (name: string) => `${name}.${++seq}@search.test`;

const createTicket = async (subject: string, text?: string) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    token: t.tokens.agent,
    body: {
      subject,
      requester: { identity: { channel: 'email', value: uniqueEmail('traveler') } },
      ...(text ? { message: { text } } : {}),
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZTicketDetail);
};
const postMessage = async (ticketId: number, body: { text: string; kind?: 'reply' | 'note' }) => {
  const res = await t.request('POST', `/api/v1/tickets/${ticketId}/messages`, {
    token: t.tokens.agent,
    body,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZMessage);
};

const search = async (query: string, token = t.tokens.agent) => {
  const res = await t.request('GET', `/api/v1/search?${query}`, { token });
  expect(res.status, `${query} ${JSON.stringify(res.json)}`).toBe(200);
  return res.parse(ZSearchResponse);
};
const find = (q: string, extra = '') => search(`q=${encodeURIComponent(q)}${extra}`);
/** Hits as "type:id" in the order served. */
const keysOf = (items: THit[]) => items.map((h) => `${h.type}:${h.id}`);

// Every test file gets its own database, so these are the only tickets, messages and contacts there are.
let baikal: z.infer<typeof ZTicketDetail>;
let payment: z.infer<typeof ZTicketDetail>;
let paymentMessage: z.infer<typeof ZMessage>;
let karelia: z.infer<typeof ZTicketDetail>;
let kareliaMessage: z.infer<typeof ZMessage>;
let english: z.infer<typeof ZTicketDetail>;
let englishMessage: z.infer<typeof ZMessage>;

beforeAll(async () => {
  t = await createTestApp();
  baikal = await createTicket('Отмена тура на Байкал');
  payment = await createTicket('Вопрос по оплате');
  paymentMessage = await postMessage(payment.id, {
    text:
      'Добрый день. Хотим уточнить детали поездки на Байкал в июле, сколько стоит проживание, ' +
      'нужна ли палатка и спальник, а также возможна ли отмена без штрафа.',
  });
  karelia = await createTicket('Вопрос по бронированию');
  kareliaMessage = await postMessage(karelia.id, { text: 'Отмена тура по Карелии: верните деньги' });
  english = await createTicket('Question about my trip');
  englishMessage = await postMessage(english.id, { text: 'Hello, I need to cancel booking 5521 please' });
});
afterAll(async () => t?.close());

describe('GET /api/v1/search', () => {
  it('finds a Russian message by other forms of its words', async () => {
    const res = await find('отменили тур в Карелию');
    expect(res.query).toBe('отменили тур в Карелию');
    expect(keysOf(res.items)).toEqual([`message:${kareliaMessage.id}`]);
    expect(res.items[0]).toMatchObject({
      type: 'message',
      ticketId: karelia.id,
      title: 'Вопрос по бронированию',
      updatedAt: kareliaMessage.createdAt,
    });
    // The headline parses with the Russian dictionary only: "Отмена" (stem "отм") matched through its
    // plain form, so it is found but not marked; the stems that agree are.
    expect(res.items[0].snippet).toBe('Отмена <mark>тура</mark> по <mark>Карелии</mark>: верните');
    expect(res.items[0].rank).toBeGreaterThan(0);
  });

  it('finds an English message by other forms of its words', async () => {
    const res = await find('cancelled bookings');
    expect(keysOf(res.items)).toEqual([`message:${englishMessage.id}`]);
    expect(res.items[0]).toMatchObject({ ticketId: english.id, title: 'Question about my trip' });
    expect(res.items[0].snippet).toBe(
      'Hello, I need to <mark>cancel</mark> <mark>booking</mark> 5521 please',
    );
  });

  it('finds ticket subjects and ranks a close subject match above a scattered message match', async () => {
    const res = await find('отмена Байкал');
    expect(keysOf(res.items)).toEqual([`ticket:${baikal.id}`, `message:${paymentMessage.id}`]);
    const [subject, message] = res.items;
    expect(subject).toMatchObject({
      type: 'ticket',
      id: baikal.id,
      ticketId: baikal.id,
      title: 'Отмена тура на Байкал',
    });
    expect(subject.snippet).toBe('<mark>Отмена</mark> тура на <mark>Байкал</mark>');
    expect(message).toMatchObject({ ticketId: payment.id, title: 'Вопрос по оплате' });
    expect(subject.rank).toBeGreaterThan(message.rank);
    expect(message.snippet).toContain('<mark>Байкал</mark>');
  });

  it('falls back to any of the words only when no document has them all', async () => {
    const all = await find('Байкал июль');
    expect(keysOf(all.items)).toEqual([`message:${paymentMessage.id}`]);
    const any = await find('Байкал зебра');
    expect(keysOf(any.items).sort()).toEqual([`message:${paymentMessage.id}`, `ticket:${baikal.id}`].sort());
    expect((await find('зебра жираф')).items).toEqual([]);
  });

  it('finds contacts by name and by the start of an email or phone', async () => {
    const res = await t.request('POST', '/api/v1/contacts', {
      token: t.tokens.agent,
      body: {
        kind: 'traveler',
        name: 'Зинаида Пчёлкина',
        email: 'zina.bee@search.test',
        phone: '+79035550011',
      },
    });
    expect(res.status).toBe(201);
    const zina = res.parse(ZContact);
    const expected = {
      type: 'contact',
      id: zina.id,
      ticketId: null,
      title: 'Зинаида Пчёлкина',
      snippet: 'zina.bee@search.test, +79035550011',
    };
    expect((await find('Пчёлкина')).items).toEqual([expect.objectContaining(expected)]);
    expect((await find('zina.bee')).items).toEqual([expect.objectContaining(expected)]);
    expect((await find('+7903555')).items).toEqual([expect.objectContaining(expected)]);
    expect((await find('зинаида', '&type=ticket')).items).toEqual([]);
  });

  it('escapes markup in highlights and marks only the matches', async () => {
    const ticket = await createTicket('Ошибка: сумма < 100 & "скидка" > 0');
    const res = await find('ошибка', '&type=ticket');
    expect(keysOf(res.items)).toEqual([`ticket:${ticket.id}`]);
    expect(res.items[0].title).toBe('Ошибка: сумма < 100 & "скидка" > 0');
    const { snippet } = res.items[0];
    expect(snippet.startsWith('<mark>Ошибка</mark>: сумма &lt; 100 &amp; &quot;скидка')).toBe(true);
    expect(snippet.replaceAll('<mark>', '').replaceAll('</mark>', '')).not.toMatch(/[<>"]/);

    // The headline parser drops what looks like a tag; whatever is left never comes back as markup.
    const tagged = await createTicket('Сбой <script>alert(1)</script> при возврате');
    const [hit] = (await find('сбой', '&type=ticket')).items;
    expect(hit.id).toBe(tagged.id);
    expect(hit.snippet).not.toContain('<script');
    expect(hit.snippet.replaceAll('<mark>', '').replaceAll('</mark>', '')).not.toMatch(/[<>]/);
    expect(hit.snippet).toMatch(/^<mark>Сбой<\/mark> .*alert\(1\).* при возврате$/);
  });

  it('shows internal notes to staff, who are the only ones allowed to search', async () => {
    const note = await postMessage(payment.id, {
      kind: 'note',
      text: 'Клиент просил скидку, пароль Громовержец',
    });
    expect(note.kind).toBe('note');
    const res = await find('громовержец');
    expect(keysOf(res.items)).toEqual([`message:${note.id}`]);
    expect(res.items[0].snippet).toContain('<mark>Громовержец</mark>');
    for (const role of ['admin', 'supervisor'] as const) {
      const seen = await search(`q=${encodeURIComponent('Громовержец')}`, t.tokens[role]);
      expect(keysOf(seen.items), role).toEqual([`message:${note.id}`]);
    }
  });

  it('leaves merged tickets out and follows their messages to the ticket they were merged into', async () => {
    const source = await createTicket('Дубликат про Эльбрус', 'Восхождение на Эльбрус перенесли');
    const target = await createTicket('Эльбрус: основной тикет');
    const before = await find('Эльбрус', '&type=ticket');
    expect(keysOf(before.items).sort()).toEqual([`ticket:${source.id}`, `ticket:${target.id}`].sort());

    const merged = await t.request('POST', `/api/v1/tickets/${source.id}/merge`, {
      token: t.tokens.agent,
      body: { targetId: target.id },
    });
    expect(merged.status, JSON.stringify(merged.json)).toBe(200);

    expect(keysOf((await find('Эльбрус', '&type=ticket')).items)).toEqual([`ticket:${target.id}`]);
    const messages = (await find('восхождение', '&type=message')).items;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ticketId: target.id, title: 'Эльбрус: основной тикет' });
  });

  it('filters by type and honours the limit', async () => {
    const all = await find('Байкал');
    expect(all.items.map((h) => h.type).sort()).toEqual(['message', 'ticket']);
    expect(keysOf((await find('Байкал', '&type=message')).items)).toEqual([`message:${paymentMessage.id}`]);
    const one = await find('Байкал', '&limit=1');
    expect(one.items).toHaveLength(1);
    expect(keysOf(one.items)).toEqual(keysOf(all.items).slice(0, 1));
  });

  it('answers an empty list, not an error, for a query of stop words or punctuation', async () => {
    for (const q of ['в на и', '%', '!!!', "'", 'в & на | !и:*', 'the and or']) {
      const res = await t.request('GET', `/api/v1/search?q=${encodeURIComponent(q)}`, {
        token: t.tokens.agent,
      });
      expect(res.status, q).toBe(200);
      expect(res.parse(ZSearchResponse).items, q).toEqual([]);
    }
  });

  it('answers 400 with the field path for bad input', async () => {
    for (const [query, path] of [
      ['q=', 'q'],
      ['q=%20%20%20', 'q'],
      ['', 'q'],
      [`q=${'x'.repeat(301)}`, 'q'],
      ['q=tour&limit=0', 'limit'],
      ['q=tour&limit=51', 'limit'],
      ['q=tour&type=user', 'type'],
    ] as const) {
      const res = await t.request('GET', `/api/v1/search?${query}`, { token: t.tokens.agent });
      expect(res.status, query).toBe(400);
      expect(res.errorCode, query).toBe('VALIDATION_FAILED');
      expect(
        (res.json as { error: { details: { path: string }[] } }).error.details.map((d) => d.path),
        query,
      ).toContain(path);
    }
  });

  it('is for staff: 401 without a token, 403 for a department member and an integration', async () => {
    const anonymous = await t.request('GET', '/api/v1/search?q=Байкал');
    expect(anonymous.status).toBe(401);
    expect(anonymous.errorCode).toBe('UNAUTHENTICATED');
    for (const role of ['department_member', 'integration'] as const) {
      const res = await t.request('GET', `/api/v1/search?q=${encodeURIComponent('Байкал')}`, {
        token: t.tokens[role],
      });
      expect(res.status, role).toBe(403);
      expect(res.errorCode, role).toBe('FORBIDDEN');
    }
  });
});
