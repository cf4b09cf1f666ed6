import { ApiError } from './api.ts';

/** A 409 VERSION_CONFLICT: someone saved first; show the fresh values, never overwrite. */
export const isVersionConflict = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'VERSION_CONFLICT';

/** The API's error code, or null for anything that is not an API error. */
export const errorCode = (error: unknown): string | null => (error instanceof ApiError ? error.code : null);

/** Field messages from a VALIDATION_FAILED answer, keyed by the first segment of their path. */
export const fieldErrors = (error: unknown): Record<string, string> => {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {};
  const out: Record<string, string> = {};
  for (const item of error.details as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const { path, message } = item as { path?: unknown; message?: unknown };
    const key = Array.isArray(path)
      ? String(path[0] ?? '')
      : typeof path === 'string'
        ? path.split('.')[0]
        : '';
    if (key && typeof message === 'string' && !(key in out)) out[key] = message;
  }
  return out;
};
