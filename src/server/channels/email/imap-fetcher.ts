import { createHash } from 'node:crypto';
import { type FetchMessageObject, ImapFlow, type ImapFlowError } from 'imapflow';
import { z } from 'zod';
import { INGEST_OUTCOMES, type TIngestOutcome } from '../../../shared/schemas/email-quarantine.ts';
import type { TDatabase } from '../../db/database.ts';
import type { TLease, TLeases } from '../../jobs/lease.ts';
import type { TSecrets } from '../../lib/secrets.ts';
import type { TLogger } from '../../logger.ts';
import { imapCursorRepository, type TImapCursor } from './imap-cursor.repository.ts';

// IMAP mailboxes (docs/decisions/0011-imap.md): one session per mailbox on the node holding the
// mailbox's lease; IDLE where the server has it, polling otherwise; UIDVALIDITY + UID cursor;
// a message is marked \Seen (or moved) and the cursor advanced only after its ingest committed.

/** Advisory-lock scope of IMAP mailbox leases: 'IMAP' in ASCII. */
export const IMAP_LEASE_SCOPE = 0x494d4150;

/** The inbound pipeline: stores or quarantines a raw message in one transaction; throws only when the database fails. */
export type TIngestEmail = (input: {
  mailboxId: number;
  raw: Buffer;
  source: 'imap';
}) => Promise<{ outcome: TIngestOutcome }>;

/** The mailbox columns the fetcher reads (a row of `mailboxes`). */
export type TImapMailboxRow = {
  id: number;
  inbound_type: 'smtp' | 'imap';
  is_active: boolean;
  imap: unknown;
  imap_password_enc: string | null;
};

const ZImapSettings = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
  user: z.string().min(1),
  folder: z.string().min(1).default('INBOX'),
  /** Optional: move imported mail to this folder instead of marking it \Seen. */
  moveTo: z.string().min(1).nullish(),
});
type TImapSettings = z.infer<typeof ZImapSettings> & { password: string };

export type TImapSessionState = 'connecting' | 'syncing' | 'idle' | 'polling' | 'backoff' | 'stopped';

export type TImapMailboxStatus = {
  mailboxId: number;
  state: TImapSessionState;
  /** IDLE (push) or polling, once connected. */
  mode: 'idle' | 'poll' | null;
  lastError: string | null;
  lastSyncAt: Date | null;
  /** Syncs run since the session started (one per EXISTS, poll or reconnect). */
  syncs: number;
  /** Ingest outcomes of messages this node imported since the session started. */
  outcomes: Record<TIngestOutcome, number>;
};

export type TImapFetcherOptions = {
  database: TDatabase;
  logger: TLogger;
  secrets: Pick<TSecrets, 'decrypt'>;
  leases: TLeases;
  /** Active mailboxes (any inbound type; the fetcher keeps the IMAP ones). */
  listMailboxes: () => Promise<TImapMailboxRow[]>;
  ingest: TIngestEmail;
  /**
   * Polling interval without IDLE; with IDLE, a safety re-sync at the same interval. Also how
   * often (at most every 10 s) a node looks for mailboxes to take: new, changed, or released.
   */
  pollMs: number;
  /** Delay before reconnect number `attempt` (1, 2, …) after an error. */
  backoffMs?: (attempt: number) => number;
};

export type TImapFetcher = {
  start: () => void;
  /** Stops every session (waiting for an ingest in flight) and releases the leases. */
  stop: () => Promise<void>;
  /** Runs one claim round now: picks up new or changed mailboxes, stops removed ones. */
  refresh: () => Promise<void>;
  /** The sessions this node runs. */
  status: () => TImapMailboxStatus[];
};

/** 1 s, 2 s, 4 s … capped at 5 minutes, with ±20 % jitter so nodes do not reconnect in step. */
export const defaultImapBackoff = (attempt: number): number =>
  Math.min(1000 * 2 ** (attempt - 1), 300_000) * (0.8 + Math.random() * 0.4);

/** What went wrong, for the log and the mailbox status: imapflow puts the server's words beside its message. */
const errorText = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const imap = error as ImapFlowError;
  const details = [
    imap.authenticationFailed ? 'authentication failed' : undefined,
    imap.command ? `command ${imap.command}` : undefined,
    imap.serverResponseCode ? `[${imap.serverResponseCode}]` : undefined,
    imap.responseText,
    imap.code,
  ].filter((part) => part);
  const text = `${error.name}: ${error.message}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  return text.slice(0, 500);
};

/** Thrown when the database, not the message, failed: the batch stops and nothing advances. */
class IngestFailed extends Error {
  override name = 'IngestFailed';
}

/** An IMAP command answered by a dead connection: reconnect, do not advance. */
class ConnectionLost extends Error {
  override name = 'ConnectionLost';
}

const emptyOutcomes = (): Record<TIngestOutcome, number> =>
  Object.fromEntries(INGEST_OUTCOMES.map((o) => [o, 0])) as Record<TIngestOutcome, number>;

type TSessionOptions = {
  mailboxId: number;
  settings: TImapSettings;
  lease: TLease;
  database: TDatabase;
  logger: TLogger;
  ingest: TIngestEmail;
  pollMs: number;
  backoffMs: (attempt: number) => number;
};

/** A re-scan also takes read mail that arrived this long before the cursor was last written. */
const RESCAN_MARGIN_MS = 24 * 3600_000;

/** One mailbox on the node that holds its lease: connect, sync, IDLE or poll, reconnect with backoff. */
class MailboxSession {
  readonly mailboxId: number;
  readonly done: Promise<void>;
  readonly #o: TSessionOptions;
  readonly #log: TLogger;
  #isStopped = false;
  #client: ImapFlow | undefined;
  /** New mail was announced (EXISTS) or the connection closed since the last sync began. */
  #hasNews = false;
  #waiter: { resolve: () => void; onNews: boolean } | undefined;
  #status: TImapMailboxStatus;

  constructor(options: TSessionOptions) {
    this.#o = options;
    this.mailboxId = options.mailboxId;
    this.#log = options.logger.child({ component: 'imap', mailboxId: options.mailboxId });
    this.#status = {
      mailboxId: options.mailboxId,
      state: 'connecting',
      mode: null,
      lastError: null,
      lastSyncAt: null,
      syncs: 0,
      outcomes: emptyOutcomes(),
    };
    options.lease.signal.addEventListener('abort', () => this.stop(), { once: true });
    this.done = this.#run().catch((error: unknown) => {
      this.#log.error({ err: error }, 'IMAP session ended unexpectedly');
    });
  }

  get status(): TImapMailboxStatus {
    return { ...this.#status, outcomes: { ...this.#status.outcomes } };
  }

  /** Ends the session: the connection closes now; an ingest in flight finishes first (see done). */
  stop(): void {
    if (this.#isStopped) return;
    this.#isStopped = true;
    this.#interrupt(false);
    this.#client?.close();
  }

  get #isActive(): boolean {
    return !this.#isStopped && !this.#o.lease.signal.aborted;
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (this.#isActive) {
      try {
        await this.#serve(() => {
          attempt = 0;
        });
      } catch (error) {
        if (!this.#isActive) break;
        this.#status.lastError = errorText(error);
        this.#log[error instanceof IngestFailed ? 'error' : 'warn'](
          { err: error },
          error instanceof IngestFailed
            ? 'IMAP import stopped: the database failed; the message will be retried'
            : 'IMAP session failed; reconnecting',
        );
      }
      if (!this.#isActive) break;
      attempt += 1;
      this.#status.state = 'backoff';
      await this.#wait(this.#o.backoffMs(attempt), false);
    }
    this.#status.state = 'stopped';
    await this.#o.lease.release();
  }

  /** One connection: runs until stopped (returns) or until something fails (throws). */
  async #serve(onHealthy: () => void): Promise<void> {
    const { settings } = this.#o;
    this.#status.state = 'connecting';
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.password },
      logger: imapLogger(this.#log),
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      // Polling leaves the connection quiet for pollMs; the watchdog must outlast it.
      socketTimeout: Math.max(5 * 60_000, this.#o.pollMs + 60_000),
    });
    // Without a listener an 'error' event would crash the process.
    client.on('error', (error: unknown) => {
      this.#log.debug({ err: error }, 'IMAP connection error');
    });
    client.on('exists', () => this.#interrupt(true));
    client.on('close', () => this.#interrupt(true));
    this.#client = client;
    try {
      await client.connect();
      if (!this.#isActive) return;
      if (settings.moveTo) await ensureFolder(client, settings.moveTo);
      const canIdle = client.capabilities.has('IDLE');
      this.#status.mode = canIdle ? 'idle' : 'poll';
      while (this.#isActive) {
        this.#hasNews = false;
        this.#status.state = 'syncing';
        await this.#sync(client);
        this.#status.lastSyncAt = new Date();
        this.#status.syncs += 1;
        this.#status.lastError = null;
        onHealthy();
        if (!this.#isActive) return;
        if (!client.usable) throw new ConnectionLost('IMAP connection closed');
        this.#status.state = canIdle ? 'idle' : 'polling';
        // The next command of the next sync breaks IDLE; the server's EXISTS wakes the wait.
        if (canIdle) client.idle().catch(() => undefined);
        await this.#wait(this.#o.pollMs, true);
        if (this.#isActive && !client.usable) throw new ConnectionLost('IMAP connection closed');
      }
    } finally {
      this.#client = undefined;
      client.removeAllListeners('exists');
      client.removeAllListeners('close');
      if (client.usable) {
        await Promise.race([client.logout().catch(() => undefined), delay(2000)]);
      }
      client.close();
    }
  }

  /** Brings the cursor up to date with the folder. */
  async #sync(client: ImapFlow): Promise<void> {
    const { folder } = this.#o.settings;
    // SELECT every time: it is cheap and tells a UIDVALIDITY change a session would not hear of.
    const box = await client.mailboxOpen(folder);
    const uidValidity = Number(box.uidValidity);
    const cursor = await imapCursorRepository.find(this.#o.database.db, this.mailboxId);
    const known = cursor?.folder === folder ? cursor : undefined;
    if (known && known.uidValidity === uidValidity) {
      await this.#importNew(client, known, box.exists);
    } else {
      await this.#scan(client, uidValidity, box.exists, known);
    }
  }

  /** Normal path: every UID above the cursor, in order, each committed before the cursor moves. */
  async #importNew(client: ImapFlow, cursor: TImapCursor, exists: number): Promise<void> {
    if (exists === 0) return;
    const { folder } = this.#o.settings;
    const listed = await client.fetchAll(
      `${cursor.lastUid + 1}:*`,
      { uid: true, flags: true },
      { uid: true },
    );
    if (!client.usable) throw new ConnectionLost('IMAP connection closed during FETCH');
    // `n:*` names the last message even when its UID is below n.
    const fresh = listed.filter((m) => m.uid > cursor.lastUid).sort((a, b) => a.uid - b.uid);
    for (const message of fresh) {
      if (!this.#isActive) return;
      // A message marked \Deleted is on its way out of the folder: skipped, not imported.
      if (!isDeleted(message) && !(await this.#importOne(client, message.uid))) return;
      if (!this.#isActive) return;
      await imapCursorRepository.advance(this.#o.database.db, {
        mailboxId: this.mailboxId,
        folder,
        uidValidity: cursor.uidValidity,
        uid: message.uid,
      });
    }
  }

  /**
   * A folder seen for the first time, or whose UIDVALIDITY changed (its UIDs mean nothing now):
   * import unread mail — and, after a change, whatever arrived since shortly before the cursor
   * was last written — then set the cursor to the highest UID listed. Until then the cursor is
   * untouched, so an interrupted scan starts over; imported mail is \Seen by then and whatever
   * is fetched again is a duplicate to the ingest's Message-ID check.
   */
  async #scan(
    client: ImapFlow,
    uidValidity: number,
    exists: number,
    previous: TImapCursor | undefined,
  ): Promise<void> {
    const { folder } = this.#o.settings;
    const since = previous ? previous.updatedAt.getTime() - RESCAN_MARGIN_MS : undefined;
    this.#log.info(
      { folder, uidValidity, previousUidValidity: previous?.uidValidity ?? null, messages: exists },
      previous ? 'UIDVALIDITY changed: re-scanning the folder' : 'first scan of the folder',
    );
    const listed =
      exists === 0
        ? []
        : await client.fetchAll('1:*', { uid: true, flags: true, internalDate: true }, { uid: true });
    if (!client.usable) throw new ConnectionLost('IMAP connection closed during FETCH');
    listed.sort((a, b) => a.uid - b.uid);
    let imported = 0;
    for (const message of listed) {
      if (!this.#isActive) return;
      if (isDeleted(message)) continue;
      const isUnread = !message.flags?.has('\\Seen');
      const arrived = message.internalDate ? new Date(message.internalDate).getTime() : 0;
      if (!isUnread && !(since !== undefined && arrived >= since)) continue;
      if (await this.#importOne(client, message.uid)) imported += 1;
    }
    if (!this.#isActive) return;
    const lastUid = listed.reduce((max, m) => Math.max(max, m.uid), 0);
    await imapCursorRepository.reset(this.#o.database.db, {
      mailboxId: this.mailboxId,
      folder,
      uidValidity,
      lastUid,
    });
    this.#log.info({ folder, uidValidity, lastUid, imported }, 'folder scanned');
  }

  /**
   * Fetches, ingests and acknowledges (\Seen or move) one message. Returns false when the session
   * should not advance past it (stopped meanwhile); throws when the database or the connection failed.
   */
  async #importOne(client: ImapFlow, uid: number): Promise<boolean> {
    const fetched = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!client.usable) throw new ConnectionLost(`IMAP connection closed fetching UID ${uid}`);
    // Expunged since it was listed: nothing to import, nothing to acknowledge.
    if (fetched === false || !fetched.source) return true;
    let outcome: TIngestOutcome;
    try {
      ({ outcome } = await this.#o.ingest({
        mailboxId: this.mailboxId,
        raw: fetched.source,
        source: 'imap',
      }));
    } catch (error) {
      throw new IngestFailed(`ingest of UID ${uid} failed: ${errorText(error)}`, { cause: error });
    }
    this.#status.outcomes[outcome] += 1;
    this.#log.debug({ uid, outcome, size: fetched.source.length }, 'IMAP message ingested');
    // Lost the lease meanwhile: the new holder finds the message again (a duplicate) and acknowledges it.
    if (!this.#isActive) return false;
    await this.#acknowledge(client, uid);
    return true;
  }

  /** After the commit: mark \Seen, or move to settings.moveTo. A refusal is logged, never retried forever. */
  async #acknowledge(client: ImapFlow, uid: number): Promise<void> {
    const { moveTo } = this.#o.settings;
    const isDone = moveTo
      ? (await client.messageMove(String(uid), moveTo, { uid: true })) !== false
      : await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    if (isDone) return;
    // Both commands answer false for a dead connection as for a refusal; only a refusal may advance.
    if (!client.usable) throw new ConnectionLost(`IMAP connection closed acknowledging UID ${uid}`);
    this.#log.warn(
      { uid, moveTo: moveTo ?? null },
      moveTo
        ? 'the server refused to move an imported message; it stays in the folder'
        : 'the server refused to mark an imported message \\Seen',
    );
  }

  /** Sleeps ms; a stop always wakes it, news (EXISTS, a closed connection) only when onNews. */
  #wait(ms: number, onNews: boolean): Promise<void> {
    if (!this.#isActive || (onNews && this.#hasNews)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        if (this.#waiter === waiter) this.#waiter = undefined;
        resolve();
      };
      const waiter = { resolve: finish, onNews };
      this.#waiter = waiter;
    });
  }

  #interrupt(isNews: boolean): void {
    if (isNews) this.#hasNews = true;
    const waiter = this.#waiter;
    if (waiter && (!isNews || waiter.onNews)) waiter.resolve();
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const isDeleted = (message: FetchMessageObject) => message.flags?.has('\\Deleted') ?? false;

/** Creates the move target once when it is missing (CREATE of an existing folder is refused, harmlessly). */
const ensureFolder = async (client: ImapFlow, folder: string): Promise<void> => {
  const folders = await client.list();
  if (folders.some((f) => f.path === folder)) return;
  await client.mailboxCreate(folder);
};

/** imapflow talks a lot; its own log goes to trace, its warnings to debug (ours say what matters). */
const imapLogger = (log: TLogger) => {
  const write = (level: 'trace' | 'debug') => (entry: unknown) => {
    if (!log.isLevelEnabled(level)) return;
    const { msg, err, ...rest } = (entry ?? {}) as { msg?: string; err?: unknown } & Record<string, unknown>;
    log[level]({ imap: rest, err }, msg ?? 'imapflow');
  };
  return {
    trace: write('trace'),
    debug: write('trace'),
    info: write('trace'),
    warn: write('debug'),
    error: write('debug'),
  };
};

/** A fingerprint of what a session was started with: a changed mailbox restarts its session. */
const fingerprintOf = (row: TImapMailboxRow) =>
  sha256(Buffer.from(JSON.stringify([row.imap, row.imap_password_enc])));

/**
 * The IMAP side of the email channel on one node: every claim round it lists the active IMAP
 * mailboxes, takes the lease of each one no node serves yet and runs a session for it, and
 * stops the sessions of mailboxes that were removed, deactivated or changed.
 */
export const createImapFetcher = (options: TImapFetcherOptions): TImapFetcher => {
  const log = options.logger.child({ component: 'imap' });
  const claimIntervalMs = Math.min(10_000, options.pollMs);
  const backoffMs = options.backoffMs ?? defaultImapBackoff;
  const sessions = new Map<number, { session: MailboxSession; fingerprint: string }>();
  /** Mailboxes whose settings cannot be used, with the fingerprint they were refused for (logged once). */
  const refused = new Map<number, string>();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let isRunning = false;

  const settingsOf = (row: TImapMailboxRow): TImapSettings => {
    const parsed = ZImapSettings.safeParse(row.imap);
    if (!parsed.success) throw new Error(`invalid IMAP settings: ${parsed.error.issues[0]?.message}`);
    if (!row.imap_password_enc) throw new Error('no IMAP password is stored');
    let password: string;
    try {
      password = options.secrets.decrypt(row.imap_password_enc);
    } catch {
      throw new Error('the stored IMAP password cannot be decrypted (was TOURDESK_SECRET_KEY changed?)');
    }
    return { ...parsed.data, password };
  };

  const claimRound = async (): Promise<void> => {
    const rows = (await options.listMailboxes()).filter((r) => r.is_active && r.inbound_type === 'imap');
    const wanted = new Map(rows.map((row) => [row.id, row]));
    // Stop what is gone or changed (a changed one starts again below, with its new settings).
    const stopping = [...sessions].filter(([id, entry]) => {
      const row = wanted.get(id);
      return !row || fingerprintOf(row) !== entry.fingerprint;
    });
    for (const [, { session }] of stopping) session.stop();
    await Promise.all(stopping.map(([, { session }]) => session.done));
    for (const [id, entry] of stopping) if (sessions.get(id) === entry) sessions.delete(id);
    for (const row of rows) {
      if (!isRunning) return;
      if (sessions.has(row.id)) continue;
      const fingerprint = fingerprintOf(row);
      if (refused.get(row.id) === fingerprint) continue;
      let settings: TImapSettings;
      try {
        settings = settingsOf(row);
      } catch (error) {
        refused.set(row.id, fingerprint);
        log.error({ mailboxId: row.id, err: error }, 'IMAP mailbox cannot be fetched: fix its settings');
        continue;
      }
      refused.delete(row.id);
      const lease = await options.leases.tryAcquire(IMAP_LEASE_SCOPE, row.id);
      if (!lease) continue;
      if (!isRunning) {
        await lease.release();
        return;
      }
      const session = new MailboxSession({
        mailboxId: row.id,
        settings,
        lease,
        database: options.database,
        logger: options.logger,
        ingest: options.ingest,
        pollMs: options.pollMs,
        backoffMs,
      });
      sessions.set(row.id, { session, fingerprint });
      log.info({ mailboxId: row.id, host: settings.host, folder: settings.folder }, 'IMAP mailbox taken');
      void session.done.then(() => {
        if (sessions.get(row.id)?.session === session) sessions.delete(row.id);
      });
    }
  };

  const runRound = (): Promise<void> => {
    round ??= claimRound()
      .catch((error: unknown) => log.warn({ err: error }, 'IMAP claim round failed'))
      .finally(() => {
        round = undefined;
      });
    return round;
  };

  const arm = () => {
    timer = setTimeout(async () => {
      await runRound();
      if (isRunning) arm();
    }, claimIntervalMs);
  };

  return {
    start: () => {
      if (isRunning) return;
      isRunning = true;
      void runRound().then(() => {
        if (isRunning) arm();
      });
    },
    stop: async () => {
      isRunning = false;
      clearTimeout(timer);
      await round;
      for (const { session } of sessions.values()) session.stop();
      await Promise.all([...sessions.values()].map(({ session }) => session.done));
      sessions.clear();
    },
    // A round in flight may have listed the mailboxes before the caller's change: run one more.
    refresh: async () => {
      await round;
      await runRound();
    },
    status: () => [...sessions.values()].map(({ session }) => session.status),
  };
};
