import type { OpenAPIHono } from '@hono/zod-openapi';
import { ZCreateViewRequest, ZUpdateViewRequest, ZView, ZViewList } from '../../../shared/schemas/views.ts';
import { actorOf } from '../../http/context.ts';
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

// Saved view ids are row ids; a built-in id such as my-open is simply not a saved view.
const viewId = (raw: string) => parseId(raw, 'VIEW_NOT_FOUND');

/** Inbox views: built-in and personal saved views with live counts. They belong to a person, not a token. */
export const registerViewRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices) => {
  api.openapi(
    defineRoute({
      method: 'get',
      path: '/views',
      rule: 'person',
      tags: ['views'],
      summary: 'Built-in inbox views, then your saved views, each with the number of tickets it lists',
      responses: jsonResponses(200, ZViewList),
    }),
    async (c) => c.json(await services.views.list(actorOf(c)), 200),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/views',
      rule: 'person',
      tags: ['views'],
      summary: 'Save a personal view: a name and the ticket list filters (no cursor or limit)',
      request: { body: jsonBody(ZCreateViewRequest) },
      responses: jsonResponses(201, ZView),
    }),
    async (c) => c.json(await services.views.create(actorOf(c), c.req.valid('json')), 201),
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/views/{id}',
      rule: 'person',
      tags: ['views'],
      summary: 'Rename, refilter or move one of your saved views',
      request: { params: ZIdParam, body: jsonBody(ZUpdateViewRequest) },
      responses: jsonResponses(200, ZView),
    }),
    async (c) =>
      c.json(
        await services.views.update(actorOf(c), viewId(c.req.valid('param').id), c.req.valid('json')),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'delete',
      path: '/views/{id}',
      rule: 'person',
      tags: ['views'],
      summary: 'Delete one of your saved views',
      request: { params: ZIdParam },
      responses: noContentResponses(),
    }),
    async (c) => {
      await services.views.remove(actorOf(c), viewId(c.req.valid('param').id));
      return c.body(null, 204);
    },
  );
};
