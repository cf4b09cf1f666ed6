import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { createApp, type TApp } from './app.ts';
import { bootstrapWorkspace, type TBootstrapResult } from './bootstrap.ts';
import { createImapFetcher, type TImapFetcher } from './channels/email/imap-fetcher.ts';
import { startSmtpListener, type TSmtpListener } from './channels/email/smtp-listener.ts';
import type { TConfig } from './config.ts';
import { openDatabase, type TDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLeases } from './jobs/lease.ts';
import { JobQueue } from './jobs/queue.ts';
import { registerJobs } from './jobs/registry.ts';
import { loadSecrets } from './lib/secrets.ts';
import { createDiskStorage } from './lib/storage.ts';
import type { TLogger } from './logger.ts';
import { STREAM_PATH } from './realtime/hub.ts';

/** How long close() lets requests in flight finish before cutting their connections. */
const DRAIN_GRACE_MS = 10_000;

/** Closes the listener and idle keep-alive sockets now, busy ones once their response is sent. */
const drain = (server: ServerType): Promise<void> =>
  new Promise<void>((resolve) => {
    const http = server as ServerType & {
      closeIdleConnections?: () => void;
      closeAllConnections?: () => void;
    };
    const cut = setTimeout(() => http.closeAllConnections?.(), DRAIN_GRACE_MS);
    // A keep-alive socket turns idle once its response is sent; close it then, not after keepAliveTimeout.
    const sweep = setInterval(() => http.closeIdleConnections?.(), 50);
    server.close(() => {
      clearTimeout(cut);
      clearInterval(sweep);
      resolve();
    });
    http.closeIdleConnections?.();
  });

export type TRunningServer = {
  url: string;
  port: number;
  app: TApp;
  database: TDatabase;
  bootstrap: TBootstrapResult;
  /** The IMAP mailboxes this node fetches; undefined on a web-only node. */
  imap: TImapFetcher | undefined;
  /** The built-in SMTP listener; undefined when TOURDESK_SMTP_PORT=0 or on a worker-only node. */
  smtp: TSmtpListener | undefined;
  close: () => Promise<void>;
};

/** Config → database → migrate → app → workers → listen. Used by main.ts and by tests. */
export const startServer = async (config: TConfig, logger: TLogger): Promise<TRunningServer> => {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const storage = createDiskStorage(path.resolve(config.dataDir, 'attachments'));
  const queue = new JobQueue({ database, logger });
  const secrets = await loadSecrets(database, config.secretKey, logger);
  const app = createApp({ database, config, logger, storage, queue, secrets });
  registerJobs(queue, app.services);
  const bootstrap = await bootstrapWorkspace({ config, database, services: app.services, logger });

  // IMAP sessions are singletons per mailbox across nodes: each holds its mailbox's lease.
  const leases = createLeases({ database, databaseUrl: config.databaseUrl, logger });
  const imap =
    config.role === 'web'
      ? undefined
      : createImapFetcher({
          database,
          logger,
          secrets,
          leases,
          listMailboxes: () => app.services.mailboxes.listActive(database.db),
          ingest: (input) => app.services.inboundEmail.ingest(input),
          pollMs: config.imap.pollSeconds * 1000,
        });

  await app.hub.start();
  if (config.role !== 'web') queue.start();
  imap?.start();

  let server: ServerType | undefined;
  if (config.role !== 'worker') {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    });
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname === STREAM_PATH) {
        void app.hub.handleUpgrade(req, socket, head);
      } else {
        socket.destroy();
      }
    });
  }
  // Inbound mail is a listener like HTTP: web nodes take it, a worker-only node does not.
  const smtp =
    config.role !== 'worker' && config.smtp.port > 0
      ? await startSmtpListener({ config: config.smtp, intake: app.services.inboundEmail, logger })
      : undefined;
  const port = server ? (server.address() as AddressInfo).port : 0;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    database,
    bootstrap,
    imap,
    smtp,
    close: () => {
      closing ??= (async () => {
        // Stop accepting first; requests in flight finish (up to a grace period) before the database closes.
        const drained = server ? drain(server) : Promise.resolve();
        // SMTP answers what it has committed (250) before the database goes.
        const smtpClosed = smtp?.close() ?? Promise.resolve();
        await app.hub.stop();
        await drained;
        await smtpClosed;
        // An ingest in flight commits before the database closes; the leases go with the sessions.
        await imap?.stop();
        await leases.close();
        await queue.stop();
        await database.close();
      })();
      return closing;
    },
  };
};
