import type { OpenAPIHono } from '@hono/zod-openapi';
import { ZPage } from '../../../shared/schemas/common.ts';
import {
  ZQuarantineItem,
  ZQuarantineListQuery,
  ZQuarantineRetryResult,
} from '../../../shared/schemas/email-quarantine.ts';
import { actorOf } from '../../http/context.ts';
import { defineRoute, jsonResponses, parseId, ZIdParam } from '../../http/route.ts';
import type { TAppEnv } from '../../http/types.ts';
import type { TServices } from '../../services.ts';

/** The inbound email quarantine: what could not be parsed or stored, for an admin to retry or discard. */
export const registerQuarantineRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices) => {
  api.openapi(
    defineRoute({
      method: 'get',
      path: '/email/quarantine',
      rule: 'mailbox.manage',
      tags: ['email'],
      summary: 'Inbound emails held in quarantine, newest first',
      request: { query: ZQuarantineListQuery },
      responses: jsonResponses(200, ZPage(ZQuarantineItem)),
    }),
    async (c) => c.json(await services.inboundEmail.listQuarantine(actorOf(c), c.req.valid('query')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/email/quarantine/{id}/retry',
      rule: 'mailbox.manage',
      tags: ['email'],
      summary: 'Ingest a held email again from its raw source',
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZQuarantineRetryResult),
    }),
    async (c) =>
      c.json(
        await services.inboundEmail.retryQuarantine(
          actorOf(c),
          parseId(c.req.valid('param').id, 'QUARANTINE_NOT_FOUND'),
        ),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/email/quarantine/{id}/discard',
      rule: 'mailbox.manage',
      tags: ['email'],
      summary: 'Give up on a held email (its raw source stays stored)',
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZQuarantineItem),
    }),
    async (c) =>
      c.json(
        await services.inboundEmail.discardQuarantine(
          actorOf(c),
          parseId(c.req.valid('param').id, 'QUARANTINE_NOT_FOUND'),
        ),
        200,
      ),
  );
};
