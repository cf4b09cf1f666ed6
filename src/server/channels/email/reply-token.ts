import type { TSecrets } from '../../lib/secrets.ts';

/** Length of the signature part of a reply token, in hex characters. */
const SIGNATURE_LENGTH = 10;
const MAX_TICKET_ID = 2_147_483_647;
const REPLY_ADDRESS = /^reply\+([0-9a-z]{1,7})-([0-9a-f]{10})@[^@\s<>]+$/;

/** The token of a ticket's reply address: base-36 ticket id and a short HMAC of it, e.g. `3f-9a0c61d2e4`. */
export const replyToken = (secrets: TSecrets, ticketId: number): string =>
  `${ticketId.toString(36)}-${secrets.sign(`ticket:${ticketId}`, SIGNATURE_LENGTH)}`;

/** The reply address of a ticket at a mailbox's domain: `reply+<token>@<domain>`. */
export const replyAddress = (secrets: TSecrets, ticketId: number, domain: string): string =>
  `reply+${replyToken(secrets, ticketId)}@${domain}`;

/** Whether the address has the reply form at all (signed or not): `reply+…@domain`, any case. */
export const isReplyAddressForm = (address: string): boolean =>
  /^reply\+[^@\s]+@[^@\s]+$/i.test(bareAddress(address));

/**
 * The ticket id carried by `reply+<token>@<any domain>` (local part in any case, optionally in
 * angle brackets), or null when the address is not of that form or the signature does not match.
 */
export const parseReplyAddress = (secrets: TSecrets, address: string): number | null => {
  const match = REPLY_ADDRESS.exec(bareAddress(address).toLowerCase());
  if (!match) return null;
  const id = Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_TICKET_ID || id.toString(36) !== match[1]) return null;
  return secrets.verify(`ticket:${id}`, match[2]) ? id : null;
};

const bareAddress = (address: string): string => {
  const trimmed = address.trim();
  const bracketed = /<([^<>]*)>/.exec(trimmed);
  return (bracketed ? bracketed[1] : trimmed).trim();
};
