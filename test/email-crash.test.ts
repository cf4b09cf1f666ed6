import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type TDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { createEmptyServerDatabase, serverUrl } from './database.ts';
import { createMailbox, rawMail, smtpClient } from './email.ts';
import { freePort, makeTempDir } from './server.ts';

// Crash safety of inbound SMTP: tourdesk runs as its own process (as in production) while a few
// concurrent SMTP clients send 2,000 messages; the process is killed with SIGKILL at random
// moments and restarted, and clients resend whatever was not answered 250. Afterwards every
// message that got 250 is stored exactly once. PGlite in a data directory, or PostgreSQL.

const TOTAL = 2000;
const CLIENTS = 4;
const KILLS = 2;
const SUPPORT = 'support@crash.example';
const ROOT = path.resolve(import.meta.dirname, '..');

let dataDir: string;
let serverDb: { url: string; drop: () => Promise<void> } | undefined;
let smtpPort: number;
let env: NodeJS.ProcessEnv;
let child: ChildProcess | undefined;
let output = '';

const openStore = (): Promise<TDatabase> =>
  openDatabase({ databaseUrl: serverDb?.url, dataDir, poolSize: 2 });

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts `node --import tsx src/server/main.ts` and waits until its SMTP port answers. */
const startTourdesk = async (): Promise<ChildProcess> => {
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.stdout?.on('data', (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  started.stderr?.on('data', (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const deadline = Date.now() + 60_000;
  while (!(output.includes('Inbound SMTP on') && (await canConnect(smtpPort)))) {
    if (started.exitCode !== null) throw new Error(`tourdesk exited (${started.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`tourdesk did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  output = '';
  return started;
};

const exited = (p: ChildProcess) =>
  new Promise<void>((resolve) =>
    p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve()),
  );

beforeAll(async () => {
  dataDir = makeTempDir('tourdesk-crash');
  const base = serverUrl();
  if (base) serverDb = await createEmptyServerDatabase(base);
  // The mailbox goes in before the first start (PGlite's data directory has one user at a time).
  const store = await openStore();
  await migrate(store);
  await createMailbox(store, { address: SUPPORT });
  await store.close();
  smtpPort = await freePort();
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    TOURDESK_DATA_DIR: dataDir,
    TOURDESK_DEMO: 'false',
    TOURDESK_SMTP_PORT: String(smtpPort),
    TOURDESK_SMTP_HOST: '127.0.0.1',
    TOURDESK_SECRET_KEY: 'crash-test-secret-key-0123456789abcdef',
    LOG_LEVEL: 'error',
    ...(serverDb && { DATABASE_URL: serverDb.url }),
  };
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  await serverDb?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it(`every message answered 250 is stored exactly once across ${KILLS} SIGKILLs`, async () => {
  const seed = Date.now();
  let random = seed;
  const nextRandom = () => {
    random = (random * 1103515245 + 12345) % 2 ** 31;
    return random / 2 ** 31;
  };
  // Kill points: after a random number of 250s, spread over the run.
  const killAfter = Array.from({ length: KILLS }, (_, i) =>
    Math.floor(((i + 0.2 + nextRandom() * 0.6) / (KILLS + 1)) * TOTAL),
  );

  const messageId = (n: number) => `<crash-${n}@sender.example>`;
  const messageOf = (n: number) =>
    rawMail(
      [
        `From: Sender ${n % 50} <sender${n % 50}@sender.example>`,
        `To: ${SUPPORT}`,
        `Subject: Crash test message ${n}`,
        `Message-ID: ${messageId(n)}`,
        'Content-Type: text/plain; charset=utf-8',
      ],
      `Message number ${n}.\n${'Lorem ipsum dolor sit amet. '.repeat(20)}`,
    );

  const pending = Array.from({ length: TOTAL }, (_, n) => n);
  const acked = new Set<number>();
  const ackedBeforeKill: number[][] = [];
  let answeredOther = 0;
  let serverUp = true;

  child = await startTourdesk();

  const worker = async () => {
    let client = smtpClient(smtpPort, { pool: true, connectionTimeout: 2000 });
    for (;;) {
      const n = pending.shift();
      if (n === undefined) {
        if (acked.size >= TOTAL) break;
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      if (!serverUp) {
        pending.unshift(n);
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const answer = await client.sendRaw(messageOf(n), {
        from: `sender${n % 50}@sender.example`,
        to: [SUPPORT],
      });
      if (answer.ok && answer.code === 250) {
        acked.add(n);
      } else {
        // Refused, cut off or not answered: not acknowledged, so it is sent again.
        answeredOther += 1;
        pending.push(n);
        client.close();
        client = smtpClient(smtpPort, { pool: true, connectionTimeout: 2000 });
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    client.close();
  };

  const killer = async () => {
    for (const threshold of killAfter) {
      while (acked.size < threshold) await new Promise((r) => setTimeout(r, 5));
      const running = child!;
      running.kill('SIGKILL');
      serverUp = false;
      await exited(running);
      ackedBeforeKill.push([...acked]);
      child = await startTourdesk();
      serverUp = true;
    }
  };

  await Promise.all([killer(), ...Array.from({ length: CLIENTS }, worker)]);
  expect(acked.size).toBe(TOTAL);
  expect(ackedBeforeKill).toHaveLength(KILLS);
  expect(answeredOther).toBeGreaterThan(0);

  child.kill('SIGTERM');
  await exited(child);
  const store = await openStore();
  try {
    const rows = (
      await sql<{ message_id: string; copies: number; with_ticket: number }>`
          SELECT message_id, count(*)::int AS copies, count(ticket_id)::int AS with_ticket
          FROM email_messages WHERE direction = 'inbound' GROUP BY message_id`.execute(store.db)
    ).rows;
    const byId = new Map(rows.map((r) => [r.message_id, r]));
    const missing = [...acked].filter((n) => !byId.has(messageId(n)));
    const twice = rows.filter((r) => r.copies !== 1);
    expect({ seed, killAfter, missing, twice }).toEqual({ seed, killAfter, missing: [], twice: [] });
    // Messages acknowledged before each kill survived it.
    for (const before of ackedBeforeKill) expect(before.every((n) => byId.has(messageId(n)))).toBe(true);
    expect(rows.every((r) => r.with_ticket === 1)).toBe(true);
    const messages = await sql<{ n: number }>`SELECT count(*)::int AS n FROM messages`.execute(store.db);
    expect(messages.rows[0].n).toBe(TOTAL);
  } finally {
    await store.close();
  }
}, 180_000);
