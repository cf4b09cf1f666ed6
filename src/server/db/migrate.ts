import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { TDatabase } from './database.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it keeps two nodes starting together from migrating twice.
const MIGRATION_LOCK = 741_200_001;

export const listMigrations = (): string[] =>
  fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();

/** Applies the pending ordered SQL migrations; returns the names applied. */
export const migrate = async (database: TDatabase): Promise<string[]> => {
  const applied: string[] = [];
  await database.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  await database.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      const done = new Set(
        (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(conn)).rows.map(
          (r) => r.name,
        ),
      );
      for (const name of listMigrations()) {
        if (done.has(name)) continue;
        const text = fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
        await sql`BEGIN`.execute(conn);
        try {
          await sql.raw(text).execute(conn);
          await sql`INSERT INTO schema_migrations (name) VALUES (${name})`.execute(conn);
          await sql`COMMIT`.execute(conn);
        } catch (error) {
          await sql`ROLLBACK`.execute(conn);
          throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
        }
        applied.push(name);
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
  return applied;
};
