import { describe, expect, it } from 'vitest';
import { isAttributionLine, splitQuoted, splitQuotedHtml, splitQuotedText } from './quoted-text.ts';

describe('isAttributionLine', () => {
  it.each([
    'On Mon, 3 Nov 2025 at 10:00, Ivan Petrov <ivan@example.com> wrote:',
    'On 03.11.2025 10:00, Ivan wrote:',
    'Ivan Petrov <ivan@example.com> wrote:',
    '3 нояб. 2025 г., в 10:00, Иван Петров написал(а):',
    '03.11.2025 10:00, Анна пишет:',
    'пн, 3 нояб. 2025 г. в 10:00, Иван Петров <ivan@example.com>:',
    '03.11.2025, 10:00, "Иван" <ivan@example.ru>:',
    '-----Original Message-----',
    '-------- Исходное сообщение --------',
  ])('recognises %s', (line) => {
    expect(isAttributionLine(line)).toBe(true);
  });

  it.each([
    'Клиент написал:',
    'As John wrote:',
    'Здравствуйте! Бронирование TD-240044 отменено.',
    'On the tour we wrote: nothing',
    '',
  ])('ignores %s', (line) => {
    expect(isAttributionLine(line)).toBe(false);
  });
});

describe('splitQuotedText', () => {
  it('folds `>` lines at the end', () => {
    const text = 'Thanks, that works.\n\n> Could you try again?\n> Anna';
    expect(splitQuotedText(text)).toEqual({
      visible: 'Thanks, that works.',
      quoted: '> Could you try again?\n> Anna',
    });
  });

  it('folds from an "On … wrote:" header, history below it included', () => {
    const text =
      'Yes, 3 people.\n\nOn Mon, 3 Nov 2025 at 10:00, Anna <anna@tourdesk.local> wrote:\nHow many people?\n';
    const { visible, quoted } = splitQuotedText(text);
    expect(visible).toBe('Yes, 3 people.');
    expect(quoted).toMatch(/^On Mon/);
    expect(quoted).toContain('How many people?');
  });

  it('folds from a Russian "написал(а):" header', () => {
    const text = 'Спасибо!\n3 нояб. 2025 г., в 10:00, Анна Соколова написал(а):\n> Возврат оформлен.';
    expect(splitQuotedText(text).visible).toBe('Спасибо!');
  });

  it('folds an Outlook From:/Sent: block', () => {
    const text =
      'Done.\n\nFrom: Anna <anna@x.ru>\nSent: Monday, 3 November 2025 10:00\nSubject: Refund\n\nOld text';
    expect(splitQuotedText(text).visible).toBe('Done.');
  });

  it('keeps inline replies: a quote followed by the writer’s own text', () => {
    const text = 'Hi,\n> When is the refund?\nIt was sent today.\n> And the bonus?\nStill there.';
    expect(splitQuotedText(text)).toEqual({ visible: text, quoted: null });
  });

  it('does not fold a message that is only a quote', () => {
    const text = '> forwarded words\n> more';
    expect(splitQuotedText(text).quoted).toBeNull();
  });

  it('leaves a message without history alone', () => {
    expect(splitQuotedText('Just a question.')).toEqual({ visible: 'Just a question.', quoted: null });
  });
});

describe('splitQuotedHtml', () => {
  it('folds a trailing <blockquote> with its attribution', () => {
    const html =
      '<div>Thanks!</div><div>On Mon, 3 Nov 2025 at 10:00, Anna &lt;anna@x.ru&gt; wrote:</div><blockquote><p>Old</p></blockquote>';
    const { visible, quoted } = splitQuotedHtml(html);
    expect(visible).toBe('<div>Thanks!</div>');
    expect(quoted).toBe(
      '<div>On Mon, 3 Nov 2025 at 10:00, Anna &lt;anna@x.ru&gt; wrote:</div><blockquote><p>Old</p></blockquote>',
    );
  });

  it('finds the history inside a wrapping <div> and keeps both halves well-formed', () => {
    const html =
      '<div><p>Yes, 3 people.</p><div><div>On 03.11.2025 10:00, Anna <a href="mailto:a@x.ru">a@x.ru</a> wrote:</div><blockquote>How many?</blockquote></div></div>';
    const { visible, quoted } = splitQuotedHtml(html);
    expect(visible).toBe('<div><p>Yes, 3 people.</p></div>');
    expect(quoted).toBe(
      '<div><div><div>On 03.11.2025 10:00, Anna <a href="mailto:a@x.ru">a@x.ru</a> wrote:</div><blockquote>How many?</blockquote></div></div>',
    );
  });

  it('folds `&gt;` lines of plain text turned into HTML (paragraphs and <br>)', () => {
    const html = '<p>Thanks</p><p>Anna &lt;a@x.ru&gt; wrote:<br>&gt; old line<br>&gt; another</p>';
    const { visible, quoted } = splitQuotedHtml(html);
    expect(visible).toBe('<p>Thanks</p>');
    expect(quoted).toBe('<p>Anna &lt;a@x.ru&gt; wrote:<br>&gt; old line<br>&gt; another</p>');
  });

  it('folds bare `&gt;` lines without a header', () => {
    const { visible, quoted } = splitQuotedHtml('<p>Ok<br>&gt; q1<br>&gt; q2</p>');
    expect(visible).toBe('<p>Ok<br></p>');
    expect(quoted).toBe('<p>&gt; q1<br>&gt; q2</p>');
  });

  it('keeps a blockquote the writer answers below (inline reply)', () => {
    const html = '<p>Hi</p><blockquote>When?</blockquote><p>Tomorrow.</p>';
    expect(splitQuotedHtml(html)).toEqual({ visible: html, quoted: null });
  });

  it('keeps a message that starts with a quote', () => {
    const html = '<blockquote>Forwarded</blockquote>';
    expect(splitQuotedHtml(html).quoted).toBeNull();
  });

  it('counts an image as content', () => {
    const html = '<p><img src="data:image/png;base64,AA==" alt="x"></p><blockquote>Old</blockquote>';
    expect(splitQuotedHtml(html).visible).toBe('<p><img src="data:image/png;base64,AA==" alt="x"></p>');
  });

  it('does not fold after a mid-note "Клиент написал:" without a date or address', () => {
    const html = '<p>Клиент написал:</p><p>Хочу вернуть деньги</p>';
    expect(splitQuotedHtml(html).quoted).toBeNull();
  });

  it('ignores `>` inside attributes and comments', () => {
    const html = '<p title="a > b">Text<!-- > c --></p><blockquote>q</blockquote>';
    expect(splitQuotedHtml(html).visible).toBe('<p title="a > b">Text<!-- > c --></p>');
  });

  it('handles nested blockquotes of a long thread', () => {
    const html =
      '<p>Latest</p><p>On 2 Nov 2025, B &lt;b@x&gt; wrote:</p><blockquote><p>Second</p><p>On 1 Nov 2025, A &lt;a@x&gt; wrote:</p><blockquote><p>First</p></blockquote></blockquote>';
    const { visible, quoted } = splitQuotedHtml(html);
    expect(visible).toBe('<p>Latest</p>');
    expect(quoted).toContain('First');
  });
});

describe('splitQuoted', () => {
  it('uses HTML when the message has it, else the text', () => {
    expect(splitQuoted({ html: '<p>a</p><blockquote>b</blockquote>', text: 'a' }).isHtml).toBe(true);
    expect(splitQuoted({ html: null, text: 'a\n> b' })).toEqual({
      visible: 'a',
      quoted: '> b',
      isHtml: false,
    });
  });
});
