import { ApiError } from '../../lib/api.ts';

/** The API's own message and code, the way ErrorState shows them. */
export const errorText = (error: unknown): string => {
  if (error instanceof ApiError)
    return error.code === 'NETWORK' ? error.message : `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
};

export const isApiError = (error: unknown, code: string): error is ApiError =>
  error instanceof ApiError && error.code === code;
