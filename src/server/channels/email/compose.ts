import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { textToHtml } from '../../lib/sanitize.ts';

/** Most References a reply carries: the thread's first id and its newest ones (long threads stay readable). */
const MAX_REFERENCES = 20;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** The domain of an address, lower-cased: `Support@Tours.Example` → `tours.example`. */
export const domainOf = (address: string): string =>
  address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** A fresh Message-ID at our domain, angle brackets included as in the header. */
export const newMessageId = (domain: string): string => `<${randomUUID()}@${domain}>`;

/**
 * `Re: <subject> [#<number>]`: one "Re:" however long the thread, and the ticket number once, at
 * the end, where inbound threading by subject number looks for it.
 */
export const replySubject = (subject: string, ticketNumber: number): string => {
  const tag = `[#${ticketNumber}]`;
  const bare =
    subject
      .split(tag)
      .join(' ')
      .replace(/[\r\n]+/g, ' ')
      .replace(/\s{2,}/g, ' ')
      .trim() || '…';
  const prefixed = /^(re|ответ|на)\s*:/i.test(bare) ? bare : `Re: ${bare}`;
  return `${prefixed} ${tag}`;
};

export type TThreadEmail = {
  direction: 'inbound' | 'outbound';
  message_id: string;
  references: string[];
};

/**
 * In-Reply-To and References of the next reply on a thread (oldest first). It answers the
 * customer's latest email (else the latest email at all); References are that email's References
 * plus its Message-ID (RFC 5322 §3.6.4), or the whole thread up to it when it carried none.
 */
export const threadHeaders = (
  thread: readonly TThreadEmail[],
): { inReplyTo: string | null; references: string[] } => {
  const parentIndex = thread.findLastIndex((e) => e.direction === 'inbound');
  const index = parentIndex >= 0 ? parentIndex : thread.length - 1;
  if (index < 0) return { inReplyTo: null, references: [] };
  const parent = thread[index];
  const chain =
    parent.references.length > 0
      ? [...parent.references, parent.message_id]
      : thread.slice(0, index + 1).map((e) => e.message_id);
  const references = [...new Set(chain.filter((id) => /^<[^<>\s]+>$/.test(id)))];
  return {
    inReplyTo: parent.message_id,
    references:
      references.length > MAX_REFERENCES
        ? [references[0], ...references.slice(-(MAX_REFERENCES - 1))]
        : references,
  };
};

export type TLocale = 'ru' | 'en';

const STRINGS = {
  ru: {
    wrote: (date: string, name: string) => `${date}, ${name} написал(а):`,
    ackText: (number: number) =>
      `Здравствуйте!\n\nМы получили ваше письмо и ответим как можно скорее. Номер обращения — ${number}.\n\nЕсли захотите что-то добавить, просто ответьте на это письмо.`,
  },
  en: {
    wrote: (date: string, name: string) => `On ${date}, ${name} wrote:`,
    ackText: (number: number) =>
      `Hello,\n\nWe have received your email and will answer as soon as we can. Your ticket number is ${number}.\n\nTo add anything, simply reply to this email.`,
  },
} as const;

/** The body of an automatic acknowledgement, in the workspace's language. */
export const autoAckText = (locale: TLocale, ticketNumber: number): string =>
  STRINGS[locale].ackText(ticketNumber);

export type TQuoted = { authorName: string; at: Date; text: string; html: string | null };

/** The line above a quote: "25 ноября 2026 г., 14:05, Анна написал(а):", in the workspace's zone. */
export const quoteHeader = (quoted: TQuoted, locale: TLocale, timeZone: string): string => {
  const date = DateTime.fromJSDate(quoted.at, { zone: timeZone })
    .setLocale(locale)
    .toLocaleString(DateTime.DATETIME_MED);
  return STRINGS[locale].wrote(date, quoted.authorName || '—');
};

/**
 * Text and HTML of an outgoing email: the message, the mailbox signature (after the standard
 * "-- " separator), then the previous customer message quoted.
 */
export const composeBodies = (input: {
  text: string;
  html: string | null;
  signature: string;
  quoted: TQuoted | null;
  locale: TLocale;
  timeZone: string;
}): { text: string; html: string } => {
  const signature = input.signature.trim();
  const header = input.quoted ? quoteHeader(input.quoted, input.locale, input.timeZone) : null;

  const textParts = [input.text.trimEnd()];
  if (signature) textParts.push(`-- \n${signature}`);
  if (input.quoted && header) {
    const quotedLines = input.quoted.text
      .trimEnd()
      .split(/\r?\n/)
      .map((line) => (line ? `> ${line}` : '>'));
    textParts.push(`${header}\n${quotedLines.join('\n')}`);
  }

  const htmlParts = [`<div class="td-reply">${input.html ?? textToHtml(input.text)}</div>`];
  if (signature) {
    htmlParts.push(
      `<div class="td-signature" style="color:#555">-- <br>${escapeHtml(signature).replace(/\r?\n/g, '<br>')}</div>`,
    );
  }
  if (input.quoted && header) {
    htmlParts.push(
      `<div class="td-quote-header">${escapeHtml(header)}</div>` +
        `<blockquote type="cite" style="margin:0 0 0 .8ex;border-left:2px solid #ccc;padding-left:1ex">${
          input.quoted.html ?? textToHtml(input.quoted.text)
        }</blockquote>`,
    );
  }
  return {
    text: `${textParts.join('\n\n')}\n`,
    html: `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${htmlParts.join('<br>')}</body></html>`,
  };
};
