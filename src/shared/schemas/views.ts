import { z } from 'zod';
import { ZTicketFilters } from './tickets.ts';

export const VIEW_KINDS = ['builtin', 'saved'] as const;

/** Built-in views are computed for the signed-in user; saved views are the user's own, in their order. */
export const ZView = z.object({
  id: z.string(),
  kind: z.enum(VIEW_KINDS),
  name: z.string(),
  filters: ZTicketFilters,
  count: z.number().int(),
});
export type TView = z.infer<typeof ZView>;

export const ZViewList = z.object({ items: z.array(ZView) });
export type TViewList = z.infer<typeof ZViewList>;

// Strict: a cursor, a limit or a misspelt filter in a saved view is a mistake to report, not to drop.
export const ZCreateViewRequest = z.object({
  name: z.string().trim().min(1).max(100),
  filters: ZTicketFilters.strict(),
});
export type TCreateViewRequest = z.infer<typeof ZCreateViewRequest>;

export const ZUpdateViewRequest = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  filters: ZTicketFilters.strict().optional(),
  /** 0-based place among the user's saved views; the others shift to make room. */
  position: z.number().int().min(0).max(1000).optional(),
});
export type TUpdateViewRequest = z.infer<typeof ZUpdateViewRequest>;
