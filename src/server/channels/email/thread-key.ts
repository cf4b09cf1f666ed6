import { createHash } from 'node:crypto';

/** Longest Message-ID kept as it is; a longer one is replaced by its hash (index rows have a size limit). */
const MAX_MESSAGE_ID_LENGTH = 400;
/** Most References considered for threading: the first (thread root) and the newest ones. */
const MAX_REFERENCES = 50;
/** Headers that relays add or rewrite on the way: left out of the content hash. */
const STABLE_HEADERS = ['from', 'to', 'cc', 'subject', 'date', 'in-reply-to', 'references'];

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The Message-ID that stands in for a missing one: a hash of what the sender wrote. */
export const syntheticMessageId = (contentHash: string): string => `<${contentHash}@hash.tourdesk>`;

/**
 * A Message-ID in its canonical form: the first `<…>` token (brackets kept, spaces removed), or a
 * bare `local@domain` put in brackets; null when there is none. Overlong ids become a hash.
 */
export const normalizeMessageId = (raw: string | null | undefined): string | null => {
  if (!raw) return null;
  const bracketed = /<([^<>]*)>/.exec(raw);
  const inner = (bracketed ? bracketed[1] : raw).replaceAll('\u0000', '').replace(/\s+/g, '');
  if (!inner || (!bracketed && !inner.includes('@'))) return null;
  const id = `<${inner}>`;
  return id.length > MAX_MESSAGE_ID_LENGTH ? `<${sha256(id)}@long.tourdesk>` : id;
};

/** Every Message-ID of a References or In-Reply-To header, in order, without repeats. */
export const parseMessageIdList = (raw: string | null | undefined): string[] => {
  if (!raw) return [];
  const tokens = raw.includes('<') ? (raw.match(/<[^<>]*>/g) ?? []) : raw.split(/[\s,]+/);
  const ids = [...new Set(tokens.map(normalizeMessageId).filter((id): id is string => id !== null))];
  return ids.length > MAX_REFERENCES ? [ids[0], ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
};

/** The ticket number of a `[#123]` tag in a subject (the last one, as our replies append it), or null. */
export const subjectTicketNumber = (subject: string): number | null => {
  const tags = [...subject.matchAll(/\[#(\d{1,10})\]/g)];
  const last = tags.at(-1);
  if (!last) return null;
  const n = Number(last[1]);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
};

/** The raw header block and body of a message: split at the first empty line. */
export const splitRaw = (raw: Buffer): { head: string; body: Buffer } => {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const at = crlf >= 0 && (lf < 0 || crlf <= lf) ? crlf : lf;
  if (at < 0) return { head: raw.toString('latin1'), body: Buffer.alloc(0) };
  const gap = at === crlf ? 4 : 2;
  return { head: raw.subarray(0, at).toString('latin1'), body: raw.subarray(at + gap) };
};

/** Unfolded header lines of a raw header block as [lower-case name, value] pairs, in order. */
export const headerPairs = (head: string): [string, string][] => {
  const pairs: [string, string][] = [];
  for (const line of head.split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    pairs.push([
      line.slice(0, colon).trim().toLowerCase(),
      line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    ]);
  }
  return pairs;
};

/**
 * A hash of what the sender wrote — From, To, Cc, Subject, Date, threading headers and the body
 * with line ends normalized — so the same message relayed along another path (other Received
 * lines) hashes the same. Used as the Message-ID of a message that has none.
 */
export const contentHashOf = (raw: Buffer): string => {
  const split = splitRaw(raw);
  // Not even one header line up front: the whole text is what the sender wrote.
  const isHeadless = split.body.length === 0 && !/^[\x21-\x39\x3b-\x7e]+:/.test(split.head);
  const { head, body } = isHeadless ? { head: '', body: raw } : split;
  const pairs = headerPairs(head);
  const stable = STABLE_HEADERS.map((name) => `${name}:${pairs.find(([n]) => n === name)?.[1] ?? ''}`);
  const text = body.toString('latin1').replace(/\r\n/g, '\n').replace(/\s+$/, '');
  return sha256(`${stable.join('\n')}\n\n${text}`);
};

/** Whether a Message-ID is one tourdesk makes for outgoing mail: a UUID at one of our mailbox domains. */
export const isOwnMessageId = (messageId: string, ownDomains: ReadonlySet<string>): boolean => {
  const match = /^<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@([^<>@]+)>$/i.exec(messageId);
  return match !== null && ownDomains.has(match[1].toLowerCase());
};
