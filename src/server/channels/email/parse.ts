import path from 'node:path';
import PostalMime, { type Address, type Attachment, type Email } from 'postal-mime';
import { htmlToText, sanitizeMessageHtml, textToHtml } from '../../lib/sanitize.ts';
import { type TInboundAttachment, type TInboundEmail, ZInboundEmail } from './inbound-email.ts';
import { autoReplyReasons, detectBounce } from './markers.ts';
import {
  contentHashOf,
  normalizeMessageId,
  parseMessageIdList,
  splitRaw,
  syntheticMessageId,
} from './thread-key.ts';

/** Bodies beyond these sizes are cut: the raw source keeps the whole message. */
const MAX_TEXT_CHARS = 1_000_000;
const MAX_HTML_CHARS = 2_000_000;
const MAX_ADDRESSES = 100;
const ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'application/pdf': '.pdf',
  'message/rfc822': '.eml',
};

/** Text as PostgreSQL can store it: no NUL characters. */
const clean = (text: string): string => text.replaceAll('\u0000', '');

const validAddress = (raw: string | undefined): string | null => {
  const address = clean(raw ?? '')
    .trim()
    .toLowerCase();
  return address.length <= 254 && ADDRESS.test(address) ? address : null;
};

const mailboxes = (list: Address[] | Address | undefined) =>
  (Array.isArray(list) ? list : list ? [list] : []).flatMap((a) => (a.group ? a.group : [a]));

const addressList = (list: Address[] | undefined): string[] =>
  [
    ...new Set(
      mailboxes(list)
        .map((m) => validAddress(m.address))
        .filter((a): a is string => a !== null),
    ),
  ].slice(0, MAX_ADDRESSES);

const filenameOf = (a: Attachment, index: number): string => {
  const given = [...clean(a.filename ?? '')]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .trim();
  const base = given ? path.basename(given.replaceAll('\\', '/')) : '';
  if (base && base !== '.' && base !== '..') return base.slice(-255);
  return `attachment-${index + 1}${EXTENSIONS[a.mimeType] ?? '.bin'}`;
};

const bytesOf = (content: Attachment['content']): Buffer =>
  typeof content === 'string'
    ? Buffer.from(content, 'utf8')
    : content instanceof ArrayBuffer
      ? Buffer.from(content)
      : Buffer.from(content.buffer, content.byteOffset, content.byteLength);

const attachmentsOf = (email: Email): TInboundAttachment[] =>
  email.attachments.flatMap((a, index) => {
    const content = bytesOf(a.content);
    if (content.length === 0) return [];
    const contentId =
      clean(a.contentId ?? '')
        .replace(/^\s*<|>\s*$/g, '')
        .trim() || null;
    return [
      {
        filename: filenameOf(a, index),
        contentType: (clean(a.mimeType).trim() || 'application/octet-stream').slice(0, 200),
        contentId: contentId?.slice(0, 500) ?? null,
        isInline: a.related === true || (a.disposition === 'inline' && contentId !== null),
        content,
      },
    ];
  });

const dateOf = (raw: string | undefined): Date | null => {
  if (!raw) return null;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? null : date;
};

/**
 * Parses a raw message (postal-mime) into one normalized InboundEmail: decoded headers in any
 * charset, sanitized HTML, plain text, attachments, automatic-mail markers and bounce details.
 * Throws when the MIME structure is beyond repair (the caller quarantines it).
 */
export const parseInboundEmail = async (
  raw: Buffer,
  options: { envelopeFrom?: string } = {},
): Promise<TInboundEmail> => {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const { body } = splitRaw(raw);
  const contentHash = contentHashOf(raw);
  const headerId = normalizeMessageId(email.messageId);

  const html = email.html?.trim()
    ? sanitizeMessageHtml(clean(email.html).slice(0, MAX_HTML_CHARS)).trim()
    : null;
  const plain = email.text ? clean(email.text).slice(0, MAX_TEXT_CHARS) : '';
  const text = plain.trim() ? plain : html ? htmlToText(html) : '';

  const fromBox = [...mailboxes(email.from), ...mailboxes(email.sender)].find((m) => validAddress(m.address));
  const fromAddress = validAddress(fromBox?.address) ?? validAddress(options.envelopeFrom);
  const from = fromAddress
    ? {
        address: fromAddress,
        name: clean(fromBox?.name ?? '')
          .trim()
          .slice(0, 200),
      }
    : null;

  const subject = clean(email.subject ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .slice(0, 1000);
  const autoReasons = autoReplyReasons(email.headers);
  const bounce = detectBounce({
    headers: email.headers,
    fromAddress,
    envelopeFrom: options.envelopeFrom,
    isAuto: autoReasons.length > 0,
    attachments: email.attachments,
    rawBody: body.toString('latin1'),
    text,
    subject,
  });
  const deliveredTo = email.headers
    .filter((h) => h.key === 'delivered-to' || h.key === 'x-original-to')
    .map((h) => validAddress(h.value.replace(/^.*<|>.*$/g, '')))
    .filter((a): a is string => a !== null);

  return ZInboundEmail.parse({
    messageId: headerId ?? syntheticMessageId(contentHash),
    isMessageIdSynthetic: headerId === null,
    contentHash,
    inReplyTo: parseMessageIdList(email.inReplyTo)[0] ?? null,
    references: parseMessageIdList(email.references),
    from,
    to: addressList(email.to),
    cc: addressList(email.cc),
    deliveredTo: [...new Set(deliveredTo)],
    subject,
    date: dateOf(email.date),
    text,
    html: html ?? (text ? textToHtml(text) : null),
    attachments: attachmentsOf(email),
    autoReasons,
    bounce,
  });
};
