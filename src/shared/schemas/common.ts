import { z } from 'zod';

export const ZLimit = z.coerce.number().int().min(1).max(200).default(50);
export const ZCursor = z.string().max(500).optional();

export const ZPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A row id. Ids are PostgreSQL `int`: a larger number is refused here rather than failing in the database. */
export const ZId = z.number().int().positive().max(2_147_483_647);
/** A row id in a query string. */
export const ZIdQuery = z.coerce.number().int().positive().max(2_147_483_647);

export const ZIsoDateTime = z.iso.datetime({ offset: true });
export const ZIsoDate = z.iso.date();

/** Trimmed non-empty text with an upper bound, the shape of most names and titles. */
export const ZText = (max: number) => z.string().trim().min(1).max(max);
