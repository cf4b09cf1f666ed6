import { describe, expect, it } from 'vitest';
import {
  autoAckText,
  composeBodies,
  domainOf,
  newMessageId,
  replySubject,
  threadHeaders,
} from './compose.ts';

describe('replySubject', () => {
  it('adds one "Re:" and the ticket number once, at the end', () => {
    expect(replySubject('Перенос тура', 42)).toBe('Re: Перенос тура [#42]');
    expect(replySubject('Re: Перенос тура', 42)).toBe('Re: Перенос тура [#42]');
    expect(replySubject('RE: Перенос тура [#42]', 42)).toBe('RE: Перенос тура [#42]');
    expect(replySubject('[#42] Перенос  тура [#42]', 42)).toBe('Re: Перенос тура [#42]');
    expect(replySubject('Ответ: вопрос', 7)).toBe('Ответ: вопрос [#7]');
  });

  it('keeps another ticket’s number, drops line breaks, and survives an empty subject', () => {
    expect(replySubject('Про [#41]', 42)).toBe('Re: Про [#41] [#42]');
    expect(replySubject('a\r\nb', 1)).toBe('Re: a b [#1]');
    expect(replySubject('   ', 1)).toBe('Re: … [#1]');
  });
});

describe('threadHeaders', () => {
  const e = (direction: 'inbound' | 'outbound', id: string, references: string[] = []) => ({
    direction,
    message_id: `<${id}@x>`,
    references: references.map((r) => `<${r}@x>`),
  });

  it('is empty for a new conversation', () => {
    expect(threadHeaders([])).toEqual({ inReplyTo: null, references: [] });
  });

  it('answers the customer’s latest email: its References plus its Message-ID', () => {
    expect(
      threadHeaders([
        e('inbound', 'a'),
        e('outbound', 'b'),
        e('inbound', 'c', ['a', 'b']),
        e('outbound', 'd'),
      ]),
    ).toEqual({ inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>', '<c@x>'] });
  });

  it('without References on that email, takes the thread up to it; without inbound mail, the latest email', () => {
    expect(threadHeaders([e('inbound', 'a'), e('outbound', 'b'), e('inbound', 'c')])).toEqual({
      inReplyTo: '<c@x>',
      references: ['<a@x>', '<b@x>', '<c@x>'],
    });
    expect(threadHeaders([e('outbound', 'a'), e('outbound', 'b')])).toEqual({
      inReplyTo: '<b@x>',
      references: ['<a@x>', '<b@x>'],
    });
  });

  it('keeps the first and the 19 newest of a long chain, drops duplicates and malformed ids', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `r${i}`);
    const { references } = threadHeaders([e('inbound', 'last', [...ids, 'r3'])]);
    expect(references).toHaveLength(20);
    expect(references[0]).toBe('<r0@x>');
    expect(references.at(-1)).toBe('<last@x>');
    expect(references[1]).toBe('<r12@x>');
    expect(
      threadHeaders([{ direction: 'inbound', message_id: '<ok@x>', references: ['bad id', '<a@x>'] }])
        .references,
    ).toEqual(['<a@x>', '<ok@x>']);
  });
});

describe('composeBodies', () => {
  const quoted = {
    authorName: 'Ирина',
    at: new Date('2026-11-25T07:05:00Z'),
    text: 'Первая строка\n\nвторая',
    html: null,
  };

  it('text: message, "-- " signature, then the customer’s message quoted with ">"', () => {
    const { text } = composeBodies({
      text: 'Ответ',
      html: null,
      signature: 'Команда\nподдержки',
      quoted,
      locale: 'ru',
      timeZone: 'Europe/Moscow',
    });
    expect(text).toBe(
      'Ответ\n\n-- \nКоманда\nподдержки\n\n25 нояб. 2026 г., 10:05, Ирина написал(а):\n> Первая строка\n>\n> вторая\n',
    );
  });

  it('html: the message, the escaped signature and a blockquote; English quote line in English', () => {
    const { html } = composeBodies({
      text: 'x',
      html: '<p>Ответ</p>',
      signature: '<b>Не тег</b>',
      quoted: { ...quoted, html: '<p>Вопрос</p>' },
      locale: 'en',
      timeZone: 'UTC',
    });
    expect(html).toContain('<div class="td-reply"><p>Ответ</p></div>');
    expect(html).toContain('-- <br>&lt;b&gt;Не тег&lt;/b&gt;');
    expect(html).toMatch(/On Nov 25, 2026, 7:05\sAM, Ирина wrote:/);
    expect(html).toMatch(/<blockquote type="cite"[^>]*><p>Вопрос<\/p><\/blockquote>/);
  });

  it('leaves out what is not there: no signature separator, no quote', () => {
    const bodies = composeBodies({
      text: 'Только ответ',
      html: null,
      signature: '  ',
      quoted: null,
      locale: 'ru',
      timeZone: 'UTC',
    });
    expect(bodies.text).toBe('Только ответ\n');
    expect(bodies.html).not.toContain('blockquote');
    expect(bodies.html).not.toContain('td-signature');
    expect(bodies.html).toContain('<p>Только ответ</p>');
  });
});

describe('ids and texts', () => {
  it('makes Message-IDs at the mailbox domain and auto-acknowledgements in the workspace language', () => {
    expect(domainOf('Support@Tours.Example')).toBe('tours.example');
    expect(newMessageId('tours.example')).toMatch(/^<[0-9a-f-]{36}@tours\.example>$/);
    expect(newMessageId('a.example')).not.toBe(newMessageId('a.example'));
    expect(autoAckText('ru', 12)).toContain('Номер обращения — 12');
    expect(autoAckText('en', 12)).toContain('ticket number is 12');
  });
});
