import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { swaggerUI } from '@hono/swagger-ui';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { parse as parseCookies } from 'hono/utils/cookie';
import { AppError } from '../shared/errors.ts';
import type { TActor } from './access/access.ts';
import { registerQuarantineRoutes } from './channels/email/quarantine.routes.ts';
import type { TConfig } from './config.ts';
import type { TDatabase } from './db/database.ts';
import { authenticate } from './http/auth.middleware.ts';
import { createErrorHandler, errorBody, validationError } from './http/error-handler.ts';
import { defineRoute, jsonResponses } from './http/route.ts';
import type { TAppEnv } from './http/types.ts';
import { serveWebApp } from './http/web.ts';
import type { JobQueue } from './jobs/queue.ts';
import { createSecrets, type TSecrets } from './lib/secrets.ts';
import type { TStorage } from './lib/storage.ts';
import type { TLogger } from './logger.ts';
import { registerAuthRoutes, SESSION_COOKIE } from './modules/auth/auth.routes.ts';
import { registerContactRoutes } from './modules/contacts/contact.routes.ts';
import { registerMailboxRoutes } from './modules/mailboxes/mailbox.routes.ts';
import { registerMarketplaceRoutes } from './modules/marketplace/marketplace.routes.ts';
import { registerTicketRoutes } from './modules/tickets/ticket.routes.ts';
import { registerUserRoutes } from './modules/users/user.routes.ts';
import { registerViewRoutes } from './modules/views/view.routes.ts';
import { RealtimeHub } from './realtime/hub.ts';
import { createServices, type TServices } from './services.ts';
import { VERSION } from './version.ts';

export type TAppDeps = {
  database: TDatabase;
  config: TConfig;
  logger: TLogger;
  storage: TStorage;
  queue: JobQueue;
  clock?: () => Date;
  /** Encryption and signing keys; without them, a key made up for this process (tests). */
  secrets?: TSecrets;
  /** The built web app; defaults to dist/web. */
  webDir?: string;
};

const newApi = () =>
  new OpenAPIHono<TAppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });

/** Builds the Hono app and everything behind it; main.ts serves it, tests call app.request(). */
export const createApp = (deps: TAppDeps) => {
  const { database, config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  let services: TServices | undefined;
  const hub = new RealtimeHub({
    database,
    logger,
    authenticate: (req) => authenticateUpgrade(services!, req),
    loadEvents: (actor, ids) => services!.tickets.eventsVisibleTo(actor, ids),
    canSeeTicket: (actor, ticketId) => services!.tickets.isVisibleTo(actor, ticketId),
  });
  const secrets = deps.secrets ?? createSecrets(config.secretKey ?? randomUUID());
  services = createServices({ ...deps, clock, realtime: hub, secrets });

  const app = new OpenAPIHono<TAppEnv>();
  app.onError(createErrorHandler(logger));
  app.notFound((c) =>
    c.json(errorBody(new AppError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`)), 404),
  );

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    logger.debug(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        throw new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than ${config.maxBodyBytes} bytes`);
      },
    }),
  );
  app.use('/api/v1/*', authenticate(services));

  const api = newApi();
  api.openapi(
    defineRoute({
      method: 'get',
      path: '/health',
      rule: 'public',
      tags: ['operations'],
      summary: 'Liveness and database kind',
      responses: jsonResponses(
        200,
        z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() }),
      ),
    }),
    async (c) => {
      await services.settings.current();
      return c.json({ status: 'ok' as const, database: database.kind, version: VERSION }, 200);
    },
  );
  registerAuthRoutes(api, services, config);
  registerUserRoutes(api, services);
  registerTicketRoutes(api, services);
  registerContactRoutes(api, services);
  registerMarketplaceRoutes(api, services);
  registerViewRoutes(api, services);
  registerMailboxRoutes(api, services);
  registerQuarantineRoutes(api, services);
  app.route('/api/v1', api);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'tourdesk API',
      version: VERSION,
      description: 'Customer care for a marketplace of authored tours',
    },
  });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));
  serveWebApp(app, deps.webDir);

  return { app, services, hub };
};

export type TApp = ReturnType<typeof createApp>;

/** The actor of a WebSocket upgrade: session cookie, or bearer token in the header or ?token=. */
const authenticateUpgrade = async (services: TServices, req: IncomingMessage): Promise<TActor | null> => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const bearer =
    /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('token');
  if (bearer) return services.auth.resolveToken(bearer);
  const sessionId = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  if (!sessionId) return null;
  return (await services.auth.resolveSession(sessionId))?.actor ?? null;
};
