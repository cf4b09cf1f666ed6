import pg from 'pg';
import type { TDatabase } from '../db/database.ts';
import type { TLogger } from '../logger.ts';

/**
 * A node's exclusive right to run one long-lived worker (an IMAP session for one mailbox). On
 * PostgreSQL it is a session advisory lock held by a dedicated connection: the server drops it
 * the moment that connection dies, so a crashed node's work is taken over within one claim round.
 */
export type TLease = {
  /** Aborted when the lease is lost (its connection broke) or released. */
  readonly signal: AbortSignal;
  release: () => Promise<void>;
};

export type TLeases = {
  /** The lease on (scope, id), or null while another node (or this one) holds it. */
  tryAcquire: (scope: number, id: number) => Promise<TLease | null>;
  /** Releases every lease and closes the lock connection. */
  close: () => Promise<void>;
};

export type TLeasesOptions = {
  database: TDatabase;
  /** The PostgreSQL URL; without one (PGlite) there is one node and leases stay in-process. */
  databaseUrl: string | undefined;
  logger: TLogger;
  /** How often the lock connection is checked; a check unanswered for as long drops every lease. */
  heartbeatMs?: number;
};

type THeld = { controller: AbortController };

const keyOf = (scope: number, id: number) => `${scope}:${id}`;

/** One process is one node: a Map is the lock table. */
const createLocalLeases = (): TLeases => {
  const held = new Map<string, THeld>();
  return {
    tryAcquire: async (scope, id) => {
      const key = keyOf(scope, id);
      if (held.has(key)) return null;
      const controller = new AbortController();
      held.set(key, { controller });
      return {
        signal: controller.signal,
        release: async () => {
          if (held.get(key)?.controller === controller) held.delete(key);
          controller.abort();
        },
      };
    },
    close: async () => {
      for (const { controller } of held.values()) controller.abort();
      held.clear();
    },
  };
};

const createAdvisoryLeases = (url: string, logger: TLogger, heartbeatMs: number): TLeases => {
  const log = logger.child({ component: 'leases' });
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let isClosed = false;
  const held = new Map<string, THeld>();
  /** One query at a time on the lock connection (pg would queue them, with a deprecation warning). */
  let queue: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(conn: pg.Client, text: string, values?: unknown[]) => {
    const run = queue.then(() => conn.query<R>(text, values));
    queue = run.catch(() => undefined);
    return run;
  };

  /** The connection is gone or doubtful: every lock it held is (or soon will be) released by the server. */
  const drop = (reason: string, error?: unknown) => {
    const lost = client;
    client = undefined;
    clearInterval(heartbeat);
    heartbeat = undefined;
    if (held.size > 0) log.warn({ err: error, leases: [...held.keys()] }, `leases lost: ${reason}`);
    for (const { controller } of held.values()) controller.abort();
    held.clear();
    lost?.end().catch(() => undefined);
  };

  const connect = async (): Promise<pg.Client> => {
    if (client) return client;
    connecting ??= (async () => {
      const next = new pg.Client({
        connectionString: url,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
        query_timeout: heartbeatMs,
        application_name: 'tourdesk-leases',
      });
      next.on('error', (error) => {
        if (client === next) drop('lock connection failed', error);
      });
      next.on('end', () => {
        if (client === next) drop('lock connection ended');
      });
      await next.connect();
      client = next;
      heartbeat = setInterval(() => {
        query(next, 'SELECT 1').catch((error: unknown) => {
          if (client === next) drop('lock connection did not answer', error);
        });
      }, heartbeatMs);
      heartbeat.unref();
      return next;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    tryAcquire: async (scope, id) => {
      if (isClosed) return null;
      const key = keyOf(scope, id);
      if (held.has(key)) return null;
      const conn = await connect();
      let isLocked: boolean;
      try {
        const result = await query<{ ok: boolean }>(conn, 'SELECT pg_try_advisory_lock($1, $2) AS ok', [
          scope,
          id,
        ]);
        isLocked = result.rows[0]?.ok === true;
      } catch (error) {
        // A timed-out try may still have locked on the server, for nobody: only closing the session frees it.
        if (client === conn) drop('lock query failed', error);
        throw error;
      }
      if (!isLocked) return null;
      if (client !== conn || held.has(key)) {
        // The connection broke meanwhile (its locks with it), or a concurrent call got it first
        // on this same session (advisory locks stack per session): take back our level.
        if (client === conn) await query(conn, 'SELECT pg_advisory_unlock($1, $2)', [scope, id]);
        return null;
      }
      const controller = new AbortController();
      held.set(key, { controller });
      return {
        signal: controller.signal,
        release: async () => {
          if (held.get(key)?.controller !== controller) return;
          held.delete(key);
          controller.abort();
          try {
            await query(conn, 'SELECT pg_advisory_unlock($1, $2)', [scope, id]);
          } catch (error) {
            // Unsure whether the lock is gone: closing the connection is the one sure release.
            if (client === conn) drop('unlock failed', error);
          }
        },
      };
    },
    close: async () => {
      isClosed = true;
      await connecting?.catch(() => undefined);
      const conn = client;
      client = undefined;
      clearInterval(heartbeat);
      for (const { controller } of held.values()) controller.abort();
      held.clear();
      await conn?.end().catch(() => undefined);
    },
  };
};

/** Advisory-lock leases on PostgreSQL, in-process ones on PGlite (one process is the only node). */
export const createLeases = (options: TLeasesOptions): TLeases =>
  options.database.kind === 'postgres' && options.databaseUrl
    ? createAdvisoryLeases(options.databaseUrl, options.logger, options.heartbeatMs ?? 10_000)
    : createLocalLeases();
