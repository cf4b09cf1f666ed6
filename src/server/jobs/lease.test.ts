import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TTestDatabase } from '../../../test/database.ts';
import { createLogger } from '../logger.ts';
import { createLeases, type TLeases } from './lease.ts';

// Leases are what make an IMAP session a singleton across nodes. On PostgreSQL each "node" is a
// lease manager with its own lock connection; on PGlite there is one node, one process.

const logger = createLogger('silent');
let database: TTestDatabase;
const managers: TLeases[] = [];

const node = () => {
  const leases = createLeases({ database, databaseUrl: database.url, logger, heartbeatMs: 500 });
  managers.push(leases);
  return leases;
};

const waitFor = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const leases of managers) await leases.close();
  await database?.drop();
});

describe('leases', () => {
  it('one holder per key; released, it can be taken again; other keys are independent', async () => {
    const a = node();
    const lease = await a.tryAcquire(1, 7);
    expect(lease).not.toBeNull();
    expect(await a.tryAcquire(1, 7)).toBeNull();
    const other = await a.tryAcquire(1, 8);
    expect(other).not.toBeNull();
    await lease?.release();
    expect(lease?.signal.aborted).toBe(true);
    const again = await a.tryAcquire(1, 7);
    expect(again).not.toBeNull();
    await again?.release();
    await other?.release();
  });

  it('across nodes (PostgreSQL): exclusive, and a node whose lock connection dies loses its leases to the next', async () => {
    const a = node();
    const held = await a.tryAcquire(2, 1);
    expect(held).not.toBeNull();
    if (database.kind === 'pglite') {
      // One process is the only node: closing the manager is how a node's leases end.
      await a.close();
      expect(held?.signal.aborted).toBe(true);
      const b = node();
      expect(await b.tryAcquire(2, 1)).not.toBeNull();
      return;
    }
    const b = node();
    expect(await b.tryAcquire(2, 1)).toBeNull();

    // The server ends node a's lock session, as it does when a node crashes or is cut off.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
       WHERE locktype = 'advisory' AND classid = 2 AND objid = 1 AND granted`,
    );
    await admin.end();
    await waitFor(() => held?.signal.aborted === true);
    let taken = await b.tryAcquire(2, 1);
    for (let i = 0; !taken && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      taken = await b.tryAcquire(2, 1);
    }
    expect(taken).not.toBeNull();
    // Node a reconnects on its next try and finds the lease taken.
    expect(await a.tryAcquire(2, 1)).toBeNull();
  });
});
