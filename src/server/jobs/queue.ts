import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { TDatabase } from '../db/database.ts';
import type { DB } from '../db/types.ts';
import type { TLogger } from '../logger.ts';

/** NOTIFY channel that wakes workers when a job is enqueued; the payload is the job name. */
export const JOBS_CHANNEL = 'tourdesk_jobs';

const DEFAULT_MAX_ATTEMPTS = 5;
const DONE_RETENTION_DAYS = 7;
const MAX_ERROR_LENGTH = 4000;

/** attempt counts from 1; the job fails for good after maxAttempts. */
export type TJobContext = {
  jobId: number;
  attempt: number;
  maxAttempts: number;
  db: Kysely<DB>;
  logger: TLogger;
};

/**
 * A job type: a name, a zod schema for its payload and a handler. Delivery is at least once
 * (a crash after the handler but before the row is marked done runs it again), so a handler
 * MUST be idempotent: running it twice with the same payload does no harm.
 */
export type TJobDefinition<P> = {
  name: string;
  payload: z.ZodType<P>;
  maxAttempts?: number;
  handler: (payload: P, ctx: TJobContext) => Promise<void>;
};

/** Declares a job type; the identity function exists so the payload type is inferred from the schema. */
export const defineJob = <P>(def: TJobDefinition<P>): TJobDefinition<P> => def;

/** runAt wins over delaySeconds; maxAttempts overrides the definition's. */
export type TEnqueueOptions = {
  runAt?: Date;
  delaySeconds?: number;
  singletonKey?: string;
  maxAttempts?: number;
};

export type TJobQueueOptions = {
  database: TDatabase;
  logger: TLogger;
  /** Written to jobs.locked_by; unique per queue instance by default. */
  workerId?: string;
  pollIntervalMs?: number;
  /** A running job locked longer than this is taken for a crashed node's and re-queued. */
  lockTimeoutMs?: number;
  /** Clock for run_at/locked_at; by default the database's now(), one clock for every node. */
  now?: () => Date;
  /** Seconds to wait before retry number `attempt` + 1. */
  backoff?: (attempt: number) => number;
  /** Jobs claimed (and run concurrently) per round of the polling loop. */
  batchSize?: number;
  /** How often the polling loop calls recoverStale(). */
  recoverIntervalMs?: number;
};

type TPrepared = { ok: true; run: (ctx: TJobContext) => Promise<void> } | { ok: false; error: string };

type TRegisteredJob = {
  maxAttempts: number | undefined;
  validate: (payload: unknown) => unknown;
  prepare: (raw: unknown) => TPrepared;
};

type TClaimedJob = { id: number; name: string; payload: unknown; attempts: number; max_attempts: number };

type TSchedule = { name: string; payload: unknown; intervalSeconds: number; lastBucket: number | undefined };

type TSqlTime = RawBuilder<Date>;

/** Default retry delay: 10 s, 20 s, 40 s … capped at one hour. */
export const defaultBackoff = (attempt: number): number => Math.min(2 ** attempt * 5, 3600);

const errorText = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
};

const plusSeconds = (time: TSqlTime, seconds: number): TSqlTime =>
  sql<Date>`(${time} + ${seconds}::float8 * interval '1 second')`;

/**
 * A durable PostgreSQL-backed job queue (PGlite or PostgreSQL): jobs are rows in `jobs`, claimed
 * with FOR UPDATE SKIP LOCKED so N nodes can share it, retried with backoff, recovered after a crash.
 */
export class JobQueue {
  readonly workerId: string;
  readonly #database: TDatabase;
  readonly #logger: TLogger;
  readonly #pollIntervalMs: number;
  readonly #lockTimeoutMs: number;
  readonly #clock: (() => Date) | undefined;
  readonly #backoff: (attempt: number) => number;
  readonly #batchSize: number;
  readonly #recoverIntervalMs: number;
  readonly #jobs = new Map<string, TRegisteredJob>();
  readonly #schedules: TSchedule[] = [];
  readonly #inFlight = new Set<Promise<number>>();
  #isRunning = false;
  #isTicking = false;
  #isWakeRequested = false;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  #nextRecoverAt = 0;

  constructor(options: TJobQueueOptions) {
    this.#database = options.database;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#logger = options.logger.child({ component: 'jobs', workerId: this.workerId });
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 15 * 60_000;
    this.#clock = options.now;
    this.#backoff = options.backoff ?? defaultBackoff;
    this.#batchSize = options.batchSize ?? 10;
    this.#recoverIntervalMs = options.recoverIntervalMs ?? 60_000;
  }

  /** Makes a job type known to this queue: needed to enqueue it and to run it. */
  register<P>(def: TJobDefinition<P>): void {
    if (this.#jobs.has(def.name)) throw new Error(`Job "${def.name}" is already registered`);
    this.#jobs.set(def.name, {
      maxAttempts: def.maxAttempts,
      validate: (payload) => def.payload.parse(payload),
      prepare: (raw) => {
        const parsed = def.payload.safeParse(raw);
        if (!parsed.success)
          return { ok: false, error: `Invalid payload for job "${def.name}": ${parsed.error.message}` };
        return { ok: true, run: (ctx) => def.handler(parsed.data, ctx) };
      },
    });
  }

  /** Whether a job type is known to this queue (a feature may enqueue only what some module runs). */
  isRegistered(name: string): boolean {
    return this.#jobs.has(name);
  }

  /**
   * Inserts a job through executor (a transaction or the db) so it commits or rolls back with the
   * caller's work; validates the payload; returns the job id, or null when a job with the same
   * singletonKey is already queued or running.
   */
  async enqueue<P>(
    executor: Kysely<DB> | Transaction<DB>,
    name: string,
    payload: P,
    options: TEnqueueOptions = {},
  ): Promise<number | null> {
    const job = this.#jobs.get(name);
    if (!job) throw new Error(`Cannot enqueue unknown job "${name}": register it first`);
    const parsed = job.validate(payload);
    const runAt = options.runAt
      ? sql<Date>`${options.runAt}::timestamptz`
      : plusSeconds(this.#now(), options.delaySeconds ?? 0);
    const row = await executor
      .insertInto('jobs')
      .values({
        name,
        payload: JSON.stringify(parsed) ?? 'null',
        run_at: runAt,
        max_attempts: options.maxAttempts ?? job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        singleton_key: options.singletonKey ?? null,
      })
      .$if(options.singletonKey !== undefined, (qb) =>
        qb.onConflict((oc) =>
          oc
            .column('singleton_key')
            .where('singleton_key', 'is not', null)
            .where('status', 'in', ['queued', 'running'])
            .doNothing(),
        ),
      )
      .returning('id')
      .executeTakeFirst();
    if (!row) return null;
    if (this.#database.kind === 'postgres') {
      // Through the caller's executor: PostgreSQL delivers it on commit, never for a rollback.
      await sql`SELECT pg_notify(${JOBS_CHANNEL}, ${name})`.execute(executor);
    } else {
      // One process: wake local loops now; their claim waits for the single connection, i.e. the commit.
      this.#database.notify(JOBS_CHANNEL, name).catch(() => undefined);
    }
    return row.id;
  }

  /**
   * Claims up to limit due jobs (FOR UPDATE SKIP LOCKED, one short statement), runs their handlers
   * concurrently outside any transaction, then marks each done, re-queued with backoff or failed.
   * Returns the number of jobs processed.
   */
  runDue(limit = this.#batchSize): Promise<number> {
    const run = this.#runDue(limit);
    this.#inFlight.add(run);
    const forget = () => this.#inFlight.delete(run);
    run.then(forget, forget);
    return run;
  }

  /**
   * Re-queues running jobs whose lock is older than lockTimeoutMs (their node crashed), or fails
   * them when they used up their attempts; deletes done rows older than 7 days. Returns the number released.
   */
  async recoverStale(): Promise<number> {
    const now = this.#now();
    const { db } = this.#database;
    const stale = await sql<{ id: number; name: string; status: string }>`
      UPDATE jobs SET
        status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
        finished_at = CASE WHEN attempts >= max_attempts THEN ${now} ELSE NULL END,
        last_error = 'Lock expired after ' || ${this.#lockTimeoutMs}::int || ' ms: worker '
          || coalesce(locked_by, '?') || ' did not finish attempt ' || attempts || ' (crashed?)',
        locked_at = NULL,
        locked_by = NULL
      WHERE status = 'running' AND locked_at < ${plusSeconds(now, -this.#lockTimeoutMs / 1000)}
      RETURNING id, name, status
    `.execute(db);
    for (const job of stale.rows) {
      this.#logger.warn(
        { jobId: job.id, job: job.name, status: job.status },
        'recovered a job with an expired lock',
      );
    }
    const removed = await db
      .deleteFrom('jobs')
      .where('status', '=', 'done')
      .where('finished_at', '<', plusSeconds(now, -DONE_RETENTION_DAYS * 86_400))
      .executeTakeFirst();
    if (removed.numDeletedRows > 0n) {
      this.#logger.debug({ deleted: Number(removed.numDeletedRows) }, 'deleted old done jobs');
    }
    return stale.rows.length;
  }

  /**
   * Registers a recurring job: once per intervalSeconds the polling loop enqueues name with
   * singletonKey `${name}:${bucket}` (bucket = floor(now / interval)), so N nodes enqueue it once.
   */
  schedule(name: string, payload: unknown, intervalSeconds: number): void {
    if (!(intervalSeconds > 0)) throw new Error(`Schedule for "${name}" needs a positive interval`);
    this.#jobs.get(name)?.validate(payload);
    this.#schedules.push({ name, payload, intervalSeconds, lastBucket: undefined });
  }

  /** Enqueues every scheduled job whose current bucket has never been enqueued; returns how many were. */
  async runSchedules(): Promise<number> {
    const nowMs = (this.#clock?.() ?? new Date()).getTime();
    let enqueued = 0;
    for (const schedule of this.#schedules) {
      const bucket = Math.floor(nowMs / 1000 / schedule.intervalSeconds);
      if (bucket === schedule.lastBucket) continue;
      const singletonKey = `${schedule.name}:${bucket}`;
      // A done or failed row also counts: the partial unique index alone would let a bucket run twice.
      const seen = await this.#database.db
        .selectFrom('jobs')
        .select('id')
        .where('singleton_key', '=', singletonKey)
        .executeTakeFirst();
      if (
        !seen &&
        (await this.enqueue(this.#database.db, schedule.name, schedule.payload, { singletonKey }))
      ) {
        enqueued += 1;
      }
      schedule.lastBucket = bucket;
    }
    return enqueued;
  }

  /** Starts the polling loop (and LISTEN on PostgreSQL so an enqueue wakes it at once). */
  start(): void {
    if (this.#isRunning) return;
    this.#isRunning = true;
    this.#nextRecoverAt = 0;
    this.#unlisten = this.#database
      .listen(JOBS_CHANNEL, () => this.#wake())
      .catch((error: unknown) => {
        this.#logger.error({ err: error }, 'LISTEN failed; falling back to polling');
        return undefined;
      });
    // First round once LISTEN is up: it sees every job enqueued before, NOTIFY every one after.
    void this.#unlisten.then(() => {
      if (this.#isRunning && !this.#timer && !this.#isTicking) this.#arm(0);
    });
  }

  /** Stops the polling loop and waits for the handlers that are running. */
  async stop(): Promise<void> {
    this.#isRunning = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unlisten = await this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
    await this.#tick;
    await Promise.allSettled([...this.#inFlight]);
  }

  #now(): TSqlTime {
    return this.#clock ? sql<Date>`${this.#clock()}::timestamptz` : sql<Date>`now()`;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#tick = this.#loop();
    }, delayMs);
  }

  #wake(): void {
    if (!this.#isRunning) return;
    if (this.#isTicking) {
      this.#isWakeRequested = true;
    } else if (this.#timer) {
      clearTimeout(this.#timer);
      this.#arm(0);
    }
  }

  async #loop(): Promise<void> {
    if (!this.#isRunning) return;
    this.#isTicking = true;
    this.#isWakeRequested = false;
    try {
      if (Date.now() >= this.#nextRecoverAt) {
        this.#nextRecoverAt = Date.now() + this.#recoverIntervalMs;
        await this.recoverStale();
      }
      await this.runSchedules();
      // A full batch suggests more are due: keep claiming before sleeping.
      while (this.#isRunning && (await this.runDue(this.#batchSize)) === this.#batchSize) {}
    } catch (error) {
      this.#logger.error({ err: error }, 'job loop round failed');
    } finally {
      this.#isTicking = false;
    }
    if (this.#isRunning) this.#arm(this.#isWakeRequested ? 0 : this.#pollIntervalMs);
  }

  async #runDue(limit: number): Promise<number> {
    const now = this.#now();
    const claimed = await sql<TClaimedJob>`
      WITH next AS (
        SELECT id FROM jobs
        WHERE status = 'queued' AND run_at <= ${now}
        ORDER BY run_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, locked_at = ${now}, locked_by = ${this.workerId}
      FROM next
      WHERE jobs.id = next.id
      RETURNING jobs.id, jobs.name, jobs.payload, jobs.attempts, jobs.max_attempts
    `.execute(this.#database.db);
    await Promise.all(claimed.rows.map((job) => this.#process(job)));
    return claimed.rows.length;
  }

  async #process(job: TClaimedJob): Promise<void> {
    const logger = this.#logger.child({ jobId: job.id, job: job.name, attempt: job.attempts });
    const registered = this.#jobs.get(job.name);
    const prepared: TPrepared = registered
      ? registered.prepare(job.payload)
      : {
          ok: false,
          error: `Unknown job "${job.name}": no handler is registered on worker ${this.workerId}`,
        };
    if (!prepared.ok) {
      logger.error(prepared.error);
      await this.#finish(job, 'failed', prepared.error);
      return;
    }
    try {
      await prepared.run({
        jobId: job.id,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        db: this.#database.db,
        logger,
      });
    } catch (error) {
      const isLast = job.attempts >= job.max_attempts;
      logger[isLast ? 'error' : 'warn'](
        { err: error },
        isLast ? 'job failed for good' : 'job failed; will retry',
      );
      await this.#finish(job, isLast ? 'failed' : 'queued', errorText(error));
      return;
    }
    await this.#finish(job, 'done', null);
  }

  async #finish(job: TClaimedJob, status: 'done' | 'queued' | 'failed', error: string | null): Promise<void> {
    const now = this.#now();
    const isFinal = status !== 'queued';
    const result = await this.#database.db
      .updateTable('jobs')
      .set({
        status,
        last_error: error,
        locked_at: null,
        locked_by: null,
        finished_at: isFinal ? now : null,
        ...(isFinal ? {} : { run_at: plusSeconds(now, this.#backoff(job.attempts)) }),
      })
      // Only if the row is still ours: after a lock expiry another worker may own this attempt.
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('locked_by', '=', this.workerId)
      .where('attempts', '=', job.attempts)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      this.#logger.warn({ jobId: job.id, job: job.name, status }, 'job lost its lock before it finished');
    }
  }
}
