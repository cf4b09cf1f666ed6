import { AppError } from '../../shared/errors.ts';

/** One part of a cursor's sort key: an int id, a bigint id, or an ISO timestamp. */
export type TCursorPart = 'id' | 'bigid' | 'timestamp';

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
    default: {
      const unreachable: never = part;
      return unreachable;
    }
  }
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
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts.length && key.every((k, i) => fits(parts[i], k))) {
      return key;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', 'Invalid cursor', [{ path: 'cursor', message: 'Invalid cursor' }]);
};
