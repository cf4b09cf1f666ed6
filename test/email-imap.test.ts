import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createImapFetcher,
  type TImapMailboxStatus,
  type TIngestEmail,
} from '../src/server/channels/email/imap-fetcher.ts';
import type { TDatabase } from '../src/server/db/database.ts';
import { createLeases } from '../src/server/jobs/lease.ts';
import { createLogger } from '../src/server/logger.ts';
import { startServer, type TRunningServer } from '../src/server/server.ts';
import { ZPage } from '../src/shared/schemas/common.ts';
import { ZQuarantineItem } from '../src/shared/schemas/email-quarantine.ts';
import { ZMailbox } from '../src/shared/schemas/mailboxes.ts';
import { ZMessage, ZTicketDetail } from '../src/shared/schemas/tickets.ts';
import { createTestApp, type TTestApp } from './app.ts';
import { createEmptyServerDatabase, serverUrl } from './database.ts';
import { startDovecot, type TDovecot, type TDovecotUser } from './dovecot.ts';
import { createHttpClient, liveConfig, makeTempDir } from './server.ts';

// IMAP mailboxes against a real Dovecot (Debian's dovecot-imapd, see test/dovecot.ts): tourdesk
// nodes started as in production (startServer) fetch what an IMAP client APPENDs. Runs on PGlite
// in a data directory, or on a throw-away PostgreSQL database when DATABASE_URL is set; there,
// a second node on the same database checks that a mailbox is fetched by one node only.

const ADMIN = { email: 'admin@imap.test', password: 'admin-password-1' };
const logger = createLogger('silent');
const isPostgres = serverUrl() !== undefined;

const users: Record<string, TDovecotUser> = Object.fromEntries(
  ['support', 'sales', 'ops', 'history', 'archive', 'team', 'locked', 'steady', 'flaky'].map((user) => [
    user,
    { user, password: `${user}-pass` },
  ]),
);

let dovecot: TDovecot;
/** A second Dovecot that does not announce IDLE: the fetcher must poll it. */
let noIdleDovecot: TDovecot;
let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;
const dataDirs: string[] = [];
const nodes = new Set<TRunningServer>();
/** The node the tests talk to; replaced on restart. */
let node: TRunningServer;

const startNode = async () => {
  const started = await startServer(liveConfig(env), logger);
  nodes.add(started);
  return started;
};

const stopNode = async (running: TRunningServer) => {
  await running.close();
  nodes.delete(running);
};

const admin = async (running: TRunningServer = node) => {
  const http = createHttpClient(running.url);
  await http.login(ADMIN.email, ADMIN.password);
  return http;
};

const waitFor = async <T>(
  what: string,
  check: () => Promise<T | false | undefined | null> | T | false | undefined | null,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${dovecot.log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const sessionOf = (running: TRunningServer, mailboxId: number): TImapMailboxStatus | undefined =>
  running.imap?.status().find((s) => s.mailboxId === mailboxId);

/** Waits until running's session for the mailbox has synced at least `syncs` times and is waiting for mail. */
const waitSynced = (running: TRunningServer, mailboxId: number, syncs = 1) =>
  waitFor(`mailbox ${mailboxId} to sync ${syncs}×`, () => {
    const s = sessionOf(running, mailboxId);
    return s && s.syncs >= syncs && (s.state === 'idle' || s.state === 'polling') && s;
  });

const createMailbox = async (
  server: TDovecot,
  user: TDovecotUser,
  options: { password?: string; folder?: string } = {},
): Promise<number> => {
  const http = await admin();
  const res = await http.call('POST', '/api/v1/mailboxes', {
    body: {
      address: `${user.user}-${randomUUID().slice(0, 6)}@tours.example`,
      name: `${user.user} mailbox`,
      inbound: {
        type: 'imap',
        host: server.host,
        port: server.port,
        secure: false,
        user: user.user,
        password: options.password ?? user.password,
        folder: options.folder ?? 'INBOX',
      },
      outbound: { host: '127.0.0.1', port: 2525, secure: false },
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  const mailbox = ZMailbox.parse(res.json);
  // Claim now instead of at the next claim round.
  await node.imap?.refresh();
  return mailbox.id;
};

type TMail = { messageId: string; from: string; subject: string; text: string; raw: Buffer };

const mail = (
  options: { from?: string; subject?: string; text?: string; headers?: string[] } = {},
): TMail => {
  const messageId = `<${randomUUID()}@customers.example>`;
  const from = options.from ?? `traveler-${randomUUID().slice(0, 8)}@customers.example`;
  const subject = options.subject ?? `Question ${randomUUID().slice(0, 8)}`;
  const text = options.text ?? `Hello, when does the tour start? ${randomUUID()}`;
  const raw = Buffer.from(
    [
      `From: Traveler <${from}>`,
      'To: support@tours.example',
      `Subject: ${subject}`,
      `Message-ID: ${messageId}`,
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      ...(options.headers ?? []),
      '',
      Buffer.from(text, 'utf8').toString('base64'),
      '',
    ].join('\r\n'),
  );
  return { messageId, from, subject, text, raw };
};

const append = async (
  server: TDovecot,
  user: TDovecotUser,
  raws: Buffer[],
  options: { folder?: string; flags?: string[] } = {},
) => {
  const client = await server.connect(user);
  try {
    for (const raw of raws) await client.append(options.folder ?? 'INBOX', raw, options.flags);
  } finally {
    await client.logout();
  }
};

/** UID → flags of every message in the folder. */
const flagsOf = async (server: TDovecot, user: TDovecotUser, folder = 'INBOX') => {
  const client = await server.connect(user);
  try {
    const box = await client.mailboxOpen(folder);
    const flags = new Map<number, Set<string>>();
    if (box.exists === 0) return flags;
    for (const m of await client.fetchAll('1:*', { uid: true, flags: true }, { uid: true })) {
      flags.set(m.uid, m.flags ?? new Set());
    }
    return flags;
  } finally {
    await client.logout();
  }
};

const setUnseen = async (server: TDovecot, user: TDovecotUser, uids = '1:*') => {
  const client = await server.connect(user);
  try {
    await client.mailboxOpen('INBOX');
    await client.messageFlagsRemove(uids, ['\\Seen'], { uid: true });
  } finally {
    await client.logout();
  }
};

const inboundCount = async (db: TDatabase, mailboxId: number) =>
  (
    await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM email_messages WHERE mailbox_id = ${mailboxId} AND direction = 'inbound'
    `.execute(db.db)
  ).rows[0].n;

const ticketCount = async (db: TDatabase) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db.db)).rows[0].n;

const cursorOf = async (db: TDatabase, mailboxId: number) =>
  db.db
    .selectFrom('imap_cursors')
    .select(['folder', 'uid_validity', 'last_uid'])
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();

const ticketOf = async (db: TDatabase, messageId: string) =>
  (
    await db.db
      .selectFrom('email_messages')
      .select('ticket_id')
      .where('message_id', '=', messageId)
      .where('direction', '=', 'inbound')
      .executeTakeFirst()
  )?.ticket_id ?? null;

const sumOutcomes = (statuses: (TImapMailboxStatus | undefined)[]) => {
  const sum: Record<string, number> = {};
  for (const s of statuses) {
    for (const [k, v] of Object.entries(s?.outcomes ?? {})) sum[k] = (sum[k] ?? 0) + v;
  }
  return sum;
};

beforeAll(async () => {
  dovecot = await startDovecot({ users: Object.values(users) });
  noIdleDovecot = await startDovecot({
    users: [users.support],
    capability: 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE NAMESPACE',
  });
  const dataDir = makeTempDir('tourdesk-imap');
  dataDirs.push(dataDir);
  const base = serverUrl();
  let databaseUrl: string | undefined;
  if (base) {
    const created = await createEmptyServerDatabase(base);
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  env = {
    TOURDESK_DATA_DIR: dataDir,
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
    TOURDESK_ADMIN_EMAIL: ADMIN.email,
    TOURDESK_ADMIN_PASSWORD: ADMIN.password,
    TOURDESK_DEMO: 'false',
    TOURDESK_SMTP_PORT: '0',
    TOURDESK_SECRET_KEY: 'imap-test-master-key-0123456789abcdef',
    TOURDESK_IMAP_POLL_SECONDS: '1',
  };
  node = await startNode();
});

afterAll(async () => {
  for (const running of [...nodes]) await stopNode(running);
  await dropDatabase?.();
  await dovecot?.destroy();
  await noIdleDovecot?.destroy();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('IMAP mailboxes against Dovecot', () => {
  const sent: TMail[] = [];
  let supportId: number;

  it('imports appended mail once, with its text, marks it \\Seen and moves the cursor', async () => {
    supportId = await createMailbox(dovecot, users.support);
    const session = await waitSynced(node, supportId);
    expect(session.mode).toBe('idle');

    sent.push(
      mail({ subject: 'Тур по Карелии', text: 'Здравствуйте! Во сколько сбор группы в Петрозаводске?' }),
      mail(),
      mail(),
    );
    await append(
      dovecot,
      users.support,
      sent.map((m) => m.raw),
    );
    await waitFor('3 imported', async () => (await inboundCount(node.database, supportId)) === 3);

    const http = await admin();
    for (const m of sent) {
      const ticketId = await ticketOf(node.database, m.messageId);
      expect(ticketId).not.toBeNull();
      const ticket = ZTicketDetail.parse((await http.call('GET', `/api/v1/tickets/${ticketId}`)).json);
      expect(ticket.subject).toBe(m.subject);
      expect(ticket.channel).toBe('email');
      const messages = ZPage(ZMessage).parse(
        (await http.call('GET', `/api/v1/tickets/${ticketId}/messages`)).json,
      );
      expect(messages.items).toHaveLength(1);
      expect(messages.items[0].text.trim()).toBe(m.text);
    }

    // \Seen only follows the commit, so it may trail the rows by a moment.
    await waitFor('all \\Seen', async () =>
      [...(await flagsOf(dovecot, users.support)).values()].every((f) => f.has('\\Seen')),
    );
    expect(await cursorOf(node.database, supportId)).toMatchObject({ folder: 'INBOX', last_uid: 3 });

    // More syncs (the 1 s safety re-sync) import nothing again.
    const syncs = sessionOf(node, supportId)?.syncs ?? 0;
    await waitSynced(node, supportId, syncs + 2);
    expect(await inboundCount(node.database, supportId)).toBe(3);
    expect(sessionOf(node, supportId)?.outcomes).toMatchObject({ created: 3, duplicate: 0 });
  });

  it('keeps its place across a restart: nothing is fetched again, even unread, and new mail flows', async () => {
    const tickets = await ticketCount(node.database);
    await stopNode(node);
    // Flags are not what keeps mail from being imported twice: the cursor is.
    await setUnseen(dovecot, users.support);
    node = await startNode();

    const session = await waitSynced(node, supportId, 2);
    expect(Object.values(session.outcomes).every((n) => n === 0)).toBe(true);
    expect(await inboundCount(node.database, supportId)).toBe(3);
    expect(await ticketCount(node.database)).toBe(tickets);
    expect([...(await flagsOf(dovecot, users.support)).values()].some((f) => f.has('\\Seen'))).toBe(false);

    const next = mail();
    sent.push(next);
    await append(dovecot, users.support, [next.raw]);
    await waitFor('the new message', async () => (await inboundCount(node.database, supportId)) === 4);
    expect(await ticketOf(node.database, next.messageId)).not.toBeNull();
    await waitFor('cursor at 4', async () => (await cursorOf(node.database, supportId))?.last_uid === 4);
    expect((await flagsOf(dovecot, users.support)).get(4)?.has('\\Seen')).toBe(true);
  });

  it('quarantines a broken message and imports the one after it', async () => {
    const salesId = await createMailbox(dovecot, users.sales);
    await waitSynced(node, salesId);
    const broken = Buffer.from(
      [
        'From: "Broken" <not an address>',
        'Subject: =?koi8-r?B?broken',
        'Content-Type: multipart/mixed',
        `Message-ID: <${randomUUID()}@broken.example>`,
        '',
        '--no boundary was declared',
        'Content-Type: text/plain',
        '',
        'lost',
        '',
      ].join('\r\n'),
    );
    const good = mail({ subject: 'After the broken one' });
    await append(dovecot, users.sales, [broken, good.raw]);

    await waitFor('the good message', async () => (await ticketOf(node.database, good.messageId)) !== null);
    await waitFor('cursor at 2', async () => (await cursorOf(node.database, salesId))?.last_uid === 2);
    expect(sessionOf(node, salesId)?.outcomes).toMatchObject({ quarantined: 1, created: 1 });

    const http = await admin();
    const page = ZPage(ZQuarantineItem).parse((await http.call('GET', '/api/v1/email/quarantine')).json);
    const held = page.items.filter((q) => q.mailboxId === salesId);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ source: 'imap', status: 'held' });
    expect(held[0].reason).toMatch(/sender/i);
    // Held is stored: the broken message is acknowledged like any other and never fetched again.
    const flags = await flagsOf(dovecot, users.sales);
    expect([...flags.values()].every((f) => f.has('\\Seen'))).toBe(true);
  });

  it('re-scans after a UIDVALIDITY change without importing anything twice', async () => {
    const opsId = await createMailbox(dovecot, users.ops);
    await waitSynced(node, opsId);
    const first = [mail(), mail()];
    await append(
      dovecot,
      users.ops,
      first.map((m) => m.raw),
    );
    await waitFor('2 imported', async () => (await cursorOf(node.database, opsId))?.last_uid === 2);
    const before = await cursorOf(node.database, opsId);
    const tickets = await ticketCount(node.database);
    // One unread (re-fetched as unread), one read (re-fetched as recent): both are duplicates.
    await setUnseen(dovecot, users.ops, '1');
    const uidValidity = Number(before?.uid_validity) + 1000;
    await dovecot.doveadm(['mailbox', 'update', '-u', 'ops', '--uid-validity', String(uidValidity), 'INBOX']);
    const later = mail();
    await append(dovecot, users.ops, [later.raw]);

    await waitFor(
      'the cursor under the new UIDVALIDITY',
      async () => (await cursorOf(node.database, opsId))?.uid_validity === uidValidity,
    );
    await waitFor('the later message', async () => (await ticketOf(node.database, later.messageId)) !== null);
    expect(await inboundCount(node.database, opsId)).toBe(3);
    expect(await ticketCount(node.database)).toBe(tickets + 1);
    expect(sessionOf(node, opsId)?.outcomes).toMatchObject({ created: 3, duplicate: 2 });
    expect(await cursorOf(node.database, opsId)).toMatchObject({ uid_validity: uidValidity, last_uid: 3 });
  });

  it('a new mailbox imports its unread mail, not the read history; \\Deleted mail is skipped', async () => {
    const read = mail();
    const unread = mail();
    await append(dovecot, users.history, [read.raw], { flags: ['\\Seen'] });
    await append(dovecot, users.history, [unread.raw]);
    const historyId = await createMailbox(dovecot, users.history);
    await waitFor('the first scan', async () => (await cursorOf(node.database, historyId))?.last_uid === 2);
    expect(await ticketOf(node.database, unread.messageId)).not.toBeNull();
    expect(await ticketOf(node.database, read.messageId)).toBeNull();

    const deleted = mail();
    const next = mail();
    await append(dovecot, users.history, [deleted.raw], { flags: ['\\Deleted'] });
    await append(dovecot, users.history, [next.raw]);
    await waitFor(
      'the cursor past both',
      async () => (await cursorOf(node.database, historyId))?.last_uid === 4,
    );
    expect(await ticketOf(node.database, next.messageId)).not.toBeNull();
    expect(await ticketOf(node.database, deleted.messageId)).toBeNull();
    expect(await inboundCount(node.database, historyId)).toBe(2);
  });

  it('polls a server that does not offer IDLE', async () => {
    const mailboxId = await createMailbox(noIdleDovecot, users.support);
    const session = await waitSynced(node, mailboxId);
    expect(session.mode).toBe('poll');
    const m = mail();
    await append(noIdleDovecot, users.support, [m.raw]);
    await waitFor('the polled message', async () => (await ticketOf(node.database, m.messageId)) !== null);
    await waitFor('\\Seen', async () => (await flagsOf(noIdleDovecot, users.support)).get(1)?.has('\\Seen'));
  });

  it('moves imported mail to moveTo instead of marking it \\Seen, creating the folder', async () => {
    const archiveId = await createMailbox(dovecot, users.archive);
    await waitSynced(node, archiveId);
    // The mailboxes API has no field for it yet: set it in the stored settings. A changed mailbox restarts its session.
    await sql`UPDATE mailboxes SET imap = imap || '{"moveTo":"Imported"}'::jsonb WHERE id = ${archiveId}`.execute(
      node.database.db,
    );
    await node.imap?.refresh();
    await waitFor('the restarted session', () => {
      const s = sessionOf(node, archiveId);
      return s && s.syncs >= 1 && s.state === 'idle';
    });
    const m = mail();
    await append(dovecot, users.archive, [m.raw]);
    await waitFor(
      'the moved message',
      async () => (await flagsOf(dovecot, users.archive, 'Imported')).size === 1,
    );
    expect(await ticketOf(node.database, m.messageId)).not.toBeNull();
    expect((await flagsOf(dovecot, users.archive)).size).toBe(0);
  });

  it('a wrong password backs off without stopping other mailboxes; fixed, the mailbox flows', async () => {
    const lockedId = await createMailbox(dovecot, users.locked, { password: 'not-the-password' });
    const failing = await waitFor('the login failure', () => {
      const s = sessionOf(node, lockedId);
      return s?.state === 'backoff' && s.lastError !== null && s;
    });
    expect(failing.lastError).toMatch(/auth/i);

    const steadyId = await createMailbox(dovecot, users.steady);
    await waitSynced(node, steadyId);
    const other = mail();
    await append(dovecot, users.steady, [other.raw]);
    await waitFor('the other mailbox', async () => (await ticketOf(node.database, other.messageId)) !== null);

    const waiting = mail();
    await append(dovecot, users.locked, [waiting.raw]);
    const http = await admin();
    const fixed = await http.call('PATCH', `/api/v1/mailboxes/${lockedId}`, {
      body: {
        inbound: {
          type: 'imap',
          host: dovecot.host,
          port: dovecot.port,
          secure: false,
          user: 'locked',
          password: users.locked.password,
          folder: 'INBOX',
        },
      },
    });
    expect(fixed.status, JSON.stringify(fixed.json)).toBe(200);
    await node.imap?.refresh();
    await waitFor(
      'the waiting message',
      async () => (await ticketOf(node.database, waiting.messageId)) !== null,
    );
  });

  it('reconnects when the IMAP server goes away and comes back; the process keeps running', async () => {
    const flakyId = await createMailbox(dovecot, users.flaky);
    await waitSynced(node, flakyId);
    await dovecot.stop();
    await waitFor('the session to notice', () => sessionOf(node, flakyId)?.state === 'backoff');
    await dovecot.start();
    const m = mail();
    await append(dovecot, users.flaky, [m.raw]);
    await waitFor(
      'the message after the outage',
      async () => (await ticketOf(node.database, m.messageId)) !== null,
      30_000,
    );
    const health = await fetch(`${node.url}/api/v1/health`);
    expect(health.status).toBe(200);
  });

  it(
    isPostgres
      ? 'two nodes on one database: one session per mailbox, every message imported once, failover'
      : 'one node (PGlite is single-node): one session per mailbox, every message imported once',
    async () => {
      const teamId = await createMailbox(dovecot, users.team);
      const cluster = [node];
      if (isPostgres) cluster.push(await startNode());
      for (const n of cluster) await n.imap?.refresh();

      const mailboxIds = (
        await node.database.db
          .selectFrom('mailboxes')
          .select('id')
          .where('inbound_type', '=', 'imap')
          .where('is_active', '=', true)
          .execute()
      ).map((r) => r.id);
      for (const id of mailboxIds) {
        const holders = cluster.filter((n) => sessionOf(n, id));
        expect(holders.length, `sessions of mailbox ${id}`).toBe(1);
      }

      const batch = Array.from({ length: 20 }, () => mail());
      await append(
        dovecot,
        users.team,
        batch.map((m) => m.raw),
      );
      await waitFor('20 imported', async () => (await cursorOf(node.database, teamId))?.last_uid === 20);
      expect(await inboundCount(node.database, teamId)).toBe(20);
      const outcomes = sumOutcomes(cluster.map((n) => sessionOf(n, teamId)));
      expect(outcomes).toMatchObject({ created: 20, duplicate: 0 });
      for (const m of batch) expect(await ticketOf(node.database, m.messageId)).not.toBeNull();

      if (!isPostgres) return;
      // The holder stops; the other node takes the mailbox over at its next claim round.
      const holder = cluster.find((n) => sessionOf(n, teamId))!;
      const survivor = cluster.find((n) => n !== holder)!;
      await stopNode(holder);
      node = survivor;
      await waitSynced(survivor, teamId);
      const after = mail();
      await append(dovecot, users.team, [after.raw]);
      await waitFor(
        'the message after failover',
        async () => (await ticketOf(node.database, after.messageId)) !== null,
      );
      expect(await inboundCount(node.database, teamId)).toBe(21);
      expect(sessionOf(survivor, teamId)?.outcomes).toMatchObject({ created: 1, duplicate: 0 });
    },
  );
});

describe('IMAP fetcher when the database fails', () => {
  let app: TTestApp;
  const user: TDovecotUser = { user: 'support', password: 'support-pass' };
  let server: TDovecot;

  beforeAll(async () => {
    app = await createTestApp();
    server = await startDovecot({ users: [user] });
  });

  afterAll(async () => {
    await server?.destroy();
    await app?.close();
  });

  it('stops the batch without advancing or acknowledging, and resumes where it stopped', async () => {
    const created = await app.request('POST', '/api/v1/mailboxes', {
      token: app.tokens.admin,
      body: {
        address: 'failing@tours.example',
        name: 'Failing',
        inbound: {
          type: 'imap',
          host: server.host,
          port: server.port,
          secure: false,
          user: user.user,
          password: user.password,
          folder: 'INBOX',
        },
        outbound: { host: '127.0.0.1', port: 2525, secure: false },
      },
    });
    expect(created.status).toBe(201);
    const mailboxId = ZMailbox.parse(created.json).id;

    // The ingest itself is real; in front of it the database "goes away" for the second message.
    let isDatabaseDown = false;
    let failures = 0;
    const calls: string[] = [];
    const ingest: TIngestEmail = async (input) => {
      const messageId = /Message-ID: (<[^>]+>)/.exec(input.raw.toString('latin1'))?.[1] ?? '?';
      calls.push(messageId);
      if (isDatabaseDown && messageId === batch[1].messageId) {
        failures += 1;
        throw Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        });
      }
      return app.services.inboundEmail.ingest(input);
    };
    const leases = createLeases({ database: app.database, databaseUrl: app.database.url, logger });
    const fetcher = createImapFetcher({
      database: app.database,
      logger,
      secrets: app.secrets,
      leases,
      listMailboxes: () => app.services.mailboxes.listActive(app.database.db),
      ingest,
      pollMs: 1000,
      backoffMs: () => 100,
    });
    const batch = [mail(), mail(), mail()];
    try {
      fetcher.start();
      await waitFor('the session', () => fetcher.status()[0]?.syncs);
      isDatabaseDown = true;
      await append(
        server,
        user,
        batch.map((m) => m.raw),
      );
      await waitFor('two failed attempts', () => failures >= 2);

      // Message 1 committed, acknowledged and passed; 2 stopped the batch; 3 was never tried.
      expect((await cursorOf(app.database, mailboxId))?.last_uid).toBe(1);
      const flags = await flagsOf(server, user);
      expect(flags.get(1)?.has('\\Seen')).toBe(true);
      expect(flags.get(2)?.has('\\Seen')).toBe(false);
      expect(flags.get(3)?.has('\\Seen')).toBe(false);
      expect(calls).not.toContain(batch[2].messageId);
      expect(fetcher.status()[0].lastError).toMatch(/IngestFailed/);

      isDatabaseDown = false;
      await waitFor('the cursor at 3', async () => (await cursorOf(app.database, mailboxId))?.last_uid === 3);
      expect(await inboundCount(app.database, mailboxId)).toBe(3);
      expect(fetcher.status()[0].outcomes).toMatchObject({ created: 3, duplicate: 0 });
      expect(calls.filter((id) => id === batch[0].messageId)).toHaveLength(1);
      expect(calls.filter((id) => id === batch[2].messageId)).toHaveLength(1);
      await waitFor('all \\Seen', async () =>
        [...(await flagsOf(server, user)).values()].every((f) => f.has('\\Seen')),
      );
    } finally {
      await fetcher.stop();
      await leases.close();
    }
  });
});
