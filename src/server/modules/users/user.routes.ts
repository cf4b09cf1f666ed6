import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { USER_ROLES } from '../../../shared/enums.ts';
import {
  ZCreateGroupRequest,
  ZCreateUserRequest,
  ZGroup,
  ZUpdateGroupRequest,
  ZUpdateUserRequest,
  ZUpdateWorkspaceSettingsRequest,
  ZUser,
  ZWorkspaceSettings,
} from '../../../shared/schemas/auth.ts';
import { ZCursor, ZLimit, ZPage } from '../../../shared/schemas/common.ts';
import { actorOf } from '../../http/context.ts';
import { defineRoute, jsonBody, jsonResponses, parseId, parseIfMatch, ZIdParam } from '../../http/route.ts';
import type { TAppEnv } from '../../http/types.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import type { TServices } from '../../services.ts';

/** Users, groups and workspace settings: the admin side of the workspace. */
export const registerUserRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices) => {
  api.openapi(
    defineRoute({
      method: 'get',
      path: '/users',
      rule: 'user.read',
      tags: ['users'],
      request: { query: z.object({ limit: ZLimit, cursor: ZCursor, role: z.enum(USER_ROLES).optional() }) },
      responses: jsonResponses(200, ZPage(ZUser)),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const [afterId] = (decodeCursor(q.cursor, 1) ?? []) as number[];
      return c.json(await services.users.list(actorOf(c), { limit: q.limit, afterId, role: q.role }), 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/users',
      rule: 'user.manage',
      tags: ['users'],
      request: { body: jsonBody(ZCreateUserRequest) },
      responses: jsonResponses(201, ZUser),
    }),
    async (c) => c.json(await services.users.create(actorOf(c), c.req.valid('json')), 201),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/users/{id}',
      rule: 'user.read',
      tags: ['users'],
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZUser),
    }),
    async (c) =>
      c.json(await services.users.get(actorOf(c), parseId(c.req.valid('param').id, 'USER_NOT_FOUND')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/users/{id}',
      rule: 'user.manage',
      tags: ['users'],
      request: { params: ZIdParam, body: jsonBody(ZUpdateUserRequest) },
      responses: jsonResponses(200, ZUser),
    }),
    async (c) =>
      c.json(
        await services.users.update(
          actorOf(c),
          parseId(c.req.valid('param').id, 'USER_NOT_FOUND'),
          c.req.valid('json'),
          parseIfMatch(c.req.header('if-match')),
        ),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/groups',
      rule: 'group.read',
      tags: ['groups'],
      responses: jsonResponses(200, ZPage(ZGroup)),
    }),
    async (c) => c.json({ items: await services.groups.list(actorOf(c)), nextCursor: null }, 200),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/groups',
      rule: 'group.manage',
      tags: ['groups'],
      request: { body: jsonBody(ZCreateGroupRequest) },
      responses: jsonResponses(201, ZGroup),
    }),
    async (c) => c.json(await services.groups.create(actorOf(c), c.req.valid('json')), 201),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/groups/{id}',
      rule: 'group.read',
      tags: ['groups'],
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZGroup),
    }),
    async (c) =>
      c.json(await services.groups.get(actorOf(c), parseId(c.req.valid('param').id, 'GROUP_NOT_FOUND')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/groups/{id}',
      rule: 'group.manage',
      tags: ['groups'],
      request: { params: ZIdParam, body: jsonBody(ZUpdateGroupRequest) },
      responses: jsonResponses(200, ZGroup),
    }),
    async (c) =>
      c.json(
        await services.groups.update(
          actorOf(c),
          parseId(c.req.valid('param').id, 'GROUP_NOT_FOUND'),
          c.req.valid('json'),
          parseIfMatch(c.req.header('if-match')),
        ),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/settings',
      rule: 'settings.read',
      tags: ['settings'],
      responses: jsonResponses(200, ZWorkspaceSettings),
    }),
    async (c) => c.json(await services.settings.get(actorOf(c)), 200),
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/settings',
      rule: 'settings.manage',
      tags: ['settings'],
      request: { body: jsonBody(ZUpdateWorkspaceSettingsRequest) },
      responses: jsonResponses(200, ZWorkspaceSettings),
    }),
    async (c) =>
      c.json(
        await services.settings.update(
          actorOf(c),
          c.req.valid('json'),
          parseIfMatch(c.req.header('if-match')),
        ),
        200,
      ),
  );
};
