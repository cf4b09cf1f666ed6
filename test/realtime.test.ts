import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/server/logger.ts';
import { STREAM_PATH } from '../src/server/realtime/hub.ts';
import { startServer, type TRunningServer } from '../src/server/server.ts';
import { ZCreatedApiToken, ZMe } from '../src/shared/schemas/auth.ts';
import { ZMessage, ZTicketDetail } from '../src/shared/schemas/tickets.ts';
import { createTestDatabase, serverUrl, type TTestDatabase } from './database.ts';
import {
  connectOutcome,
  createHttpClient,
  liveConfig,
  makeTempDir,
  openRawSocket,
  openStream,
  type TStream,
  type TStreamMessage,
} from './server.ts';

// Real servers on real ports: HTTP writes must come back as WebSocket events on /api/v1/stream.
// On PostgreSQL every event travels through NOTIFY, and a second node shares the database.

const ADMIN_EMAIL = 'admin@realtime.test';
const PASSWORD = 'password-123';
const onPostgres = serverUrl() !== undefined;
const logger = createLogger('silent');

let database: TTestDatabase | undefined;
let dataDir: string;
let nodeA: TRunningServer;
/** A second node on the same database (PostgreSQL); on PGlite there is one node, so nodeB is nodeA. */
let nodeB: TRunningServer;
const streams: TStream[] = [];

let admin: ReturnType<typeof createHttpClient>;
let agent: ReturnType<typeof createHttpClient>;
let agentToken: string;
let departmentToken: string;
let seq = 0;

const stream = async (...args: Parameters<typeof openStream>) => {
  const s = await openStream(...args);
  streams.push(s);
  return s;
};

const createUser = async (role: string, department?: string) => {
  const email = `${role.replace('_', '-')}@realtime.test`;
  const res = await admin.call('POST', '/api/v1/users', {
    body: { email, name: `Realtime ${role}`, role, password: PASSWORD, department },
  });
  expect(res.status).toBe(201);
  return email;
};

const createToken = async (role: string) => {
  const res = await admin.call('POST', '/api/v1/api-tokens', { body: { name: `${role} stream`, role } });
  expect(res.status).toBe(201);
  return ZCreatedApiToken.parse(res.json).token;
};

/** A ticket opened by a traveler's message, created by the signed-in agent over HTTP. */
const createTicket = async (client = agent, baseUrl = nodeA.url) => {
  const res = await client.call('POST', `${baseUrl}/api/v1/tickets`, {
    body: {
      subject: `Realtime ticket ${++seq}`,
      requester: { identity: { channel: 'email', value: `traveler.${seq}@realtime.test` } },
      message: { text: 'Can I bring my dog on the tour?' },
    },
  });
  expect(res.status).toBe(201);
  return ZTicketDetail.parse(res.json);
};

const reply = async (ticketId: number, client = agent, baseUrl = nodeA.url) => {
  const res = await client.call('POST', `${baseUrl}/api/v1/tickets/${ticketId}/messages`, {
    body: { text: 'Yes, dogs are welcome.' },
  });
  expect(res.status).toBe(201);
  return ZMessage.parse(res.json);
};

const isEvent = (type: string, ticketId: number, messageId?: number) => (m: TStreamMessage) =>
  m.type === 'ticket.event' &&
  m.ticketId === ticketId &&
  m.event?.type === type &&
  m.event.id > 0 &&
  (messageId === undefined || (m.event.data as { messageId?: number }).messageId === messageId);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: { status?: number; code?: string }) => err.status ?? err.code ?? 'error',
  );

beforeAll(async () => {
  dataDir = makeTempDir('tourdesk-realtime');
  if (onPostgres) database = await createTestDatabase();
  const config = liveConfig({
    DATABASE_URL: database?.url,
    TOURDESK_DATA_DIR: dataDir,
    TOURDESK_DEMO: 'false',
    TOURDESK_ADMIN_EMAIL: ADMIN_EMAIL,
    TOURDESK_ADMIN_PASSWORD: PASSWORD,
  });
  nodeA = await startServer(config, logger);
  nodeB = onPostgres ? await startServer(config, logger) : nodeA;

  admin = createHttpClient(nodeA.url);
  await admin.login(ADMIN_EMAIL, PASSWORD);
  const agentEmail = await createUser('agent');
  await createUser('department_member', 'finance');
  agentToken = await createToken('agent');
  departmentToken = await createToken('department_member');
  agent = createHttpClient(nodeA.url);
  await agent.login(agentEmail, PASSWORD);
});

afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await nodeB?.close();
  await nodeA?.close();
  await database?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`realtime stream (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('listens on the port it reports, on 127.0.0.1', async () => {
    expect(nodeA.port).toBeGreaterThan(0);
    expect(nodeA.url).toBe(`http://127.0.0.1:${nodeA.port}`);
    const health = await fetch(`${nodeA.url}/api/v1/health`);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: onPostgres ? 'postgres' : 'pglite',
    });
  });

  it('greets a session cookie, a bearer header and a ?token= query with the actor', async () => {
    const me = ZMe.parse((await agent.call('GET', '/api/v1/me')).json);
    const bySession = await stream(nodeA.url, { cookie: agent.cookieHeader() });
    const byHeader = await stream(nodeA.url, { token: agentToken });
    const byQuery = await stream(nodeA.url, { query: departmentToken });

    expect(await bySession.next((m) => m.type === 'hello')).toEqual({
      type: 'hello',
      actor: me.actor,
    });
    expect(await byHeader.next((m) => m.type === 'hello')).toMatchObject({
      actor: { kind: 'token', role: 'agent' },
    });
    expect(await byQuery.next((m) => m.type === 'hello')).toMatchObject({
      actor: { kind: 'token', role: 'department_member' },
    });
    await Promise.all([bySession.close(), byHeader.close(), byQuery.close()]);
  });

  it('refuses an upgrade without valid credentials with 401', async () => {
    expect(await refusal(openStream(nodeA.url))).toBe(401);
    expect(await refusal(openStream(nodeA.url, { token: 'not-a-token' }))).toBe(401);
    expect(await refusal(openStream(nodeA.url, { query: 'not-a-token' }))).toBe(401);
    expect(await refusal(openStream(nodeA.url, { cookie: 'tourdesk_session=forged' }))).toBe(401);

    // A signed-out session no longer opens the stream.
    const gone = createHttpClient(nodeA.url);
    await gone.login(ADMIN_EMAIL, PASSWORD);
    const cookie = gone.cookieHeader();
    expect((await gone.call('POST', '/api/v1/auth/logout')).status).toBe(204);
    expect(await refusal(openStream(nodeA.url, { cookie }))).toBe(401);
  });

  it('delivers a new ticket and a reply to a connected agent as ticket events', async () => {
    const s = await stream(nodeA.url, { cookie: agent.cookieHeader() });
    await s.next((m) => m.type === 'hello');

    const ticket = await createTicket();
    const created = await s.next(isEvent('created', ticket.id));
    expect(created.event).toMatchObject({ ticketId: ticket.id, actor: { kind: 'user' } });
    await s.next(isEvent('message_added', ticket.id));

    const message = await reply(ticket.id);
    const added = await s.next(isEvent('message_added', ticket.id, message.id));
    expect(added.event?.data).toMatchObject({ messageId: message.id, kind: 'reply', authorKind: 'agent' });
  });

  it('sends no ticket events to a department member, who may not see tickets', async () => {
    // Connected before the agent: the hub serves clients in order, so once the agent has an
    // event the department member's turn is over, and a ping round trip flushes the socket.
    const department = await stream(nodeA.url, { query: departmentToken });
    await department.next((m) => m.type === 'hello');
    const watcher = await stream(nodeA.url, { token: agentToken });
    await watcher.next((m) => m.type === 'hello');

    const ticket = await createTicket();
    const message = await reply(ticket.id);
    await watcher.next(isEvent('message_added', ticket.id, message.id));
    await department.sync();

    expect(department.messages.filter((m) => m.type === 'ticket.event')).toEqual([]);
    expect(department.messages.map((m) => m.type)).toContain('pong');
  });

  it(
    onPostgres
      ? 'a reply written through node A reaches a stream client of node B via LISTEN/NOTIFY'
      : 'a reply reaches every stream client of the single embedded node',
    async () => {
      expect(nodeB.port !== nodeA.port).toBe(onPostgres);
      const onB = await stream(nodeB.url, { query: agentToken });
      const alsoOnB = await stream(nodeB.url, { cookie: agent.cookieHeader() });
      await onB.next((m) => m.type === 'hello');
      await alsoOnB.next((m) => m.type === 'hello');

      const ticket = await createTicket(agent, nodeA.url);
      const message = await reply(ticket.id, agent, nodeA.url);

      await onB.next(isEvent('created', ticket.id));
      const viaB = await onB.next(isEvent('message_added', ticket.id, message.id));
      const viaBAgain = await alsoOnB.next(isEvent('message_added', ticket.id, message.id));
      expect(viaB.event).toEqual(viaBAgain.event);
      // The event is the stored one: node B reads the same row back over HTTP.
      const events = await agent.call('GET', `${nodeB.url}/api/v1/tickets/${ticket.id}/events`);
      expect((events.json as { items: { id: number }[] }).items.map((e) => e.id)).toContain(viaB.event?.id);
    },
  );

  it('closing a node ends its streams with 1001, waits for no silent client, and frees its port', async () => {
    const s = await stream(nodeB.url, { token: agentToken });
    await s.next((m) => m.type === 'hello');
    // A client that completes the handshake and then never answers the close frame.
    const silent = await openRawSocket(nodeB.url);
    silent.write(
      [
        `GET ${STREAM_PATH}?token=${agentToken} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
    await silent.waitFor('"type":"hello"');
    silent.socket.pause();
    const { port, url } = nodeB;
    expect(await connectOutcome(url)).toBe('connected');

    const started = performance.now();
    await nodeB.close();

    expect(performance.now() - started).toBeLessThan(5000);
    expect(await s.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    silent.socket.resume();
    await silent.ended;
    expect(await connectOutcome(url)).toBe('ECONNREFUSED');
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
});
