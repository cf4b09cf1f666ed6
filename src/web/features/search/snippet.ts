/** A piece of a search snippet: plain text, or a matched word the server wrapped in <mark>. */
export type TSnippetPart = { text: string; mark: boolean };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

/** Undoes the server's HTML escaping of the snippet text (React escapes it again when rendering). */
export const decodeEntities = (text: string): string =>
  text.replace(
    /&(amp|lt|gt|quot|#39|apos|#x([0-9a-f]+)|#(\d+));/gi,
    (whole, name: string, hex?: string, dec?: string) => {
      if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
      if (dec) return String.fromCodePoint(Number.parseInt(dec, 10));
      return ENTITIES[name.toLowerCase()] ?? whole;
    },
  );

/**
 * Splits a server snippet on its <mark>…</mark> tags into text parts, so matches are highlighted
 * without ever rendering the snippet as HTML. Any other markup stays literal text; an unclosed
 * <mark> runs to the end, a stray </mark> is dropped; neighbouring parts of one kind are joined.
 */
export const splitSnippet = (snippet: string): TSnippetPart[] => {
  const parts: TSnippetPart[] = [];
  const push = (raw: string, mark: boolean) => {
    if (!raw) return;
    const text = decodeEntities(raw);
    const last = parts.at(-1);
    if (last && last.mark === mark) last.text += text;
    else parts.push({ text, mark });
  };
  let mark = false;
  let rest = snippet;
  for (;;) {
    const tag = mark ? '</mark>' : '<mark>';
    const at = rest.indexOf(tag);
    if (at < 0) break;
    push(rest.slice(0, at), mark);
    rest = rest.slice(at + tag.length);
    mark = !mark;
  }
  // Outside a mark a stray closing tag is dropped rather than shown.
  push(mark ? rest : rest.replaceAll('</mark>', ''), mark);
  return parts;
};

/** The words the server marked in a snippet, lower-cased and without repeats. */
export const markedTerms = (parts: readonly TSnippetPart[]): string[] => [
  ...new Set(parts.filter((p) => p.mark && p.text.trim()).map((p) => p.text.trim().toLowerCase())),
];

/** Highlights every occurrence of the terms in a text (a hit's title), ignoring case; longest term wins. */
export const markTerms = (text: string, terms: readonly string[]): TSnippetPart[] => {
  const sorted = [...terms].filter(Boolean).sort((a, b) => b.length - a.length);
  if (sorted.length === 0 || !text) return text ? [{ text, mark: false }] : [];
  const lower = text.toLowerCase();
  const parts: TSnippetPart[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < text.length) {
    const term = sorted.find((t) => lower.startsWith(t, i));
    if (!term) {
      i += 1;
      continue;
    }
    if (i > plainFrom) parts.push({ text: text.slice(plainFrom, i), mark: false });
    parts.push({ text: text.slice(i, i + term.length), mark: true });
    i += term.length;
    plainFrom = i;
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom), mark: false });
  return parts;
};

/** Whether a snippet says nothing beyond the title (a ticket hit whose snippet is its subject). */
export const snippetRepeatsTitle = (parts: readonly TSnippetPart[], title: string): boolean => {
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const plain = squash(parts.map((p) => p.text).join(''));
  return plain.length > 0 && squash(title).includes(plain);
};
