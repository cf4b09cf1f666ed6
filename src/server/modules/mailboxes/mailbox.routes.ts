import type { OpenAPIHono } from '@hono/zod-openapi';
import { ZPage } from '../../../shared/schemas/common.ts';
import {
  ZCreateMailboxRequest,
  ZMailbox,
  ZMailboxTestResult,
  ZTestMailboxRequest,
  ZUpdateMailboxRequest,
} from '../../../shared/schemas/mailboxes.ts';
import { actorOf } from '../../http/context.ts';
import {
  defineRoute,
  jsonBody,
  jsonResponses,
  noContentResponses,
  parseId,
  parseIfMatch,
  ZIdParam,
} from '../../http/route.ts';
import type { TAppEnv } from '../../http/types.ts';
import type { TServices } from '../../services.ts';

const mailboxId = (raw: string) => parseId(raw, 'MAILBOX_NOT_FOUND');

/** Email mailboxes (admin): addresses, inbound and outbound servers, signature, auto-acknowledgement. */
export const registerMailboxRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices) => {
  api.openapi(
    defineRoute({
      method: 'get',
      path: '/mailboxes',
      rule: 'mailbox.manage',
      tags: ['mailboxes'],
      summary: 'Every mailbox, deactivated ones included; passwords are never returned',
      responses: jsonResponses(200, ZPage(ZMailbox)),
    }),
    async (c) => c.json({ items: await services.mailboxes.list(actorOf(c)), nextCursor: null }, 200),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/mailboxes',
      rule: 'mailbox.manage',
      tags: ['mailboxes'],
      summary: 'Add a mailbox; passwords are stored encrypted with the master key',
      request: { body: jsonBody(ZCreateMailboxRequest) },
      responses: jsonResponses(201, ZMailbox),
    }),
    async (c) => {
      const mailbox = await services.mailboxes.create(actorOf(c), c.req.valid('json'));
      c.header('ETag', `"${mailbox.version}"`);
      return c.json(mailbox, 201);
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/mailboxes/{id}',
      rule: 'mailbox.manage',
      tags: ['mailboxes'],
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZMailbox),
    }),
    async (c) => {
      const mailbox = await services.mailboxes.get(actorOf(c), mailboxId(c.req.valid('param').id));
      c.header('ETag', `"${mailbox.version}"`);
      return c.json(mailbox, 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/mailboxes/{id}',
      rule: 'mailbox.manage',
      tags: ['mailboxes'],
      summary:
        'Change a mailbox; inbound/outbound are replaced whole but a left-out password is kept; If-Match: <version>',
      request: { params: ZIdParam, body: jsonBody(ZUpdateMailboxRequest) },
      responses: jsonResponses(200, ZMailbox),
    }),
    async (c) => {
      const mailbox = await services.mailboxes.update(
        actorOf(c),
        mailboxId(c.req.valid('param').id),
        c.req.valid('json'),
        parseIfMatch(c.req.header('if-match')),
      );
      c.header('ETag', `"${mailbox.version}"`);
      return c.json(mailbox, 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'delete',
      path: '/mailboxes/{id}',
      rule: 'mailbox.manage',
      tags: ['mailboxes'],
      summary: 'Deactivate a mailbox (its mail stays; PATCH isActive=true turns it back on)',
      request: { params: ZIdParam },
      responses: noContentResponses(),
    }),
    async (c) => {
      await services.mailboxes.deactivate(actorOf(c), mailboxId(c.req.valid('param').id));
      return c.body(null, 204);
    },
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/mailboxes/{id}/test',
      rule: 'mailbox.manage',
      tags: ['mailboxes'],
      summary:
        'Check the outbound SMTP server (connect, greet, log in): the stored settings, or those in the body',
      request: {
        params: ZIdParam,
        body: { required: false, content: { 'application/json': { schema: ZTestMailboxRequest } } },
      },
      responses: jsonResponses(200, ZMailboxTestResult),
    }),
    async (c) =>
      c.json(
        await services.mailboxes.test(
          actorOf(c),
          mailboxId(c.req.valid('param').id),
          c.req.valid('json') ?? {},
        ),
        200,
      ),
  );
};
