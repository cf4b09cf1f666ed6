import type { Attachment, Header } from 'postal-mime';
import type { TBounce } from './inbound-email.ts';
import { normalizeMessageId, parseMessageIdList } from './thread-key.ts';

const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk', 'auto_reply']);
const DAEMON_LOCAL_PARTS = new Set(['mailer-daemon', 'postmaster']);
const REPORT_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_PARTS = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  'message/global',
  'message/global-headers',
]);
const MAX_REASON = 2000;

const headerValue = (headers: Header[], name: string): string | undefined =>
  headers.find((h) => h.key === name)?.value.trim();

/**
 * Why a message is automatic, by RFC 3834 and common practice: Auto-Submitted other than `no`,
 * X-Autoreply / X-Autorespond, Precedence bulk/list/junk, List-Unsubscribe, X-Loop, read receipts.
 * Empty when nothing marks it. Never acknowledged, never a new ticket.
 */
export const autoReplyReasons = (headers: Header[]): string[] => {
  const reasons: string[] = [];
  const autoSubmitted = headerValue(headers, 'auto-submitted');
  if (autoSubmitted !== undefined) {
    const token = autoSubmitted.split(/[;(\s]/)[0].toLowerCase();
    if (token && token !== 'no') reasons.push(`auto-submitted: ${token}`);
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const value = headerValue(headers, name);
    if (value !== undefined && value.toLowerCase() !== 'no') reasons.push(name);
  }
  const precedence = headerValue(headers, 'precedence')?.toLowerCase();
  if (precedence && BULK_PRECEDENCE.has(precedence)) reasons.push(`precedence: ${precedence}`);
  if (headerValue(headers, 'list-unsubscribe') !== undefined) reasons.push('list-unsubscribe');
  if (headerValue(headers, 'x-loop') !== undefined) reasons.push('x-loop');
  const type = headerValue(headers, 'content-type') ?? '';
  if (/^multipart\/report/i.test(type) && /report-type\s*=\s*"?disposition-notification/i.test(type)) {
    reasons.push('read-receipt');
  }
  return reasons;
};

const partText = (a: Attachment): string =>
  typeof a.content === 'string' ? a.content : Buffer.from(a.content as ArrayBuffer).toString('utf8');

/** Fields of a delivery-status part (RFC 3464): the first recipient's, after the per-message block. */
const reportFields = (text: string): Map<string, string> => {
  const fields = new Map<string, string>();
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name) || name === 'final-recipient') fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
};

/** `rfc822; someone@example.com` → `someone@example.com`. */
const afterType = (value: string | undefined): string | null => {
  if (!value) return null;
  const semicolon = value.indexOf(';');
  return (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim() || null;
};

/** Message-IDs written in header lines of a text: an attached original or its headers. */
const messageIdsIn = (text: string): string[] =>
  [...text.matchAll(/^(?:message-id|x-original-message-id)[ \t]*:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\r\n]+>)/gim)]
    .map((m) => normalizeMessageId(m[1]))
    .filter((id): id is string => id !== null);

/**
 * A delivery failure report, or null: multipart/report of delivery-status, mail from MAILER-DAEMON
 * or postmaster, or a null envelope sender on mail no auto-reply marker explains. Carries every
 * Message-ID that may name the original (the attached original, the raw body, In-Reply-To,
 * References) so ingestion can find the outgoing email it reports on.
 */
export const detectBounce = (input: {
  headers: Header[];
  fromAddress: string | null;
  envelopeFrom: string | undefined;
  isAuto: boolean;
  attachments: Attachment[];
  rawBody: string;
  text: string;
  subject: string;
}): TBounce | null => {
  const type = headerValue(input.headers, 'content-type') ?? '';
  const isReport = /^multipart\/report/i.test(type) && /report-type\s*=\s*"?delivery-status/i.test(type);
  const local = input.fromAddress?.split('@')[0].toLowerCase() ?? '';
  const isDaemon = DAEMON_LOCAL_PARTS.has(local);
  const returnPath = headerValue(input.headers, 'return-path');
  const isNullSender = input.envelopeFrom === '' || returnPath?.replace(/\s/g, '') === '<>';
  if (!isReport && !isDaemon && !(isNullSender && !input.isAuto)) return null;

  const report = input.attachments.find((a) => REPORT_PARTS.has(a.mimeType));
  const fields = report ? reportFields(partText(report)) : new Map<string, string>();
  const recipient =
    afterType(fields.get('final-recipient')) ??
    afterType(fields.get('original-recipient')) ??
    headerValue(input.headers, 'x-failed-recipients') ??
    null;
  const diagnostic = afterType(fields.get('diagnostic-code'));
  const status = fields.get('status');
  const summary = input.text.replace(/\s+/g, ' ').trim().slice(0, 300);
  const reason =
    diagnostic ??
    (status ? `Status ${status}${fields.get('action') ? ` (${fields.get('action')})` : ''}` : null) ??
    (summary || input.subject || 'Delivery failed');

  const originals = input.attachments
    .filter((a) => ORIGINAL_PARTS.has(a.mimeType))
    .flatMap((a) => messageIdsIn(partText(a)));
  const ids = [
    ...originals,
    ...messageIdsIn(input.rawBody),
    ...parseMessageIdList(headerValue(input.headers, 'in-reply-to')),
    ...parseMessageIdList(headerValue(input.headers, 'references')),
  ];
  return {
    recipient: recipient ? recipient.slice(0, 500) : null,
    reason: reason.slice(0, MAX_REASON),
    originalMessageIds: [...new Set(ids)].slice(0, 100),
  };
};
