import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool.ts';
import type { DB } from './types.ts';

// int8 (counts, bigint ids) as JS numbers, like PGlite returns them; numeric as number too.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// date stays the calendar string 'YYYY-MM-DD' on both drivers: no time zone can shift it.
pg.types.setTypeParser(1082, (v) => v);

export type TDatabaseKind = 'pglite' | 'postgres';

export type TNotificationHandler = (payload: string) => void;

export type TDatabase = {
  kind: TDatabaseKind;
  db: Kysely<DB>;
  /** Runs SQL that may hold several statements and no parameters (migrations). */
  exec: (sql: string) => Promise<void>;
  /** Subscribes to a NOTIFY channel; on PGlite there is one node, so notifications stay in-process. */
  listen: (channel: string, handler: TNotificationHandler) => Promise<() => Promise<void>>;
  notify: (channel: string, payload: string) => Promise<void>;
  close: () => Promise<void>;
};

export type TDatabaseOptions = { databaseUrl?: string; dataDir?: string; poolSize?: number };

/** Opens PGlite in dataDir (or in memory when dataDir is 'memory://') or PostgreSQL at databaseUrl. */
export const openDatabase = async (options: TDatabaseOptions): Promise<TDatabase> =>
  options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPGlite(options.dataDir ?? './data');

const openPGlite = async (dataDir: string): Promise<TDatabase> => {
  const dir = dataDir.startsWith('memory://') ? undefined : path.resolve(dataDir, 'pgdata');
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir, {
    parsers: { 1082: (v: string) => v, 1700: (v: string) => Number(v), 20: (v: string) => Number(v) },
  });
  const pool = new PGlitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  const listeners = new Map<string, Set<TNotificationHandler>>();
  return {
    kind: 'pglite',
    db,
    exec: async (sql) => {
      const client = await pool.connect();
      try {
        await pglite.exec(sql);
      } finally {
        client.release();
      }
    },
    listen: async (channel, handler) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(handler);
      listeners.set(channel, set);
      return async () => {
        set.delete(handler);
      };
    },
    notify: async (channel, payload) => {
      for (const handler of listeners.get(channel) ?? []) handler(payload);
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
};

const openPostgres = async (url: string, poolSize: number): Promise<TDatabase> => {
  // JIT compilation costs more than it saves on short OLTP queries (it added ~250 ms to a search).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' });
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listenClients: pg.Client[] = [];
  return {
    kind: 'postgres',
    db,
    exec: async (sql) => {
      await pool.query(sql);
    },
    listen: async (channel, handler) => {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) handler(msg.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listenClients.push(client);
      return async () => {
        listenClients.splice(listenClients.indexOf(client), 1);
        await client.end().catch(() => undefined);
      };
    },
    notify: async (channel, payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: async () => {
      await Promise.all(listenClients.map((c) => c.end().catch(() => undefined)));
      await db.destroy();
    },
  };
};
