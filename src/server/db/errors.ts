/** Node socket errors that mean the database server cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const UNAVAILABLE_MESSAGE =
  /connection terminated|connection error|timeout exceeded when trying to connect|server closed the connection|pglite is closed|database is closed|driver has already been destroyed|cannot use a pool after calling end/i;

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Whether an error means the database itself is unavailable (unreachable, shutting down, out of
 * resources) rather than that this data was refused: the caller should fail temporarily so the
 * sender retries, not record the data as bad.
 */
export const isDatabaseUnavailable = (error: unknown): boolean => {
  const code = codeOf(error);
  if (code !== undefined) {
    // SQLSTATE classes 08 connection exception, 53 insufficient resources, 57 operator intervention, 58 system error.
    if (/^(08|53|57|58)[0-9A-Z]{3}$/.test(code)) return true;
    if (NETWORK_CODES.has(code)) return true;
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause && cause !== error && isDatabaseUnavailable(cause)) return true;
  return error instanceof Error && UNAVAILABLE_MESSAGE.test(error.message);
};

/** Serialization failures and deadlocks: the transaction may simply be run again. */
export const isRetryableTransactionError = (error: unknown): boolean => {
  const code = codeOf(error);
  return code === '40001' || code === '40P01';
};
