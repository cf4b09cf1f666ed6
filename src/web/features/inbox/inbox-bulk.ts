import type { TBulkUpdateTicketsResponse } from '../../../shared/schemas/tickets.ts';

/** The server takes at most this many ids per bulk request. */
export const BULK_LIMIT = 200;

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

export type TBulkFailure = { id: number; code: string; message: string };
export type TBulkSummary = { total: number; okIds: number[]; failures: TBulkFailure[] };

/** Successes and failures of one bulk action, failures in the order the server answered. */
export const summarizeBulk = (results: TBulkUpdateTicketsResponse['results']): TBulkSummary => {
  const okIds: number[] = [];
  const failures: TBulkFailure[] = [];
  for (const r of results) {
    if (r.ok) okIds.push(r.id);
    else failures.push({ id: r.id, code: r.error.code, message: r.error.message });
  }
  return { total: results.length, okIds, failures };
};
