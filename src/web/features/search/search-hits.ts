import type { z } from 'zod';
import type { ZSearchHit } from '../../../shared/schemas/tickets.ts';

export type TSearchHit = z.infer<typeof ZSearchHit>;
export type TSearchType = TSearchHit['type'];

export const SEARCH_TYPES: readonly TSearchType[] = ['ticket', 'message', 'contact'];

/** The type filter from the address bar; anything unknown means all types. */
export const parseSearchType = (raw: string | null): TSearchType | null =>
  SEARCH_TYPES.find((type) => type === raw) ?? null;

/** Where a hit opens: its ticket (a message scrolls to itself) or its contact. */
export const hitHref = (hit: TSearchHit): string => {
  if (hit.type === 'contact') return `/contacts/${hit.id}`;
  const ticketId = hit.ticketId ?? hit.id;
  return hit.type === 'message' ? `/tickets/${ticketId}#message-${hit.id}` : `/tickets/${ticketId}`;
};

/** How many hits of each type the unfiltered answer holds. */
export const countByType = (hits: readonly TSearchHit[]): Record<TSearchType, number> => {
  const counts: Record<TSearchType, number> = { ticket: 0, message: 0, contact: 0 };
  for (const hit of hits) counts[hit.type] += 1;
  return counts;
};
