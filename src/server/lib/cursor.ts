import { AppError } from '../../shared/errors.ts';

/** One part of a cursor's sort key: an int id, a bigint id, an ISO timestamp, or a small rank (0–100). */
export type TCursorPart = 'id' | 'bigid' | 'timestamp' | 'rank';

const INT_MAX = 2_147_483_647;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

// A cursor is client input: each part must fit its column, or the query fails inside the database.
const fits = (part: TCursorPart, value: unknown): boolean => {
  switch (part) {
    case 'id':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= INT_MAX;
    case 'bigid':
      return Number.isSafeInteger(value) && (value as number) >= 1;
    case 'timestamp':
      return typeof value === 'string' && ISO_UTC.test(value) && !Number.isNaN(Date.parse(value));
    case 'rank':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100;
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
};

const invalidCursor = (message = 'Invalid cursor') =>
  new AppError('VALIDATION_FAILED', message, [{ path: 'cursor', message }]);

const parseKey = (cursor: string): unknown[] => {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key)) return key;
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
};

const checkKey = (key: unknown[], parts: readonly TCursorPart[]): (string | number)[] => {
  if (key.length === parts.length && key.every((k, i) => fits(parts[i], k)))
    return key as (string | number)[];
  throw invalidCursor();
};

/** Keyset cursors: opaque base64url of the sort key of the last row served. */
export const encodeCursor = (key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** The sort key of a cursor; `shape` names each part (a number n means n int ids). */
export const decodeCursor = (
  cursor: string | undefined,
  shape: number | readonly TCursorPart[],
): (string | number)[] | undefined => {
  if (cursor === undefined) return undefined;
  const parts: readonly TCursorPart[] = typeof shape === 'number' ? Array(shape).fill('id') : shape;
  return checkKey(parseKey(cursor), parts);
};

/** A cursor that also names the order it was served in, so that it cannot continue another order. */
export const encodeOrderedCursor = (order: string, key: readonly (string | number)[]): string =>
  encodeCursor([order, ...key]);

/** The sort key of a cursor from encodeOrderedCursor for `order`; a cursor of another order is refused. */
export const decodeOrderedCursor = (
  cursor: string | undefined,
  order: string,
  shape: readonly TCursorPart[],
): (string | number)[] | undefined => {
  if (cursor === undefined) return undefined;
  const [tag, ...key] = parseKey(cursor);
  if (typeof tag !== 'string') throw invalidCursor();
  if (tag !== order) throw invalidCursor(`This cursor continues another sort order, not ${order}`);
  return checkKey(key, shape);
};
