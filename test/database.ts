import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type TDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';

/** The server the suite runs against: DATABASE_URL set → PostgreSQL, else PGlite in memory. */
export const serverUrl = (): string | undefined => process.env.DATABASE_URL || undefined;

const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** An empty throw-away database on the PostgreSQL server `base`, for a server under test to migrate. */
export const createEmptyServerDatabase = async (
  base: string,
): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `tourdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(base, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
};

export type TTestDatabase = TDatabase & { url: string | undefined; drop: () => Promise<void> };

/**
 * A fresh, migrated database for one test file: PGlite in memory, or a throw-away
 * database on the PostgreSQL server named by DATABASE_URL.
 */
export const createTestDatabase = async (): Promise<TTestDatabase> => {
  const base = serverUrl();
  if (!base) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    return { ...database, url: undefined, drop: () => database.close() };
  }
  const server = await createEmptyServerDatabase(base);
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 5 });
  await migrate(database);
  return {
    ...database,
    url: server.url,
    drop: async () => {
      await database.close();
      await server.drop();
    },
  };
};
