import type { OpenAPIHono } from '@hono/zod-openapi';
import { ZPage } from '../../../shared/schemas/common.ts';
import {
  ZContact,
  ZContactDetail,
  ZContactListQuery,
  ZCreateContactRequest,
  ZMergeContactsRequest,
  ZUpdateContactRequest,
} from '../../../shared/schemas/contacts.ts';
import { actorOf } from '../../http/context.ts';
import { defineRoute, jsonBody, jsonResponses, parseId, parseIfMatch, ZIdParam } from '../../http/route.ts';
import type { TAppEnv } from '../../http/types.ts';
import type { TServices } from '../../services.ts';

const contactId = (raw: string) => parseId(raw, 'CONTACT_NOT_FOUND');

export const registerContactRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices) => {
  api.openapi(
    defineRoute({
      method: 'get',
      path: '/contacts',
      rule: 'contact.read',
      tags: ['contacts'],
      summary: 'List or look up contacts by name, email or phone',
      request: { query: ZContactListQuery },
      responses: jsonResponses(200, ZPage(ZContact)),
    }),
    async (c) => c.json(await services.contacts.list(actorOf(c), c.req.valid('query')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/contacts',
      rule: 'contact.write',
      tags: ['contacts'],
      request: { body: jsonBody(ZCreateContactRequest) },
      responses: jsonResponses(201, ZContact),
    }),
    async (c) => c.json(await services.contacts.create(actorOf(c), c.req.valid('json')), 201),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/contacts/{id}',
      rule: 'contact.read',
      tags: ['contacts'],
      summary: 'A contact with identities, bookings and tickets on every channel',
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZContactDetail),
    }),
    async (c) => c.json(await services.contacts.get(actorOf(c), contactId(c.req.valid('param').id)), 200),
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/contacts/{id}',
      rule: 'contact.write',
      tags: ['contacts'],
      request: { params: ZIdParam, body: jsonBody(ZUpdateContactRequest) },
      responses: jsonResponses(200, ZContact),
    }),
    async (c) =>
      c.json(
        await services.contacts.update(
          actorOf(c),
          contactId(c.req.valid('param').id),
          c.req.valid('json'),
          parseIfMatch(c.req.header('if-match')),
        ),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/contacts/{id}/merge',
      rule: 'contact.merge',
      tags: ['contacts'],
      summary: 'Merge sourceId into this contact: identities, tickets and bookings move',
      request: { params: ZIdParam, body: jsonBody(ZMergeContactsRequest) },
      responses: jsonResponses(200, ZContact),
    }),
    async (c) =>
      c.json(
        await services.contacts.merge(
          actorOf(c),
          contactId(c.req.valid('param').id),
          c.req.valid('json').sourceId,
        ),
        200,
      ),
  );
};
