/**
 * The one way the web app talks to the server: JSON over fetch with the session cookie,
 * the CSRF token on writes, and the API's error shape turned into an ApiError.
 */
export type TApiErrorBody = {
  error: { code: string; message: string; details?: unknown; requestId?: string };
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/** Called when a request finds the session gone (expired, revoked, logged out elsewhere). */
export const onUnauthenticated = (listener: () => void) => {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
};

export type TRequestOptions = {
  body?: unknown;
  /** The version the edit was made against; a stale one answers 409 VERSION_CONFLICT. */
  ifMatch?: number;
  signal?: AbortSignal;
  /** Leave a 401 to the caller (the login form) instead of announcing an expired session. */
  quiet401?: boolean;
};

export type TQuery = Record<string, string | number | boolean | null | undefined | readonly string[]>;

/** `/path?a=1&b=x,y`, skipping empty values. */
export const withQuery = (path: string, query: TQuery = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

export const request = async <T>(method: string, path: string, options: TRequestOptions = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', (err as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const body = json as Partial<TApiErrorBody> | null;
    const error = new ApiError(
      res.status,
      body?.error?.code ?? `HTTP_${res.status}`,
      body?.error?.message ?? res.statusText,
      body?.error?.details,
    );
    // Only a missing or expired session means signed out; a wrong current password is also a 401.
    if (res.status === 401 && error.code === 'UNAUTHENTICATED' && !options.quiet401)
      for (const listener of unauthenticatedListeners) listener();
    throw error;
  }
  return json as T;
};

export const api = {
  get: <T>(path: string, query?: TQuery, options?: TRequestOptions) =>
    request<T>('GET', withQuery(path, query), options),
  post: <T>(path: string, body?: unknown, options?: TRequestOptions) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, options?: TRequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: TRequestOptions) => request<T>('DELETE', path, options),
};
