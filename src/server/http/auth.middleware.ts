import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../../shared/errors.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../modules/auth/auth.routes.ts';
import type { TServices } from '../services.ts';
import type { TAppEnv } from './types.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the actor from a bearer token or the session cookie. Cookie-authenticated writes
 * must echo the CSRF cookie in X-CSRF-Token (double submit, checked against the session).
 */
export const authenticate =
  (services: TServices): MiddlewareHandler<TAppEnv> =>
  async (c, next) => {
    c.set('actor', null);
    c.set('sessionCsrf', null);
    const authorization = c.req.header('authorization');
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match ? await services.auth.resolveToken(match[1]) : null;
      if (!actor) throw new AppError('UNAUTHENTICATED', 'Invalid or revoked API token');
      c.set('actor', actor);
      return next();
    }
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId) {
      const session = await services.auth.resolveSession(sessionId);
      if (session) {
        if (!SAFE_METHODS.has(c.req.method)) {
          const header = c.req.header('x-csrf-token');
          const cookie = getCookie(c, CSRF_COOKIE);
          if (!header || header !== cookie || header !== session.csrfToken) throw new AppError('CSRF_FAILED');
        }
        c.set('actor', session.actor);
        c.set('sessionCsrf', session.csrfToken);
      }
    }
    return next();
  };
