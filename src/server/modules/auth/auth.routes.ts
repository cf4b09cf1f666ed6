import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../../shared/errors.ts';
import {
  ZApiToken,
  ZCreateApiTokenRequest,
  ZCreatedApiToken,
  ZLoginRequest,
  ZMe,
  ZUpdateMeRequest,
} from '../../../shared/schemas/auth.ts';
import type { TConfig } from '../../config.ts';
import { actorOf } from '../../http/context.ts';
import { rateLimit } from '../../http/rate-limit.ts';
import {
  defineRoute,
  jsonBody,
  jsonResponses,
  noContentResponses,
  parseId,
  ZIdParam,
} from '../../http/route.ts';
import type { TAppEnv } from '../../http/types.ts';
import type { TServices } from '../../services.ts';

export const SESSION_COOKIE = 'tourdesk_session';
export const CSRF_COOKIE = 'tourdesk_csrf';

export const registerAuthRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices, config: TConfig) => {
  const loginLimit = rateLimit({ windowMs: 60_000, max: 20, key: 'login', trustProxy: config.trustProxy });

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/auth/login',
      rule: 'public',
      tags: ['auth'],
      summary: 'Sign in with email and password; sets the session and CSRF cookies',
      request: { body: jsonBody(ZLoginRequest) },
      responses: jsonResponses(200, ZMe),
    }),
    async (c) => {
      loginLimit(c);
      const { email, password } = c.req.valid('json');
      const session = await services.auth.login(email, password);
      const cookie = {
        path: '/',
        secure: config.cookieSecure,
        sameSite: 'Lax' as const,
        expires: session.expiresAt,
      };
      setCookie(c, SESSION_COOKIE, session.sessionId, { ...cookie, httpOnly: true });
      setCookie(c, CSRF_COOKIE, session.csrfToken, { ...cookie, httpOnly: false });
      const resolved = await services.auth.resolveSession(session.sessionId);
      return c.json(await services.auth.me(resolved!.actor, session.csrfToken), 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      rule: 'authenticated',
      tags: ['auth'],
      summary: 'End the current session',
      responses: noContentResponses(),
    }),
    async (c) => {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) await services.auth.logout(sessionId);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      deleteCookie(c, CSRF_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/me',
      rule: 'authenticated',
      tags: ['auth'],
      summary: 'Who is signed in, with permissions',
      responses: jsonResponses(200, ZMe),
    }),
    async (c) => c.json(await services.auth.me(actorOf(c), c.get('sessionCsrf')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/me',
      rule: 'authenticated',
      tags: ['auth'],
      summary: 'Change own name, language or password',
      request: { body: jsonBody(ZUpdateMeRequest) },
      responses: jsonResponses(200, ZMe),
    }),
    async (c) => {
      const actor = actorOf(c);
      const input = c.req.valid('json');
      if (actor.kind !== 'user') throw new AppError('FORBIDDEN', 'API tokens have no profile');
      if (input.newPassword)
        await services.auth.changeOwnPassword(actor, input.currentPassword, input.newPassword);
      if (input.name !== undefined || input.locale !== undefined) {
        await services.users.updateOwnProfile(actor, { name: input.name, locale: input.locale });
      }
      return c.json(await services.auth.me(actor, c.get('sessionCsrf')), 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/api-tokens',
      rule: 'token.manage',
      tags: ['auth'],
      summary: 'Create an API token bound to a role; the token is shown once',
      request: { body: jsonBody(ZCreateApiTokenRequest) },
      responses: jsonResponses(201, ZCreatedApiToken),
    }),
    async (c) => c.json(await services.auth.createToken(actorOf(c), c.req.valid('json')), 201),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/api-tokens',
      rule: 'token.manage',
      tags: ['auth'],
      summary: 'List API tokens (never their secrets)',
      responses: jsonResponses(200, z.object({ items: z.array(ZApiToken), nextCursor: z.null() })),
    }),
    async (c) => c.json({ items: await services.auth.listTokens(actorOf(c)), nextCursor: null }, 200),
  );

  api.openapi(
    defineRoute({
      method: 'delete',
      path: '/api-tokens/{id}',
      rule: 'token.manage',
      tags: ['auth'],
      summary: 'Revoke an API token',
      request: { params: ZIdParam },
      responses: noContentResponses(),
    }),
    async (c) => {
      await services.auth.revokeToken(actorOf(c), parseId(c.req.valid('param').id, 'TOKEN_NOT_FOUND'));
      return c.body(null, 204);
    },
  );
};
