import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, markedTerms, markTerms, snippetRepeatsTitle, splitSnippet } from './snippet.ts';

describe('splitSnippet', () => {
  it('splits marked matches from plain text', () => {
    expect(splitSnippet('Когда придёт <mark>возврат</mark> по брони')).toEqual([
      { text: 'Когда придёт ', mark: false },
      { text: 'возврат', mark: true },
      { text: ' по брони', mark: false },
    ]);
  });

  it('handles several marks, marks at the edges, and no marks', () => {
    expect(splitSnippet('<mark>a</mark> b <mark>c</mark>')).toEqual([
      { text: 'a', mark: true },
      { text: ' b ', mark: false },
      { text: 'c', mark: true },
    ]);
    expect(splitSnippet('plain')).toEqual([{ text: 'plain', mark: false }]);
    expect(splitSnippet('')).toEqual([]);
  });

  it('decodes the escaped text and never turns it into markup', () => {
    expect(splitSnippet('&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>O&#39;Neil</mark>')).toEqual([
      { text: '<script>alert(1)</script> & ', mark: false },
      { text: "O'Neil", mark: true },
    ]);
    // An escaped mark tag in the text is text, not a highlight.
    expect(splitSnippet('&lt;mark&gt;x&lt;/mark&gt;')).toEqual([{ text: '<mark>x</mark>', mark: false }]);
  });

  it('survives broken markup: unclosed, stray and empty marks', () => {
    expect(splitSnippet('a <mark>b')).toEqual([
      { text: 'a ', mark: false },
      { text: 'b', mark: true },
    ]);
    expect(splitSnippet('a</mark> b')).toEqual([{ text: 'a b', mark: false }]);
    expect(splitSnippet('a<mark></mark>b')).toEqual([{ text: 'ab', mark: false }]);
  });

  it('keeps every character of the text (property)', () => {
    const escapeHtml = (s: string) =>
      s.replace(
        /[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
      );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.boolean())), (pieces) => {
        const snippet = pieces
          .map(([s, m]) => (m ? `<mark>${escapeHtml(s)}</mark>` : escapeHtml(s)))
          .join('');
        const parts = splitSnippet(snippet);
        expect(parts.map((p) => p.text).join('')).toBe(pieces.map(([s]) => s).join(''));
        expect(
          parts
            .filter((p) => p.mark)
            .map((p) => p.text)
            .join(''),
        ).toBe(
          pieces
            .filter(([, m]) => m)
            .map(([s]) => s)
            .join(''),
        );
        for (let i = 1; i < parts.length; i++) expect(parts[i].mark).not.toBe(parts[i - 1].mark);
      }),
    );
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric entities and leaves unknown ones', () => {
    expect(decodeEntities('&quot;a&quot; &#8212; &#x41; &nbsp;')).toBe('"a" — A &nbsp;');
  });
});

describe('highlighting titles', () => {
  it('collects the marked words once, lower-cased', () => {
    expect(
      markedTerms(splitSnippet('<mark>Возврат</mark> и <mark>возврат</mark>, <mark>бронь</mark>')),
    ).toEqual(['возврат', 'бронь']);
  });

  it('marks every occurrence in a title, ignoring case', () => {
    expect(markTerms('Возврат денег: когда возврат?', ['возврат'])).toEqual([
      { text: 'Возврат', mark: true },
      { text: ' денег: когда ', mark: false },
      { text: 'возврат', mark: true },
      { text: '?', mark: false },
    ]);
    expect(markTerms('Оплата картой', ['оплат', 'оплата'])).toEqual([
      { text: 'Оплата', mark: true },
      { text: ' картой', mark: false },
    ]);
    expect(markTerms('Без совпадений', ['возврат'])).toEqual([{ text: 'Без совпадений', mark: false }]);
    expect(markTerms('Текст', [])).toEqual([{ text: 'Текст', mark: false }]);
  });

  it('tells when a snippet only repeats the title', () => {
    const title = 'Когда придёт возврат по брони TD-240044?';
    expect(snippetRepeatsTitle(splitSnippet('Когда придёт <mark>возврат</mark> по брони'), title)).toBe(true);
    expect(snippetRepeatsTitle(splitSnippet('Прошло 12 дней, <mark>возврата</mark> нет'), title)).toBe(false);
  });
});
