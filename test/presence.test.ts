import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/server/logger.ts';
import { startServer, type TRunningServer } from '../src/server/server.ts';
import { ZCreatedApiToken } from '../src/shared/schemas/auth.ts';
import { type TPresenceViewer, ZPresenceMessage, ZTicketPresence } from '../src/shared/schemas/realtime.ts';
import { ZTicketDetail } from '../src/shared/schemas/tickets.ts';
import { createTestDatabase, serverUrl, type TTestDatabase } from './database.ts';
import { createHttpClient, liveConfig, makeTempDir, openStream } from './server.ts';

// Real servers and sockets: presence sent on one node reaches every client who may see the
// ticket, on PostgreSQL through NOTIFY to a second node sharing the database.

const ADMIN_EMAIL = 'admin@presence.test';
const PASSWORD = 'password-123';
const onPostgres = serverUrl() !== undefined;

type TMessage = { type: string; ticketId?: number; viewers?: TPresenceViewer[]; code?: string } & Record<
  string,
  unknown
>;

/** A stream socket that can also send: presence is a conversation. */
type TSocket = {
  messages: TMessage[];
  send: (message: unknown) => void;
  sendRaw: (data: string | Buffer) => void;
  next: (match: (m: TMessage) => boolean, from?: number) => Promise<TMessage>;
  /** Resolves once everything the server sent before a ping round trip has arrived. */
  sync: () => Promise<void>;
  close: () => Promise<void>;
  isOpen: () => boolean;
};

const sockets: TSocket[] = [];

const connect = async (baseUrl: string, auth: { cookie?: string; token?: string }): Promise<TSocket> => {
  const stream = await openStream(baseUrl, auth);
  const socket: TSocket = {
    messages: stream.messages as TMessage[],
    send: stream.send,
    sendRaw: stream.sendRaw,
    next: (match, from = 0) => stream.next((m) => match(m as TMessage), { from }) as Promise<TMessage>,
    sync: stream.sync,
    close: stream.close,
    isOpen: stream.isOpen,
  };
  sockets.push(socket);
  return socket;
};

let database: TTestDatabase | undefined;
let dataDir: string;
let nodeA: TRunningServer;
/** On PostgreSQL a second node on the same database; on PGlite the one embedded node. */
let nodeB: TRunningServer;
let admin: ReturnType<typeof createHttpClient>;
const people: Record<'anna' | 'boris' | 'dept', { client: ReturnType<typeof createHttpClient>; id: number }> =
  {} as never;
let agentToken: string;
let seq = 0;

const createPerson = async (email: string, name: string, role: string) => {
  const res = await admin.call('POST', '/api/v1/users', {
    body: {
      email,
      name,
      role,
      password: PASSWORD,
      department: role === 'department_member' ? 'finance' : undefined,
    },
  });
  expect(res.status).toBe(201);
  const client = createHttpClient(nodeA.url);
  await client.login(email, PASSWORD);
  return { client, id: (res.json as { id: number }).id };
};

const createTicket = async () => {
  const res = await people.anna.client.call('POST', '/api/v1/tickets', {
    body: {
      subject: `Presence ticket ${++seq}`,
      requester: { identity: { channel: 'email', value: `traveler.${seq}@presence.test` } },
    },
  });
  expect(res.status).toBe(201);
  return ZTicketDetail.parse(res.json).id;
};

const presenceOf = (ticketId: number, viewers: (m: TPresenceViewer[]) => boolean) => (m: TMessage) =>
  m.type === 'presence' && m.ticketId === ticketId && viewers(ZPresenceMessage.parse(m).viewers);
const names = (viewers: TPresenceViewer[]) => viewers.map((v) => `${v.name}${v.typing ? ' (typing)' : ''}`);
const lastList = (s: TSocket, ticketId: number) =>
  names(
    (s.messages.filter((m) => m.type === 'presence' && m.ticketId === ticketId).at(-1)?.viewers ??
      []) as TPresenceViewer[],
  );

beforeAll(async () => {
  dataDir = makeTempDir('tourdesk-presence');
  if (onPostgres) database = await createTestDatabase();
  const config = liveConfig({
    DATABASE_URL: database?.url,
    TOURDESK_DATA_DIR: dataDir,
    TOURDESK_DEMO: 'false',
    TOURDESK_ADMIN_EMAIL: ADMIN_EMAIL,
    TOURDESK_ADMIN_PASSWORD: PASSWORD,
  });
  const logger = createLogger('silent');
  nodeA = await startServer(config, logger);
  nodeB = onPostgres ? await startServer(config, logger) : nodeA;
  admin = createHttpClient(nodeA.url);
  await admin.login(ADMIN_EMAIL, PASSWORD);
  people.anna = await createPerson('anna@presence.test', 'Anna', 'agent');
  people.boris = await createPerson('boris@presence.test', 'Boris', 'agent');
  people.dept = await createPerson('dept@presence.test', 'Dora', 'department_member');
  const token = await admin.call('POST', '/api/v1/api-tokens', { body: { name: 'presence', role: 'agent' } });
  agentToken = ZCreatedApiToken.parse(token.json).token;
});

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  if (nodeB !== nodeA) await nodeB?.close();
  await nodeA?.close();
  await database?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`presence on the stream (${onPostgres ? 'two nodes on PostgreSQL' : 'PGlite'})`, () => {
  it('two people on a ticket see each other, whichever node they are on, and who is typing', async () => {
    const ticketId = await createTicket();
    const anna = await connect(nodeA.url, { cookie: people.anna.client.cookieHeader() });
    const boris = await connect(nodeB.url, { cookie: people.boris.client.cookieHeader() });

    anna.send({ type: 'presence', ticketId, state: 'viewing' });
    const alone = await anna.next(presenceOf(ticketId, (v) => v.length === 1));
    expect(alone).toEqual({
      type: 'presence',
      ticketId,
      viewers: [{ userId: people.anna.id, name: 'Anna', typing: false }],
    });

    boris.send({ type: 'presence', ticketId, state: 'viewing' });
    const both = [
      { userId: people.anna.id, name: 'Anna', typing: false },
      { userId: people.boris.id, name: 'Boris', typing: false },
    ];
    // Everyone gets the whole list, the sender included.
    expect((await anna.next(presenceOf(ticketId, (v) => v.length === 2))).viewers).toEqual(both);
    expect((await boris.next(presenceOf(ticketId, (v) => v.length === 2))).viewers).toEqual(both);

    boris.send({ type: 'presence', ticketId, state: 'typing' });
    await anna.next(presenceOf(ticketId, (v) => v.some((x) => x.name === 'Boris' && x.typing)));
    expect(lastList(anna, ticketId)).toEqual(['Anna', 'Boris (typing)']);
    await boris.next(presenceOf(ticketId, (v) => v.some((x) => x.typing)));

    // The initial state for a page that just opened, from either node.
    for (const node of [nodeA, nodeB]) {
      const res = await people.anna.client.call('GET', `${node.url}/api/v1/tickets/${ticketId}/presence`);
      expect(res.status).toBe(200);
      expect(ZTicketPresence.parse(res.json).viewers.map((v) => [v.name, v.typing])).toEqual([
        ['Anna', false],
        ['Boris', true],
      ]);
    }

    boris.send({ type: 'presence', ticketId, state: 'idle' });
    await anna.next(presenceOf(ticketId, (v) => v.length === 2 && v.every((x) => !x.typing)));
  });

  it('leaving, or closing the socket, takes a person off the list', async () => {
    const ticketId = await createTicket();
    const anna = await connect(nodeA.url, { cookie: people.anna.client.cookieHeader() });
    const boris = await connect(nodeB.url, { cookie: people.boris.client.cookieHeader() });
    anna.send({ type: 'presence', ticketId, state: 'viewing' });
    boris.send({ type: 'presence', ticketId, state: 'viewing' });
    await anna.next(presenceOf(ticketId, (v) => v.length === 2));

    let from = anna.messages.length;
    boris.send({ type: 'presence', ticketId, state: 'left' });
    expect(
      (
        await anna.next(
          presenceOf(ticketId, (v) => v.length === 1),
          from,
        )
      ).viewers?.[0].name,
    ).toBe('Anna');

    boris.send({ type: 'presence', ticketId, state: 'viewing' });
    await anna.next(
      presenceOf(ticketId, (v) => v.length === 2),
      from,
    );
    from = anna.messages.length;
    await boris.close();
    expect(
      names(
        (
          await anna.next(
            presenceOf(ticketId, (v) => v.length === 1),
            from,
          )
        ).viewers ?? [],
      ),
    ).toEqual(['Anna']);

    const res = await people.anna.client.call('GET', `${nodeB.url}/api/v1/tickets/${ticketId}/presence`);
    expect(ZTicketPresence.parse(res.json).viewers.map((v) => v.name)).toEqual(['Anna']);
  });

  it('a person with two tabs is listed once, and stays while one tab is open', async () => {
    const ticketId = await createTicket();
    const tab1 = await connect(nodeA.url, { cookie: people.anna.client.cookieHeader() });
    const tab2 = await connect(nodeB.url, { cookie: people.anna.client.cookieHeader() });
    tab1.send({ type: 'presence', ticketId, state: 'viewing' });
    await tab1.next(presenceOf(ticketId, (v) => v.length === 1));
    tab2.send({ type: 'presence', ticketId, state: 'viewing' });
    // The new tab gets the list even though nobody's list changed.
    expect(names((await tab2.next(presenceOf(ticketId, () => true))).viewers ?? [])).toEqual(['Anna']);
    await tab1.close();
    await tab2.sync();
    const res = await people.anna.client.call('GET', `${nodeA.url}/api/v1/tickets/${ticketId}/presence`);
    expect(ZTicketPresence.parse(res.json).viewers.map((v) => v.name)).toEqual(['Anna']);
  });

  it('a department member may not announce themselves on, nor watch, a ticket they cannot see', async () => {
    const ticketId = await createTicket();
    const dept = await connect(nodeA.url, { cookie: people.dept.client.cookieHeader() });
    const anna = await connect(nodeA.url, { cookie: people.anna.client.cookieHeader() });

    dept.send({ type: 'presence', ticketId, state: 'viewing' });
    expect(await dept.next((m) => m.type === 'error')).toEqual({
      type: 'error',
      code: 'TICKET_NOT_FOUND',
      ticketId,
    });
    anna.send({ type: 'presence', ticketId, state: 'viewing' });
    expect(names((await anna.next(presenceOf(ticketId, () => true))).viewers ?? [])).toEqual(['Anna']);
    await dept.sync();
    expect(dept.messages.filter((m) => m.type === 'presence')).toEqual([]);

    const res = await people.dept.client.call('GET', `/api/v1/tickets/${ticketId}/presence`);
    expect(res.status).toBe(404);
  });

  it('an unknown ticket is refused; an API token may watch lists but not appear in them', async () => {
    const ticketId = await createTicket();
    const anna = await connect(nodeA.url, { cookie: people.anna.client.cookieHeader() });
    anna.send({ type: 'presence', ticketId: 2_000_000, state: 'viewing' });
    expect(await anna.next((m) => m.type === 'error')).toEqual({
      type: 'error',
      code: 'TICKET_NOT_FOUND',
      ticketId: 2_000_000,
    });

    const bot = await connect(nodeA.url, { token: agentToken });
    bot.send({ type: 'presence', ticketId, state: 'viewing' });
    expect(await bot.next((m) => m.type === 'error')).toEqual({ type: 'error', code: 'FORBIDDEN', ticketId });
    anna.send({ type: 'presence', ticketId, state: 'typing' });
    expect(names((await bot.next(presenceOf(ticketId, () => true))).viewers ?? [])).toEqual([
      'Anna (typing)',
    ]);
  });

  it(
    onPostgres
      ? 'a node that starts later learns who is where; a node that stops takes its viewers along'
      : 'the embedded node knows who is where as soon as they say so',
    async () => {
      const ticketId = await createTicket();
      const anna = await connect(nodeA.url, { cookie: people.anna.client.cookieHeader() });
      anna.send({ type: 'presence', ticketId, state: 'viewing' });
      await anna.next(presenceOf(ticketId, (v) => v.length === 1));
      if (!onPostgres) {
        const res = await people.anna.client.call('GET', `/api/v1/tickets/${ticketId}/presence`);
        expect(ZTicketPresence.parse(res.json).viewers.map((v) => v.name)).toEqual(['Anna']);
        return;
      }
      const late = await startServer(
        liveConfig({ DATABASE_URL: database?.url, TOURDESK_DATA_DIR: dataDir, TOURDESK_DEMO: 'false' }),
        createLogger('silent'),
      );
      try {
        // The newcomer's hello makes the others re-announce their viewers.
        await expect
          .poll(async () => {
            const res = await people.anna.client.call(
              'GET',
              `${late.url}/api/v1/tickets/${ticketId}/presence`,
            );
            return ZTicketPresence.parse(res.json).viewers.map((v) => v.name);
          })
          .toEqual(['Anna']);
        const boris = await connect(late.url, { cookie: people.boris.client.cookieHeader() });
        boris.send({ type: 'presence', ticketId, state: 'typing' });
        await anna.next(presenceOf(ticketId, (v) => v.length === 2));
        const from = anna.messages.length;
        await late.close();
        expect(
          names(
            (
              await anna.next(
                presenceOf(ticketId, (v) => v.length === 1),
                from,
              )
            ).viewers ?? [],
          ),
        ).toEqual(['Anna']);
      } finally {
        await late.close();
      }
    },
  );

  it('answers malformed messages with BAD_MESSAGE and keeps the socket open', async () => {
    const anna = await connect(nodeA.url, { cookie: people.anna.client.cookieHeader() });
    const ticketId = await createTicket();
    const bad: (string | Buffer)[] = [
      'not json',
      '',
      'null',
      '[]',
      '"presence"',
      '{"type":"presence"}',
      '{"type":"presence","ticketId":"1","state":"viewing"}',
      '{"type":"presence","ticketId":-1,"state":"viewing"}',
      '{"type":"presence","ticketId":99999999999,"state":"viewing"}',
      `{"type":"presence","ticketId":${ticketId},"state":"dancing"}`,
      '{"type":"subscribe","ticketId":1}',
      `{"type":"presence","ticketId":${ticketId},"state":"viewing"`,
      Buffer.from([0, 1, 2, 255]),
    ];
    for (const data of bad) {
      const from = anna.messages.length;
      anna.sendRaw(data);
      expect(await anna.next((m) => m.type === 'error', from)).toEqual({
        type: 'error',
        code: 'BAD_MESSAGE',
      });
    }
    await anna.sync();
    expect(anna.isOpen()).toBe(true);
    anna.send({ type: 'presence', ticketId, state: 'viewing' });
    await anna.next(presenceOf(ticketId, (v) => v.length === 1));
  });
});

describe('bulk actions on the stream', () => {
  it('publish each changed ticket as ticket events, like PATCH does', async () => {
    const [a, b] = [await createTicket(), await createTicket()];
    const watcher = await connect(nodeB.url, { cookie: people.boris.client.cookieHeader() });
    await watcher.sync();
    const res = await people.anna.client.call('POST', `${nodeA.url}/api/v1/tickets/bulk`, {
      body: { ids: [a, b], set: { priority: 'urgent' } },
    });
    expect(res.status).toBe(200);
    for (const ticketId of [a, b]) {
      const m = await watcher.next(
        (x) =>
          x.type === 'ticket.event' &&
          x.ticketId === ticketId &&
          (x.event as { type: string }).type === 'priority_changed',
      );
      expect(m.event).toMatchObject({
        actor: { kind: 'user', id: people.anna.id },
        data: { after: 'urgent' },
      });
    }
  });
});
