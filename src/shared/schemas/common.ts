import { z } from 'zod';

export const ZLimit = z.coerce.number().int().min(1).max(200).default(50);
export const ZCursor = z.string().max(500).optional();

export const ZPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ZIsoDateTime = z.iso.datetime({ offset: true });
export const ZIsoDate = z.iso.date();

/** Trimmed non-empty text with an upper bound, the shape of most names and titles. */
export const ZText = (max: number) => z.string().trim().min(1).max(max);
