import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { TPresenceViewer } from '../../shared/schemas/realtime.ts';
import type { TActor } from '../access/access.ts';
import type { TDatabase } from '../db/database.ts';
import type { TLogger } from '../logger.ts';
import { PresenceRelay } from './presence.ts';

export const EVENTS_CHANNEL = 'tourdesk_events';
export const STREAM_PATH = '/api/v1/stream';
/** How long stop() waits for clients to answer the close frame before cutting their sockets. */
const CLOSE_GRACE_MS = 2000;

export type TRealtime = {
  /** Announces committed ticket events to every node; payloads stay in the table, only ids travel. */
  publish: (eventIds: number[]) => Promise<void>;
  /** Who has the ticket open now, on any node. */
  viewersOf: (ticketId: number) => TPresenceViewer[];
};

type TClient = { socket: WebSocket; actor: TActor; alive: boolean };

export type THubOptions = {
  database: TDatabase;
  logger: TLogger;
  authenticate: (req: IncomingMessage) => Promise<TActor | null>;
  loadEvents: (actor: TActor, eventIds: number[]) => Promise<{ ticketId: number }[]>;
  canSeeTicket: (actor: TActor, ticketId: number) => Promise<boolean>;
};

/** WebSocket fan-out: LISTEN/NOTIFY (or in-process on PGlite) → sockets of users who may see the ticket. */
export class RealtimeHub implements TRealtime {
  readonly #options: THubOptions;
  readonly #clients = new Set<TClient>();
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  #unlisten: (() => Promise<void>) | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly #presence: PresenceRelay;

  constructor(options: THubOptions) {
    this.#options = options;
    this.#presence = new PresenceRelay({ ...options, clients: () => this.#clients });
  }

  async start(): Promise<void> {
    this.#unlisten = await this.#options.database.listen(EVENTS_CHANNEL, (payload) => {
      const ids = payload
        .split(',')
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0);
      this.#dispatch(ids).catch((err) => this.#options.logger.error({ err }, 'realtime dispatch failed'));
    });
    this.#heartbeat = setInterval(() => this.#ping(), 30_000);
    this.#heartbeat.unref();
    await this.#presence.start();
  }

  async publish(eventIds: number[]): Promise<void> {
    // NOTIFY payloads are limited to 8000 bytes; send ids in chunks.
    for (let i = 0; i < eventIds.length; i += 500) {
      await this.#options.database.notify(EVENTS_CHANNEL, eventIds.slice(i, i + 500).join(','));
    }
  }

  viewersOf(ticketId: number): TPresenceViewer[] {
    return this.#presence.viewersOf(ticketId);
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Handles an HTTP upgrade on the stream path; answers 401 without a valid session or token. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let actor: TActor | null = null;
    try {
      actor = await this.#options.authenticate(req);
    } catch (err) {
      this.#options.logger.warn({ err }, 'stream authentication failed');
    }
    if (this.#stopped) {
      socket.destroy();
      return;
    }
    if (!actor) {
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":{"code":"UNAUTHENTICATED","message":"Authentication required"}}',
      );
      return;
    }
    const authenticated = actor;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const client: TClient = { socket: ws, actor: authenticated, alive: true };
      this.#clients.add(client);
      ws.on('pong', () => {
        client.alive = true;
      });
      ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString() === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
        else this.#presence.receive(client, data, isBinary);
      });
      const forget = () => {
        this.#clients.delete(client);
        this.#presence.forget(client);
      };
      ws.on('close', forget);
      ws.on('error', forget);
      ws.send(
        JSON.stringify({
          type: 'hello',
          actor: { kind: authenticated.kind, role: authenticated.role, name: authenticated.name },
        }),
      );
    });
  }

  async #dispatch(eventIds: number[]): Promise<void> {
    if (eventIds.length === 0 || this.#clients.size === 0) return;
    // Visibility depends on the role; load once per distinct role.
    const byRole = new Map<string, Promise<{ ticketId: number }[]>>();
    for (const client of this.#clients) {
      const key = client.actor.role;
      if (!byRole.has(key)) byRole.set(key, this.#options.loadEvents(client.actor, eventIds));
      const events = await byRole.get(key)!;
      for (const event of events) {
        if (client.socket.readyState === client.socket.OPEN) {
          client.socket.send(JSON.stringify({ type: 'ticket.event', ticketId: event.ticketId, event }));
        }
      }
    }
  }

  #ping(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        client.socket.terminate();
        this.#clients.delete(client);
        this.#presence.forget(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    await this.#presence.stop();
    const sockets = [...this.#clients].map((c) => c.socket);
    this.#clients.clear();
    // A client that never answers the close frame would hold the HTTP server open for ws's 30 s.
    const closed = sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1001, 'server shutting down');
        }),
    );
    const cut = setTimeout(() => {
      for (const ws of sockets) ws.terminate();
    }, CLOSE_GRACE_MS);
    await Promise.all(closed);
    clearTimeout(cut);
    await this.#unlisten?.();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
