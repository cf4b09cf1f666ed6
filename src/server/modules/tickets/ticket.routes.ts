import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { ZCursor, ZLimit, ZPage } from '../../../shared/schemas/common.ts';
import { ZTicketPresence } from '../../../shared/schemas/realtime.ts';
import {
  ZBulkUpdateTicketsRequest,
  ZBulkUpdateTicketsResponse,
  ZCreateMessageRequest,
  ZCreateTicketRequest,
  ZLinkTicketRequest,
  ZMergeTicketRequest,
  ZMessage,
  ZSearchQuery,
  ZSearchResponse,
  ZTicket,
  ZTicketDetail,
  ZTicketEvent,
  ZTicketListQuery,
  ZUpdateTicketRequest,
} from '../../../shared/schemas/tickets.ts';
import { actorOf } from '../../http/context.ts';
import { defineRoute, jsonBody, jsonResponses, parseId, parseIfMatch, ZIdParam } from '../../http/route.ts';
import type { TAppEnv } from '../../http/types.ts';
import type { TServices } from '../../services.ts';

const ticketId = (raw: string) => parseId(raw, 'TICKET_NOT_FOUND');

/** Tickets, their messages, events, merges and links; attachments; full-text search. */
export const registerTicketRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices) => {
  api.openapi(
    defineRoute({
      method: 'get',
      path: '/tickets',
      rule: 'ticket.read',
      tags: ['tickets'],
      summary: 'Inbox: filter, sort (newest activity first by default), cursor pagination',
      request: { query: ZTicketListQuery },
      responses: jsonResponses(200, ZPage(ZTicket)),
    }),
    async (c) => c.json(await services.tickets.list(actorOf(c), c.req.valid('query')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/tickets',
      rule: 'ticket.create',
      tags: ['tickets'],
      summary: 'Create a ticket; an unknown requester identity creates the contact',
      request: { body: jsonBody(ZCreateTicketRequest) },
      responses: jsonResponses(201, ZTicketDetail),
    }),
    async (c) => {
      const ticket = await services.tickets.create(actorOf(c), c.req.valid('json'));
      c.header('ETag', `"${ticket.version}"`);
      return c.json(ticket, 201);
    },
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/tickets/bulk',
      rule: 'ticket.update',
      tags: ['tickets'],
      summary: 'Apply one change to up to 200 tickets; each goes through PATCH rules and answers on its own',
      request: { body: jsonBody(ZBulkUpdateTicketsRequest) },
      responses: jsonResponses(200, ZBulkUpdateTicketsResponse),
    }),
    async (c) => c.json(await services.tickets.bulkUpdate(actorOf(c), c.req.valid('json')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/tickets/{id}',
      rule: 'ticket.read',
      tags: ['tickets'],
      summary: 'One ticket with requester summary and bookings',
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZTicketDetail),
    }),
    async (c) => {
      const ticket = await services.tickets.get(actorOf(c), ticketId(c.req.valid('param').id));
      c.header('ETag', `"${ticket.version}"`);
      return c.json(ticket, 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'patch',
      path: '/tickets/{id}',
      rule: 'ticket.update',
      tags: ['tickets'],
      summary: 'Change properties; send If-Match: <version> to refuse stale edits with 409',
      request: { params: ZIdParam, body: jsonBody(ZUpdateTicketRequest) },
      responses: jsonResponses(200, ZTicketDetail),
    }),
    async (c) => {
      const ticket = await services.tickets.update(
        actorOf(c),
        ticketId(c.req.valid('param').id),
        c.req.valid('json'),
        parseIfMatch(c.req.header('if-match')),
      );
      c.header('ETag', `"${ticket.version}"`);
      return c.json(ticket, 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/tickets/{id}/presence',
      rule: 'ticket.read',
      tags: ['tickets'],
      summary: 'Who has the ticket open now; updates follow on /api/v1/stream as presence messages',
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZTicketPresence),
    }),
    async (c) =>
      c.json(await services.tickets.presenceOf(actorOf(c), ticketId(c.req.valid('param').id)), 200),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/tickets/{id}/messages',
      rule: 'ticket.read',
      tags: ['tickets'],
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZPage(ZMessage)),
    }),
    async (c) =>
      c.json(await services.tickets.listMessages(actorOf(c), ticketId(c.req.valid('param').id)), 200),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/tickets/{id}/messages',
      rule: 'ticket.note',
      tags: ['tickets'],
      summary: 'Public reply (kind=reply, needs ticket.reply) or internal note (kind=note)',
      request: { params: ZIdParam, body: jsonBody(ZCreateMessageRequest) },
      responses: jsonResponses(201, ZMessage),
    }),
    async (c) => {
      const { message } = await services.tickets.addMessage(
        actorOf(c),
        ticketId(c.req.valid('param').id),
        c.req.valid('json'),
      );
      return c.json(message, 201);
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/tickets/{id}/events',
      rule: 'ticket.read',
      tags: ['tickets'],
      summary: 'Append-only history of the ticket',
      request: { params: ZIdParam, query: z.object({ limit: ZLimit.default(200), cursor: ZCursor }) },
      responses: jsonResponses(200, ZPage(ZTicketEvent)),
    }),
    async (c) =>
      c.json(
        await services.tickets.listEvents(
          actorOf(c),
          ticketId(c.req.valid('param').id),
          c.req.valid('query'),
        ),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/tickets/{id}/merge',
      rule: 'ticket.merge',
      tags: ['tickets'],
      summary: 'Merge this ticket into targetId: messages move, this one closes as merged',
      request: { params: ZIdParam, body: jsonBody(ZMergeTicketRequest) },
      responses: jsonResponses(200, ZTicketDetail),
    }),
    async (c) =>
      c.json(
        await services.tickets.merge(
          actorOf(c),
          ticketId(c.req.valid('param').id),
          c.req.valid('json').targetId,
        ),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'post',
      path: '/tickets/{id}/links',
      rule: 'ticket.update',
      tags: ['tickets'],
      summary: 'Link two tickets (related, follow_up, duplicate)',
      request: { params: ZIdParam, body: jsonBody(ZLinkTicketRequest) },
      responses: jsonResponses(200, ZTicketDetail),
    }),
    async (c) => {
      const { targetId, kind } = c.req.valid('json');
      return c.json(
        await services.tickets.link(actorOf(c), ticketId(c.req.valid('param').id), targetId, kind),
        200,
      );
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/attachments/{id}',
      rule: 'ticket.read',
      tags: ['tickets'],
      summary: 'Download an attachment',
      request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 200: { description: 'The file' }, 404: { description: 'Not found' } },
    }),
    async (c) => {
      const file = await services.tickets.attachment(actorOf(c), c.req.valid('param').id);
      const safeType = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/.test(file.contentType)
        ? file.contentType
        : 'application/octet-stream';
      return c.body(new Uint8Array(file.bytes), 200, {
        'Content-Type': safeType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'X-Content-Type-Options': 'nosniff',
      });
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/search',
      rule: 'search',
      tags: ['search'],
      summary: 'Ranked full-text search over tickets, messages and contacts (Russian and English)',
      request: { query: ZSearchQuery },
      responses: jsonResponses(200, ZSearchResponse),
    }),
    async (c) => {
      const { q, limit, type } = c.req.valid('query');
      return c.json(await services.search.search(actorOf(c), q, limit, type), 200);
    },
  );
};
