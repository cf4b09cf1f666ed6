import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TTestDatabase } from '../../../test/database.ts';
import { openDatabase, type TDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { defaultBackoff, defineJob, JobQueue, type TJobQueueOptions } from './queue.ts';

const logger = createLogger('silent');

let database: TTestDatabase;
const queues: JobQueue[] = [];
const extraDatabases: TDatabase[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

beforeEach(async () => {
  await database.db.deleteFrom('jobs').execute();
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.stop()));
  await Promise.all(extraDatabases.splice(0).map((extra) => extra.close()));
});

const createQueue = (options: Partial<TJobQueueOptions> = {}): JobQueue => {
  const queue = new JobQueue({ database, logger, ...options });
  queues.push(queue);
  return queue;
};

/** A second connection to the same database: a real one on PostgreSQL, the shared one on PGlite. */
const openSameDatabase = async (): Promise<TDatabase> => {
  if (!database.url) return database;
  const extra = await openDatabase({ databaseUrl: database.url, poolSize: 5 });
  extraDatabases.push(extra);
  return extra;
};

const findJob = (id: number) =>
  database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A controllable clock for the queue's SQL timestamps. */
const createClock = (start = '2030-01-01T00:00:00.000Z') => {
  let current = new Date(start);
  return {
    now: () => current,
    advance: (seconds: number) => {
      current = new Date(current.getTime() + seconds * 1000);
    },
  };
};

const ZGreet = z.object({ to: z.string().min(1) });

describe('JobQueue', () => {
  it('runs a job once, marks it done and validates payloads on enqueue', async () => {
    const calls: Array<{ to: string; jobId: number; attempt: number }> = [];
    const queue = createQueue();
    queue.register(
      defineJob({
        name: 'greet',
        payload: ZGreet,
        handler: async (payload, ctx) => {
          calls.push({ to: payload.to, jobId: ctx.jobId, attempt: ctx.attempt });
        },
      }),
    );

    const id = await queue.enqueue(database.db, 'greet', { to: 'Anna' });
    expect(id).toBeTypeOf('number');
    await expect(queue.enqueue(database.db, 'greet', { to: '' })).rejects.toThrow();
    await expect(queue.enqueue(database.db, 'greet', { who: 'Anna' })).rejects.toThrow();
    await expect(queue.enqueue(database.db, 'nobody-registered-this', {})).rejects.toThrow(/unknown job/i);

    expect(await queue.runDue()).toBe(1);
    expect(await queue.runDue()).toBe(0);
    expect(calls).toEqual([{ to: 'Anna', jobId: id, attempt: 1 }]);
    const row = await findJob(id!);
    expect(row).toMatchObject({ status: 'done', attempts: 1, locked_by: null, last_error: null });
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(await database.db.selectFrom('jobs').select('id').execute()).toHaveLength(1);
  });

  it('retries a failing handler with backoff and fails it after maxAttempts', async () => {
    const clock = createClock();
    const attempts: number[] = [];
    const queue = createQueue({ now: clock.now });
    queue.register(
      defineJob({
        name: 'flaky',
        payload: z.object({}),
        maxAttempts: 3,
        handler: async (_payload, ctx) => {
          attempts.push(ctx.attempt);
          throw new Error(`boom ${ctx.attempt}`);
        },
      }),
    );
    const id = (await queue.enqueue(database.db, 'flaky', {}))!;

    expect(await queue.runDue()).toBe(1);
    let row = await findJob(id);
    expect(row).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: 'Error: boom 1',
      locked_by: null,
    });
    expect(row.run_at.getTime()).toBe(clock.now().getTime() + defaultBackoff(1) * 1000);

    // Not due yet: nothing runs until the clock passes the backoff.
    clock.advance(defaultBackoff(1) - 1);
    expect(await queue.runDue()).toBe(0);
    clock.advance(1);
    expect(await queue.runDue()).toBe(1);
    row = await findJob(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 2, last_error: 'Error: boom 2' });
    expect(row.run_at.getTime()).toBe(clock.now().getTime() + defaultBackoff(2) * 1000);

    clock.advance(defaultBackoff(2));
    expect(await queue.runDue()).toBe(1);
    row = await findJob(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: 'Error: boom 3' });
    expect(row.finished_at?.getTime()).toBe(clock.now().getTime());

    clock.advance(86_400);
    expect(await queue.runDue()).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('uses an injected backoff and the per-enqueue maxAttempts', async () => {
    const clock = createClock();
    const queue = createQueue({ now: clock.now, backoff: (attempt) => attempt * 100 });
    queue.register(
      defineJob({
        name: 'always-fails',
        payload: z.null(),
        handler: async () => {
          throw new Error('nope');
        },
      }),
    );
    const id = (await queue.enqueue(database.db, 'always-fails', null, { maxAttempts: 2 }))!;
    await queue.runDue();
    expect((await findJob(id)).run_at.getTime()).toBe(clock.now().getTime() + 100_000);
    clock.advance(100);
    await queue.runDue();
    expect(await findJob(id)).toMatchObject({ status: 'failed', attempts: 2, max_attempts: 2 });
  });

  it('caps the default backoff at one hour', () => {
    expect([1, 2, 3, 9, 10, 30].map(defaultBackoff)).toEqual([10, 20, 40, 2560, 3600, 3600]);
  });

  it('leaves no job when the enqueueing transaction rolls back', async () => {
    const queue = createQueue();
    queue.register(defineJob({ name: 'greet', payload: ZGreet, handler: async () => undefined }));
    await expect(
      database.db.transaction().execute(async (trx) => {
        await queue.enqueue(trx, 'greet', { to: 'Boris' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await database.db.selectFrom('jobs').select('id').execute()).toEqual([]);

    const committed = await database.db
      .transaction()
      .execute((trx) => queue.enqueue(trx, 'greet', { to: 'Vera' }));
    expect(await database.db.selectFrom('jobs').select('id').execute()).toEqual([{ id: committed }]);
    expect(await queue.runDue()).toBe(1);
  });

  it('dedupes by singleton key while a job is queued or running', async () => {
    const clock = createClock();
    const queue = createQueue({ now: clock.now });
    let isInsideHandler = false;
    queue.register(
      defineJob({
        name: 'sync',
        payload: z.object({ round: z.number() }),
        handler: async (payload) => {
          if (payload.round !== 1) return;
          isInsideHandler = true;
          // While running, the key is still taken.
          expect(
            await queue.enqueue(database.db, 'sync', { round: 3 }, { singletonKey: 'sync:1' }),
          ).toBeNull();
        },
      }),
    );
    const first = await queue.enqueue(database.db, 'sync', { round: 1 }, { singletonKey: 'sync:1' });
    expect(first).toBeTypeOf('number');
    expect(await queue.enqueue(database.db, 'sync', { round: 2 }, { singletonKey: 'sync:1' })).toBeNull();
    expect(await queue.enqueue(database.db, 'sync', { round: 2 }, { singletonKey: 'sync:2' })).toBeTypeOf(
      'number',
    );

    expect(await queue.runDue()).toBe(2);
    expect(isInsideHandler).toBe(true);
    expect(await findJob(first!)).toMatchObject({ status: 'done' });
    // Once done, the key is free again.
    expect(await queue.enqueue(database.db, 'sync', { round: 4 }, { singletonKey: 'sync:1' })).toBeTypeOf(
      'number',
    );
  });

  it('survives a restart: a job enqueued before is run by a new queue', async () => {
    const greet = defineJob({ name: 'greet', payload: ZGreet, handler: async () => undefined });
    const before = createQueue();
    before.register(greet);
    const id = (await before.enqueue(database.db, 'greet', { to: 'Gleb' }))!;
    await before.stop();

    const seen: string[] = [];
    const after = new JobQueue({ database: await openSameDatabase(), logger });
    queues.push(after);
    after.register({ ...greet, handler: async (payload) => void seen.push(payload.to) });
    expect(await after.runDue()).toBe(1);
    expect(seen).toEqual(['Gleb']);
    expect(await findJob(id)).toMatchObject({ status: 'done', locked_by: null });
  });

  it('recovers a stale running job left by a crashed node and runs it', async () => {
    const clock = createClock();
    const seen: number[] = [];
    const queue = createQueue({ now: clock.now, lockTimeoutMs: 60_000 });
    queue.register(
      defineJob({ name: 'greet', payload: ZGreet, handler: async (_p, ctx) => void seen.push(ctx.attempt) }),
    );
    const crashed = async (lockedAgoSeconds: number, attempts: number, maxAttempts = 5) => {
      const row = await database.db
        .insertInto('jobs')
        .values({
          name: 'greet',
          payload: JSON.stringify({ to: 'Dina' }),
          status: 'running',
          attempts,
          max_attempts: maxAttempts,
          run_at: new Date(clock.now().getTime() - 3_600_000),
          locked_at: new Date(clock.now().getTime() - lockedAgoSeconds * 1000),
          locked_by: 'dead-node',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const stale = await crashed(61, 1);
    const fresh = await crashed(30, 1);
    const exhausted = await crashed(3600, 2, 2);

    expect(await queue.runDue()).toBe(0);
    expect(await queue.recoverStale()).toBe(2);
    expect(await findJob(stale)).toMatchObject({ status: 'queued', locked_by: null });
    expect((await findJob(stale)).last_error).toMatch(/dead-node/);
    expect(await findJob(fresh)).toMatchObject({ status: 'running', locked_by: 'dead-node' });
    expect(await findJob(exhausted)).toMatchObject({ status: 'failed' });

    expect(await queue.runDue()).toBe(1);
    expect(seen).toEqual([2]);
    expect(await findJob(stale)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('does not let a worker whose lock expired overwrite the new owner', async () => {
    const clock = createClock();
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = createQueue({ now: clock.now, lockTimeoutMs: 60_000 });
    const second = createQueue({ now: clock.now, lockTimeoutMs: 60_000 });
    let calls = 0;
    const job = defineJob({
      name: 'slow',
      payload: z.object({}),
      handler: async () => {
        calls += 1;
        if (calls === 1) await slow;
      },
    });
    first.register(job);
    second.register(job);
    const id = (await first.enqueue(database.db, 'slow', {}))!;
    const running = first.runDue();
    while ((await findJob(id)).status !== 'running') await new Promise((resolve) => setImmediate(resolve));
    clock.advance(120);
    expect(await second.recoverStale()).toBe(1);
    expect(await second.runDue()).toBe(1);
    expect(await findJob(id)).toMatchObject({ status: 'done', attempts: 2 });
    release();
    await running;
    expect(await findJob(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('deletes done jobs older than seven days when recovering', async () => {
    const clock = createClock();
    const queue = createQueue({ now: clock.now });
    queue.register(defineJob({ name: 'greet', payload: ZGreet, handler: async () => undefined }));
    const old = (await queue.enqueue(database.db, 'greet', { to: 'Egor' }))!;
    await queue.runDue();
    clock.advance(6 * 86_400);
    const recent = (await queue.enqueue(database.db, 'greet', { to: 'Fima' }))!;
    await queue.runDue();
    clock.advance(86_400 + 1);
    await queue.recoverStale();
    const ids = (await database.db.selectFrom('jobs').select('id').execute()).map((row) => row.id);
    expect(ids).toEqual([recent]);
    expect(ids).not.toContain(old);
  });

  it('fails jobs with an unknown name or an invalid stored payload, with a clear error', async () => {
    const queue = createQueue();
    queue.register(defineJob({ name: 'greet', payload: ZGreet, handler: async () => undefined }));
    const insert = async (name: string, payload: unknown) =>
      (
        await database.db
          .insertInto('jobs')
          .values({ name, payload: JSON.stringify(payload) })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const unknown = await insert('retired.job', {});
    const invalid = await insert('greet', { to: 42 });
    expect(await queue.runDue()).toBe(2);
    const unknownRow = await findJob(unknown);
    expect(unknownRow.status).toBe('failed');
    expect(unknownRow.last_error).toMatch(/Unknown job "retired\.job"/);
    const invalidRow = await findJob(invalid);
    expect(invalidRow.status).toBe('failed');
    expect(invalidRow.last_error).toMatch(/Invalid payload for job "greet"/);
  });

  it('enqueues a scheduled job once per interval bucket, across nodes', async () => {
    const clock = createClock('2030-01-01T00:00:30.000Z');
    const job = defineJob({ name: 'sla.sweep', payload: z.object({}), handler: async () => undefined });
    const nodeA = createQueue({ now: clock.now });
    const nodeB = createQueue({ now: clock.now });
    for (const node of [nodeA, nodeB]) {
      node.register(job);
      node.schedule('sla.sweep', {}, 60);
    }
    expect(await nodeA.runSchedules()).toBe(1);
    expect(await nodeB.runSchedules()).toBe(0);
    expect(await nodeA.runDue()).toBe(1);
    // Done rows still count: the bucket does not run twice.
    expect(await nodeB.runSchedules()).toBe(0);
    clock.advance(60);
    expect(await nodeB.runSchedules()).toBe(1);
    expect(await nodeA.runSchedules()).toBe(0);
    const keys = await database.db.selectFrom('jobs').select('singleton_key').orderBy('id').execute();
    const bucket = Math.floor(new Date('2030-01-01T00:00:30.000Z').getTime() / 60_000);
    expect(keys.map((row) => row.singleton_key)).toEqual([`sla.sweep:${bucket}`, `sla.sweep:${bucket + 1}`]);
  });

  it('runs jobs from the polling loop, woken by an enqueue', async () => {
    const done = new Map<string, () => void>();
    const handled = (to: string) => new Promise<void>((resolve) => done.set(to, resolve));
    // A long poll interval: only the first round or a wake-up can pick the jobs up.
    const queue = createQueue({ pollIntervalMs: 3_600_000 });
    queue.register(defineJob({ name: 'greet', payload: ZGreet, handler: async (p) => done.get(p.to)?.() }));
    const first = handled('Ira');
    await queue.enqueue(database.db, 'greet', { to: 'Ira' });
    queue.start();
    await first;
    const second = handled('Kira');
    await database.db.transaction().execute((trx) => queue.enqueue(trx, 'greet', { to: 'Kira' }));
    await second;
    await queue.stop();
    const rows = await database.db.selectFrom('jobs').select('status').execute();
    expect(rows.map((row) => row.status)).toEqual(['done', 'done']);
  });

  it('runs each of 200 jobs exactly once with two queues working concurrently', async () => {
    // On PostgreSQL each queue has its own connection pool; on PGlite they share the one connection.
    const databaseA = await openSameDatabase();
    const databaseB = await openSameDatabase();
    if (database.kind === 'postgres') expect(databaseA).not.toBe(databaseB);

    const calls = new Map<number, number>();
    const byWorker = new Map<string, number>();
    const job = defineJob({
      name: 'count',
      payload: z.object({ n: z.number().int() }),
      handler: async (payload, ctx) => {
        calls.set(payload.n, (calls.get(payload.n) ?? 0) + 1);
        await sql`SELECT 1`.execute(ctx.db);
      },
    });
    const workers = [databaseA, databaseB].map((db) => {
      const queue = new JobQueue({ database: db, logger });
      queues.push(queue);
      queue.register(job);
      return queue;
    });
    for (let n = 0; n < 200; n += 1) await workers[0].enqueue(database.db, 'count', { n });

    const countOpen = async () =>
      (
        await database.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('status', 'in', ['queued', 'running'])
          .executeTakeFirstOrThrow()
      ).count;
    const drain = async (queue: JobQueue) => {
      for (;;) {
        const processed = await queue.runDue(7);
        byWorker.set(queue.workerId, (byWorker.get(queue.workerId) ?? 0) + processed);
        if (processed === 0) {
          if ((await countOpen()) === 0) return;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    };
    await Promise.all(workers.map(drain));

    expect(calls.size).toBe(200);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
    expect([...byWorker.values()].reduce((a, b) => a + b, 0)).toBe(200);
    const statuses = await database.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute();
    expect(statuses).toEqual([{ status: 'done', count: 200 }]);
  });
});
