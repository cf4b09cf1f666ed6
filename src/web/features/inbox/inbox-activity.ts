import type { TTicket } from '../../../shared/schemas/tickets.ts';

/** What the list looked like at the last refetch: which pages, and each ticket's last change. */
export type TSeenTickets = { key: string; pageCount: number; updatedAt: Map<number, string> };

/**
 * Tickets that are new or changed since the list was last seen under the same query. Only the pages
 * that were there before count, so loading the next page never looks like new activity.
 */
export const detectActivity = (
  previous: TSeenTickets | null,
  key: string,
  pages: readonly (readonly Pick<TTicket, 'id' | 'updatedAt'>[])[],
): { changedIds: number[]; seen: TSeenTickets } => {
  const updatedAt = new Map<number, string>();
  for (const page of pages) for (const t of page) if (!updatedAt.has(t.id)) updatedAt.set(t.id, t.updatedAt);
  const seen = { key, pageCount: pages.length, updatedAt };
  if (!previous || previous.key !== key) return { changedIds: [], seen };
  const changedIds: number[] = [];
  for (const page of pages.slice(0, previous.pageCount))
    for (const t of page) {
      const before = previous.updatedAt.get(t.id);
      if (before !== t.updatedAt && !changedIds.includes(t.id)) changedIds.push(t.id);
    }
  return { changedIds, seen };
};
