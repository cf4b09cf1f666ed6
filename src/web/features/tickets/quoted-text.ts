/**
 * Finds where the quoted history of an email starts, so the timeline can fold it away.
 * Pure string work (no DOM): runs the same in the browser and in vitest.
 *
 * Quoted history is: `<blockquote>` in HTML, lines starting with `>`, and everything after an
 * attribution header ("On Mon, 3 Nov 2025, Ivan <ivan@x.ru> wrote:", "… написал(а):",
 * "-----Original Message-----", an Outlook "From:/Sent:" block). Nothing folds unless some
 * content comes before it, and a quote followed by the writer's own text (inline replies) stays.
 */
export type TQuoteSplit = { visible: string; quoted: string | null };

// An attribution names a date or an address: "Клиент написал:" in the middle of a note is not one.
const ATTRIBUTIONS = [
  /^on\s.{1,280}\swrote\s?:$/i,
  /^.{1,280}<[^<>\s]+@[^<>\s]+>\s+wrote\s?:$/i,
  /^.{1,280}\s(написал\(а\)|написала|написал|пишет)\s?:$/i,
  /^.{0,160}\d{1,2}[.:/]\d{2}.{0,160}<[^<>\s]+@[^<>\s]+>\s?:$/,
];
const SEPARATOR = /^-{2,}\s*(original message|исходное сообщение)\s*-{2,}$/i;
const OUTLOOK_FROM = /^(from|от|отправитель)\s?:\s?\S/i;
const OUTLOOK_NEXT = /^(sent|date|to|отправлено|дата|кому)\s?:/i;

const normalize = (line: string) => line.replace(/\s+/g, ' ').trim();

/** Whether one line is an attribution header ("On … wrote:", "… написал(а):", a separator). */
export const isAttributionLine = (line: string): boolean => {
  const s = normalize(line);
  if (s.length === 0 || s.length > 320) return false;
  if (SEPARATOR.test(s)) return true;
  return /[\d@]/.test(s) && ATTRIBUTIONS.some((re) => re.test(s));
};

/** Whether a quoted history starts at lines[i]: an attribution, or an Outlook From:/Sent: block. */
const isHeaderAt = (lines: readonly string[], i: number): boolean => {
  if (isAttributionLine(lines[i])) return true;
  if (!OUTLOOK_FROM.test(normalize(lines[i]))) return false;
  return lines.slice(i + 1, i + 4).some((l) => OUTLOOK_NEXT.test(normalize(l)));
};

const isQuoteLine = (line: string) => line.trimStart().startsWith('>');
const isBlank = (line: string) => line.trim().length === 0;

/** Splits plain text into what the writer wrote and the history quoted below it. */
export const splitQuotedText = (text: string): TQuoteSplit => {
  const lines = text.split(/\r?\n/);
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const quoteStarts =
      seenContent &&
      (isHeaderAt(lines, i) ||
        (isQuoteLine(line) &&
          lines.slice(i + 1).every((l, j) => isBlank(l) || isQuoteLine(l) || isHeaderAt(lines, i + 1 + j))));
    if (quoteStarts) {
      return { visible: lines.slice(0, i).join('\n').trimEnd(), quoted: lines.slice(i).join('\n') };
    }
    if (!isBlank(line) && !isQuoteLine(line)) seenContent = true;
  }
  return { visible: text, quoted: null };
};

// ---------------------------------------------------------------------------------------------
// HTML: a small tokenizer over sanitized (well-formed) markup.
// ---------------------------------------------------------------------------------------------

const VOID_TAGS = new Set(['br', 'img', 'hr', 'wbr', 'input', 'meta', 'link', 'area', 'col', 'source']);
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

type TNode =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'comment'; start: number; end: number }
  | { kind: 'void'; tag: string; start: number; end: number }
  | { kind: 'element'; tag: string; start: number; end: number; innerStart: number; innerEnd: number };

/** A block element, or a run of inline nodes between line breaks: what a reader sees as one line. */
type TSegment = {
  start: number;
  end: number;
  block: Extract<TNode, { kind: 'element' }> | null;
  text: string;
  hasMedia: boolean;
};

/** End of the tag that opens at `from` (index after `>`), skipping `>` inside quoted attributes. */
const tagEnd = (html: string, from: number): number => {
  let quote: string | null = null;
  for (let i = from + 1; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return html.length;
};

const tagNameAt = (html: string, at: number): string | null => {
  const m = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(at, at + 40));
  return m ? m[1].toLowerCase() : null;
};

/** Index of the `</tag>` closing the element whose content starts at `from`, or `to`. */
const closingTag = (html: string, tag: string, from: number, to: number): { start: number; end: number } => {
  const re = new RegExp(`<(/?)${tag}(?=[\\s>/])`, 'gi');
  re.lastIndex = from;
  let depth = 1;
  for (let m = re.exec(html); m && m.index < to; m = re.exec(html)) {
    if (m[1] === '/') {
      depth--;
      if (depth === 0) return { start: m.index, end: Math.min(tagEnd(html, m.index), to) };
    } else if (html[tagEnd(html, m.index) - 2] !== '/') depth++;
  }
  return { start: to, end: to };
};

/** The child nodes of html[from, to). */
const nodesOf = (html: string, from: number, to: number): TNode[] => {
  const nodes: TNode[] = [];
  let i = from;
  while (i < to) {
    if (html[i] !== '<') {
      const next = html.indexOf('<', i);
      const end = next === -1 || next > to ? to : next;
      nodes.push({ kind: 'text', start: i, end });
      i = end;
      continue;
    }
    if (html.startsWith('<!--', i)) {
      const close = html.indexOf('-->', i + 4);
      const end = close === -1 || close + 3 > to ? to : close + 3;
      nodes.push({ kind: 'comment', start: i, end });
      i = end;
      continue;
    }
    const tag = tagNameAt(html, i);
    const end = Math.min(tagEnd(html, i), to);
    if (!tag || html[i + 1] === '/' || html[i + 1] === '!') {
      // A stray closing tag or a doctype: nothing a reader sees.
      nodes.push({ kind: 'comment', start: i, end });
      i = end;
      continue;
    }
    if (VOID_TAGS.has(tag) || html[end - 2] === '/') {
      nodes.push({ kind: 'void', tag, start: i, end });
      i = end;
      continue;
    }
    const close = closingTag(html, tag, end, to);
    nodes.push({ kind: 'element', tag, start: i, end: close.end, innerStart: end, innerEnd: close.start });
    i = close.end;
  }
  return nodes;
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

/** What a reader sees of html[from, to), line breaks where blocks and `<br>` are. */
const textOf = (html: string, from: number, to: number): string =>
  decodeEntities(
    html
      .slice(from, to)
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/?([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/g, (_tag, name: string) =>
        BLOCK_TAGS.has(name.toLowerCase()) ? '\n' : '',
      ),
  );

const segmentsOf = (html: string, from: number, to: number): TSegment[] => {
  const segments: TSegment[] = [];
  let run: TNode[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const start = run[0].start;
    const end = run[run.length - 1].end;
    segments.push({
      start,
      end,
      block: null,
      text: textOf(html, start, end),
      hasMedia: run.some(
        (n) => (n.kind === 'void' || n.kind === 'element') && /<img\b/i.test(html.slice(n.start, n.end)),
      ),
    });
    run = [];
  };
  for (const node of nodesOf(html, from, to)) {
    if (node.kind === 'comment') continue;
    if (node.kind === 'void' && node.tag === 'br') {
      flush();
      continue;
    }
    if (node.kind === 'element' && BLOCK_TAGS.has(node.tag)) {
      flush();
      segments.push({
        start: node.start,
        end: node.end,
        block: node,
        text: textOf(html, node.innerStart, node.innerEnd),
        hasMedia: /<img\b/i.test(html.slice(node.innerStart, node.innerEnd)),
      });
      continue;
    }
    if (node.kind === 'void' && node.tag === 'hr') {
      flush();
      continue;
    }
    run.push(node);
  }
  flush();
  return segments;
};

const linesOf = (segment: TSegment) => segment.text.split('\n').filter((l) => !isBlank(l));

const isBlankSegment = (s: TSegment) => !s.hasMedia && linesOf(s).length === 0;
const isHeaderSegment = (s: TSegment) => {
  const lines = linesOf(s);
  return lines.length > 0 && isHeaderAt(lines, 0);
};
const isQuoteSegment = (s: TSegment) => {
  if (s.block?.tag === 'blockquote') return true;
  const lines = linesOf(s);
  return lines.length > 0 && lines.every(isQuoteLine);
};

/** Blank, quoted, or a header: nothing the writer wrote themselves. */
const isHistoryOnly = (html: string, s: TSegment): boolean =>
  isBlankSegment(s) ||
  isQuoteSegment(s) ||
  isHeaderSegment(s) ||
  (s.block !== null &&
    segmentsOf(html, s.block.innerStart, s.block.innerEnd).every((c) => isHistoryOnly(html, c)));

type TFold = { at: number; openers: string; closers: string };

const findFold = (
  html: string,
  from: number,
  to: number,
  state: { seenContent: boolean },
  trailing: boolean,
  ancestors: { opener: string; tag: string }[],
): TFold | null => {
  const segments = segmentsOf(html, from, to);
  const here = (at: number): TFold => ({
    at,
    openers: ancestors.map((a) => a.opener).join(''),
    closers: ancestors
      .map((a) => `</${a.tag}>`)
      .reverse()
      .join(''),
  });
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k];
    if (isBlankSegment(s)) continue;
    const restIsHistory = () => trailing && segments.slice(k + 1).every((r) => isHistoryOnly(html, r));
    if (isHeaderSegment(s)) {
      if (state.seenContent) return here(s.start);
      continue;
    }
    if (isQuoteSegment(s)) {
      if (state.seenContent && restIsHistory()) return here(s.start);
      continue;
    }
    if (s.block) {
      const inner = findFold(html, s.block.innerStart, s.block.innerEnd, state, restIsHistory(), [
        ...ancestors,
        { opener: html.slice(s.block.start, s.block.innerStart), tag: s.block.tag },
      ]);
      if (inner) return inner;
      continue;
    }
    state.seenContent = true;
  }
  return null;
};

/** Splits message HTML into the new part and the quoted history; both halves stay well-formed. */
export const splitQuotedHtml = (html: string): TQuoteSplit => {
  const fold = findFold(html, 0, html.length, { seenContent: false }, true, []);
  if (!fold) return { visible: html, quoted: null };
  return {
    visible: html.slice(0, fold.at) + fold.closers,
    quoted: fold.openers + html.slice(fold.at),
  };
};

/** The fold of one message: its HTML when it has some, else its text. */
export const splitQuoted = (message: {
  html: string | null;
  text: string;
}): TQuoteSplit & { isHtml: boolean } =>
  message.html?.trim()
    ? { ...splitQuotedHtml(message.html), isHtml: true }
    : { ...splitQuotedText(message.text), isHtml: false };
