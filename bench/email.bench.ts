/**
 * Inbound email benchmark: messages per second through the built-in SMTP listener into tickets
 * (parse, raw + attachments to storage, one transaction per message), against a null smtp-server
 * sink that accepts and discards, with the same client and the same messages in the same run.
 *
 *   npx tsx bench/email.bench.ts                                                   # PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_email npx tsx bench/email.bench.ts
 *   options: --messages 2000 --large 200 --connections 8
 *
 * The database named by DATABASE_URL is created when missing and must be a throw-away one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { createApp } from '../src/server/app.ts';
import { startSmtpListener } from '../src/server/channels/email/smtp-listener.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { JobQueue } from '../src/server/jobs/queue.ts';
import { registerJobs } from '../src/server/jobs/registry.ts';
import { createSecrets } from '../src/server/lib/secrets.ts';
import { createDiskStorage } from '../src/server/lib/storage.ts';
import { createLogger } from '../src/server/logger.ts';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '2000' },
    large: { type: 'string', default: '200' },
    connections: { type: 'string', default: '8' },
  },
});
const databaseUrl = process.env.DATABASE_URL;
const SUPPORT = 'support@bench.example';
const CONNECTIONS = Number(args.connections);

const PHRASES = [
  'Здравствуйте! Хочу отменить тур в Карелию и вернуть деньги за бронирование.',
  'Оплата прошла дважды, прошу вернуть лишнее списание на карту.',
  'Можно ли перенести поездку на Алтай на следующий месяц? Нас будет четверо.',
  'Hello, I would like to change the dates of my Baikal trip, if the organizer agrees.',
  'Организатор не выходит на связь, а тур начинается через три дня. Что делать?',
];

const textOf = (offset: number, bytes: number) => {
  let text = '';
  for (let i = offset; Buffer.byteLength(text) < bytes; i++) text += `${PHRASES[i % PHRASES.length]}\n`;
  return text;
};
// Bodies are built once per size and phrase offset: the client's own work stays out of the figures.
const BODIES = new Map<string, string>();
/** A text body of about `bytes` bytes (UTF-8), the same mix of Russian and English as real mail. */
const bodyOf = (n: number, bytes: number) => {
  const key = `${bytes}:${n % PHRASES.length}`;
  if (!BODIES.has(key)) BODIES.set(key, textOf(n % PHRASES.length, bytes));
  return `Сообщение ${n}.\n${BODIES.get(key)}`;
};

const headersOf = (kind: string, n: number, contentType: string) =>
  [
    `From: Traveler ${n % 1000} <traveler${n % 1000}@mail.example>`,
    `To: ${SUPPORT}`,
    `Subject: ${kind} ${n}: вопрос по бронированию`,
    `Message-ID: <bench-${kind}-${n}-${randomBytes(4).toString('hex')}@mail.example>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
  ].join('\r\n');

/**
 * A 20 KB email as mail clients write one: multipart/alternative, ~6 KB of text and the same
 * text in ~14 KB of styled HTML (tables, inline styles).
 */
const alternativeMessage = (n: number) => {
  const lines = bodyOf(n, 6000).trimEnd().split('\n');
  const html = `<html><head><meta charset="utf-8"><style>p{margin:0}</style></head><body><div dir="ltr"><table width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td style="font-family:Arial,sans-serif;font-size:14px;color:#222">${lines
    .map((l) => `<p style="margin:0 0 8px 0;line-height:1.4"><span style="font-family:Arial">${l}</span></p>`)
    .join(
      '\r\n',
    )}</td></tr></table><div class="signature">--<br>Sent from my phone</div></div></body></html>`;
  return Buffer.from(
    [
      headersOf('alt', n, 'multipart/alternative; boundary="ALT"'),
      '',
      '--ALT',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      lines.join('\r\n'),
      '--ALT',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      html,
      '--ALT--',
      '',
    ].join('\r\n'),
  );
};

/** 20 KB of plain text, all of it indexed for search: the costliest 20 KB message there is. */
const plainMessage = (n: number) =>
  Buffer.from(
    `${headersOf('plain', n, 'text/plain; charset=utf-8')}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${bodyOf(n, 20_000).replace(/\n/g, '\r\n')}`,
  );

// One megabyte of random bytes, base64 in 76-character lines; each message prefixes 48 bytes of
// its own so no two attachments are the same file (content-addressed storage would dedupe them).
const LARGE_BASE64 = (
  randomBytes(1024 * 1024)
    .toString('base64')
    .match(/.{1,76}/g) ?? []
).join('\r\n');
const LARGE_TAIL = Buffer.from(`\r\n${LARGE_BASE64}\r\n--BENCH--\r\n`);
const largeMessage = (n: number) =>
  Buffer.concat([
    Buffer.from(
      [
        headersOf('large', n, 'multipart/mixed; boundary="BENCH"'),
        '',
        '--BENCH',
        'Content-Type: text/plain; charset=utf-8',
        '',
        bodyOf(n, 2000).replace(/\n/g, '\r\n'),
        '--BENCH',
        `Content-Type: application/pdf; name="voucher-${n}.pdf"`,
        `Content-Disposition: attachment; filename="voucher-${n}.pdf"`,
        'Content-Transfer-Encoding: base64',
        '',
        randomBytes(48).toString('base64'),
      ].join('\r\n'),
    ),
    LARGE_TAIL,
  ]);

/** Sends `count` messages over `CONNECTIONS` pooled connections; returns messages per second. */
const pump = async (port: number, count: number, build: (n: number) => Buffer): Promise<number> => {
  const transports = Array.from({ length: CONNECTIONS }, () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
    }),
  );
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    transports.map(async (transport) => {
      for (let n = next++; n < count; n = next++) {
        try {
          await transport.sendMail({
            envelope: { from: 'traveler@mail.example', to: [SUPPORT] },
            raw: build(n),
          });
        } catch (error) {
          failed += 1;
          if (failed < 5) console.error('send failed:', (error as Error).message);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const t of transports) t.close();
  if (failed > 0) throw new Error(`${failed} of ${count} messages were refused`);
  return count / seconds;
};

/** An SMTP server that accepts everything and throws it away once the DATA stream has ended. */
const startNullSink = async () => {
  const sink = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    size: 64 * 1024 * 1024,
    onData: (stream, _session, callback) => {
      stream.on('data', () => undefined);
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (sink.server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => sink.close(() => resolve())),
  };
};

const ensureDatabase = async (url: string) => {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();
};

const main = async () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tourdesk-email-bench-'));
  if (databaseUrl) await ensureDatabase(databaseUrl);
  const database = await openDatabase({ databaseUrl, dataDir: workDir, poolSize: 10 });
  await migrate(database);
  const logger = createLogger('silent');
  const config = loadConfig({ LOG_LEVEL: 'silent', TOURDESK_DATA_DIR: workDir });
  const queue = new JobQueue({ database, logger });
  const { services, hub } = createApp({
    database,
    config,
    logger,
    storage: createDiskStorage(path.join(workDir, 'attachments')),
    queue,
    secrets: createSecrets(randomBytes(32).toString('hex')),
  });
  registerJobs(queue, services);
  const existing = await database.db
    .selectFrom('mailboxes')
    .select('id')
    .where('address', '=', SUPPORT)
    .executeTakeFirst();
  if (!existing) {
    await database.db
      .insertInto('mailboxes')
      .values({
        address: SUPPORT,
        name: 'Bench',
        inbound_type: 'smtp',
        outbound: JSON.stringify({ host: '127.0.0.1', port: 9, secure: false, user: null }),
      })
      .execute();
  }
  const listener = await startSmtpListener({
    config: { ...config.smtp, port: 0, host: '127.0.0.1', maxBytes: 64 * 1024 * 1024 },
    intake: services.inboundEmail,
    logger,
  });
  const sink = await startNullSink();

  const cases = [
    { name: '20 KB text+HTML', count: Number(args.messages), build: alternativeMessage },
    { name: '20 KB plain text', count: Number(args.messages), build: plainMessage },
    { name: '1 MB attachment', count: Number(args.large), build: largeMessage },
  ];
  console.log(
    `tourdesk inbound email benchmark on ${database.kind}, ${CONNECTIONS} SMTP connections, Node ${process.version}, ${os.cpus().length} CPUs`,
  );
  // Warm-up: connection pools, JIT, the first contacts.
  await pump(sink.port, 100, alternativeMessage);
  await pump(listener.port, 100, alternativeMessage);
  const results = [];
  for (const c of cases) {
    const nullRate = await pump(sink.port, c.count, c.build);
    const rate = await pump(listener.port, c.count, c.build);
    results.push({ ...c, nullRate, rate });
    console.log(
      `${c.name.padEnd(17)} ${c.count.toString().padStart(5)} msgs   tourdesk ${rate.toFixed(0).padStart(6)} msg/s   null sink ${nullRate
        .toFixed(0)
        .padStart(6)} msg/s   ratio ${((rate / nullRate) * 100).toFixed(0)}%`,
    );
  }
  const stored = await database.db
    .selectFrom('email_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(`stored email rows: ${stored.n}`);

  await listener.close();
  await sink.close();
  await hub.stop();
  await database.close();
  fs.rmSync(workDir, { recursive: true, force: true });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
