import type { Context } from 'hono';
import { AppError } from '../../shared/errors.ts';

/**
 * Client address: the socket's, or — only when the operator says a proxy sits in front
 * (TOURDESK_TRUST_PROXY) — the first X-Forwarded-For hop. Trusting the header otherwise
 * would let anyone dodge the login limit by sending a new address each time.
 */
export const clientAddress = (c: Context, trustProxy: boolean): string => {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return forwarded || env?.incoming?.socket?.remoteAddress || 'local';
};

/** A fixed-window limiter per client address, per node; throws RATE_LIMITED past `max` in `windowMs`. */
export const rateLimit = (options: { windowMs: number; max: number; key: string; trustProxy: boolean }) => {
  const windows = new Map<string, { start: number; count: number }>();
  return (c: Context) => {
    const now = Date.now();
    const key = `${options.key}:${clientAddress(c, options.trustProxy)}`;
    const w = windows.get(key);
    if (!w || now - w.start >= options.windowMs) {
      if (windows.size > 10_000) windows.clear();
      windows.set(key, { start: now, count: 1 });
      return;
    }
    w.count += 1;
    if (w.count > options.max) {
      c.header('Retry-After', String(Math.ceil((w.start + options.windowMs - now) / 1000)));
      throw new AppError('RATE_LIMITED');
    }
  };
};
