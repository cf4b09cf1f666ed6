import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { TConfig } from '../src/server/config.ts';
import { createLogger } from '../src/server/logger.ts';
import { startServer, type TRunningServer } from '../src/server/server.ts';
import { ZPage } from '../src/shared/schemas/common.ts';
import { ZMessage, ZTicketDetail } from '../src/shared/schemas/tickets.ts';
import { connectOutcome, createHttpClient, liveConfig, makeTempDir, openRawSocket } from './server.ts';

// The default run mode: no DATABASE_URL (whatever the suite runs against), PGlite in a data
// directory that outlives the process. Each start is a cold PGlite start (several seconds).

const logger = createLogger('silent');
const dirs: string[] = [];
const running = new Set<TRunningServer>();

const start = async (config: TConfig) => {
  const server = await startServer(config, logger);
  running.add(server);
  return server;
};

const stop = async (server: TRunningServer) => {
  await server.close();
  running.delete(server);
};

const embeddedConfig = (env: Record<string, string> = {}) => {
  const dataDir = makeTempDir('tourdesk-embedded');
  dirs.push(dataDir);
  const config = liveConfig({ TOURDESK_DATA_DIR: dataDir, ...env });
  expect(config.databaseUrl).toBeUndefined();
  return config;
};

const countOf = async (server: TRunningServer, table: 'users' | 'tickets' | 'contacts' | 'messages') =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(server.database.db))
    .rows[0].n;

afterAll(async () => {
  await Promise.all([...running].map((s) => s.close()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded PGlite in a data directory', () => {
  it('keeps tickets, sessions and the generated admin across a restart, bootstraps once, drains on close', async () => {
    const config = embeddedConfig({ TOURDESK_DEMO: 'false' });

    const first = await start(config);
    expect(first.database.kind).toBe('pglite');
    expect(first.bootstrap.demo).toBeNull();
    const admin = first.bootstrap.admin;
    expect(admin?.email).toBe('admin@tourdesk.local');
    expect(admin?.generatedPassword).toMatch(/^[\w-]{16}$/);
    const password = admin?.generatedPassword ?? '';

    const client = createHttpClient(first.url);
    await client.login(admin?.email ?? '', password);
    const created = await client.call('POST', '/api/v1/tickets', {
      body: {
        subject: 'Survives a restart',
        requester: { identity: { channel: 'email', value: 'persistent@embedded.test' } },
        message: { text: 'Is the ferry included?' },
      },
    });
    expect(created.status).toBe(201);
    const ticket = ZTicketDetail.parse(created.json);
    await stop(first);
    expect(fs.existsSync(path.join(config.dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);

    const second = await start(config);
    expect(second.bootstrap).toEqual({ demo: null, admin: null });
    expect(await countOf(second, 'users')).toBe(1);
    expect(await countOf(second, 'tickets')).toBe(1);

    // The session cookie from before the restart still works: sessions live in the database.
    const again = await client.call('GET', `${second.url}/api/v1/tickets/${ticket.id}`);
    expect(again.status).toBe(200);
    expect(ZTicketDetail.parse(again.json)).toMatchObject({ id: ticket.id, subject: 'Survives a restart' });
    const messages = await client.call('GET', `${second.url}/api/v1/tickets/${ticket.id}/messages`);
    expect(
      ZPage(ZMessage)
        .parse(messages.json)
        .items.map((m) => m.text),
    ).toEqual(['Is the ferry included?']);
    // The admin was not re-created with a new password: the one shown on the first start still signs in.
    const fresh = createHttpClient(second.url);
    expect((await fresh.login(admin?.email ?? '', password)).status).toBe(200);

    // Shutting down: new connections are refused at once, a request already in flight still finishes.
    const token = await client.call('POST', `${second.url}/api/v1/api-tokens`, {
      body: { name: 'late', role: 'agent' },
    });
    expect(token.status).toBe(201);
    const body = JSON.stringify({
      subject: 'Sent while shutting down',
      requester: { identity: { channel: 'email', value: 'late@embedded.test' } },
    });
    const raw = await openRawSocket(second.url);
    raw.write(
      [
        'POST /api/v1/tickets HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${(token.json as { token: string }).token}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        // The server answers 100 Continue once it holds the request, before the body is sent.
        'Expect: 100-continue',
        '',
        '',
      ].join('\r\n'),
    );
    await raw.waitFor('HTTP/1.1 100 Continue');

    const closing = Promise.all([second.close(), second.close()]);
    expect(await connectOutcome(second.url)).toBe('ECONNREFUSED');
    raw.write(body);
    const response = await raw.ended;
    expect(response).toContain('HTTP/1.1 201 Created');
    expect(response).toContain('"subject":"Sent while shutting down"');
    await closing;
    running.delete(second);
    expect(await connectOutcome(second.url)).toBe('ECONNREFUSED');
    await second.close();
  });

  it('seeds the demo workspace on the first start only', async () => {
    const config = embeddedConfig();
    expect(config.demo).toBeUndefined();

    const first = await start(config);
    const demo = first.bootstrap.demo;
    expect(demo?.tickets).toBeGreaterThan(0);
    // The demo brings its own staff: no separate admin is created without TOURDESK_ADMIN_EMAIL.
    expect(first.bootstrap.admin).toBeNull();
    const counts = {
      users: await countOf(first, 'users'),
      tickets: await countOf(first, 'tickets'),
      contacts: await countOf(first, 'contacts'),
      messages: await countOf(first, 'messages'),
    };
    expect(counts.users).toBe(demo?.users);
    expect(counts.tickets).toBe(demo?.tickets);
    await stop(first);

    const second = await start(config);
    expect(second.bootstrap).toEqual({ demo: null, admin: null });
    expect({
      users: await countOf(second, 'users'),
      tickets: await countOf(second, 'tickets'),
      contacts: await countOf(second, 'contacts'),
      messages: await countOf(second, 'messages'),
    }).toEqual(counts);
    const login = demo?.logins.find((l) => l.role === 'admin') ?? demo?.logins[0];
    const client = createHttpClient(second.url);
    expect((await client.login(login?.email ?? '', login?.password ?? '')).status).toBe(200);
    await stop(second);
  });
});
