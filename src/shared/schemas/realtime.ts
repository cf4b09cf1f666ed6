import { z } from 'zod';
import { ZId } from './common.ts';

/** What a tab says about itself on a ticket; `idle` stays listed but not typing, `left` leaves. */
export const PRESENCE_STATES = ['viewing', 'typing', 'idle', 'left'] as const;
export type TPresenceState = (typeof PRESENCE_STATES)[number];

/** Client → server over /api/v1/stream. Re-send at least every 20 s while on the ticket: entries expire. */
export const ZPresenceClientMessage = z.object({
  type: z.literal('presence'),
  ticketId: ZId,
  state: z.enum(PRESENCE_STATES),
});
export type TPresenceClientMessage = z.infer<typeof ZPresenceClientMessage>;

export const ZPresenceViewer = z.object({
  userId: z.number().int(),
  name: z.string(),
  typing: z.boolean(),
});
export type TPresenceViewer = z.infer<typeof ZPresenceViewer>;

/** Server → client: the whole list of people on the ticket, the receiver included. */
export const ZPresenceMessage = z.object({
  type: z.literal('presence'),
  ticketId: z.number().int(),
  viewers: z.array(ZPresenceViewer),
});
export type TPresenceMessage = z.infer<typeof ZPresenceMessage>;

export const ZTicketPresence = z.object({ viewers: z.array(ZPresenceViewer) });

/** Server → client when a client message is refused; the socket stays open. */
export const ZStreamError = z.object({
  type: z.literal('error'),
  code: z.string(),
  ticketId: z.number().int().optional(),
});
export type TStreamError = z.infer<typeof ZStreamError>;
