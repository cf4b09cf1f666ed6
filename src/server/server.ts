import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { createApp, type TApp } from './app.ts';
import { bootstrapWorkspace, type TBootstrapResult } from './bootstrap.ts';
import type { TConfig } from './config.ts';
import { openDatabase, type TDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
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

  await app.hub.start();
  if (config.role !== 'web') queue.start();

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
  const port = server ? (server.address() as AddressInfo).port : 0;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    database,
    bootstrap,
    close: () => {
      closing ??= (async () => {
        // Stop accepting first; requests in flight finish (up to a grace period) before the database closes.
        const drained = server ? drain(server) : Promise.resolve();
        await app.hub.stop();
        await drained;
        await queue.stop();
        await database.close();
      })();
      return closing;
    },
  };
};
