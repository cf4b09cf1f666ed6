import type { OpenAPIHono } from '@hono/zod-openapi';
import { ZPage } from '../../../shared/schemas/common.ts';
import { ZBooking } from '../../../shared/schemas/contacts.ts';
import {
  ZBookingListQuery,
  ZMarketplaceSyncRequest,
  ZMarketplaceSyncResponse,
  ZTour,
  ZTourListQuery,
} from '../../../shared/schemas/marketplace.ts';
import { actorOf } from '../../http/context.ts';
import { defineRoute, jsonBody, jsonResponses, parseId, ZIdParam } from '../../http/route.ts';
import type { TAppEnv } from '../../http/types.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import type { TServices } from '../../services.ts';

export const registerMarketplaceRoutes = (api: OpenAPIHono<TAppEnv>, services: TServices) => {
  api.openapi(
    defineRoute({
      method: 'post',
      path: '/marketplace/sync',
      rule: 'marketplace.sync',
      tags: ['marketplace'],
      summary: 'Upsert organizers, travelers, tours, departures and bookings by external id (idempotent)',
      request: { body: jsonBody(ZMarketplaceSyncRequest) },
      responses: jsonResponses(200, ZMarketplaceSyncResponse),
    }),
    async (c) => c.json(await services.marketplace.sync(actorOf(c), c.req.valid('json')), 200),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/tours',
      rule: 'marketplace.read',
      tags: ['marketplace'],
      request: { query: ZTourListQuery },
      responses: jsonResponses(200, ZPage(ZTour)),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const [afterId] = (decodeCursor(q.cursor, 1) ?? []) as number[];
      return c.json(await services.marketplace.listTours(actorOf(c), { ...q, afterId }), 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/tours/{id}',
      rule: 'marketplace.read',
      tags: ['marketplace'],
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZTour),
    }),
    async (c) =>
      c.json(
        await services.marketplace.getTour(actorOf(c), parseId(c.req.valid('param').id, 'TOUR_NOT_FOUND')),
        200,
      ),
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/bookings',
      rule: 'marketplace.read',
      tags: ['marketplace'],
      request: { query: ZBookingListQuery },
      responses: jsonResponses(200, ZPage(ZBooking)),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const [afterId] = (decodeCursor(q.cursor, 1) ?? []) as number[];
      return c.json(await services.marketplace.listBookings(actorOf(c), { ...q, afterId }), 200);
    },
  );

  api.openapi(
    defineRoute({
      method: 'get',
      path: '/bookings/{id}',
      rule: 'marketplace.read',
      tags: ['marketplace'],
      request: { params: ZIdParam },
      responses: jsonResponses(200, ZBooking),
    }),
    async (c) =>
      c.json(
        await services.marketplace.getBooking(
          actorOf(c),
          parseId(c.req.valid('param').id, 'BOOKING_NOT_FOUND'),
        ),
        200,
      ),
  );
};
