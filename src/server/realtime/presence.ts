import { randomUUID } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { assertNever } from '../../shared/errors.ts';
import {
  PRESENCE_STATES,
  type TPresenceState,
  type TPresenceViewer,
  type TStreamError,
  ZPresenceClientMessage,
} from '../../shared/schemas/realtime.ts';
import type { TActor } from '../access/access.ts';
import type { TDatabase } from '../db/database.ts';
import type { TLogger } from '../logger.ts';

export const PRESENCE_CHANNEL = 'tourdesk_presence';
/** A viewer who has not refreshed for this long is gone; clients refresh every 20 s. */
export const PRESENCE_TTL_MS = 45_000;
/** Tickets one socket may be present on at once (split views, several panes). */
export const MAX_TICKETS_PER_CONNECTION = 20;

/** One tab's state on one ticket; `node` and `conn` name the socket it came through. */
export type TPresenceUpdate = {
  node: string;
  conn: string;
  ticketId: number;
  userId: number;
  name: string;
  state: TPresenceState;
};

const ZNodeId = z.string().min(1).max(64);

/** What nodes tell each other on PRESENCE_CHANNEL; presence is ephemeral, so the payload travels whole. */
export const ZPresenceNotice = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('update'),
    node: ZNodeId,
    conn: ZNodeId,
    ticketId: z.number().int().positive(),
    userId: z.number().int().positive(),
    name: z.string().max(500),
    state: z.enum(PRESENCE_STATES),
  }),
  /** A socket closed: all its entries go. */
  z.object({ kind: z.literal('drop'), node: ZNodeId, conn: ZNodeId }),
  /** A node started: the others re-announce their entries to it. */
  z.object({ kind: z.literal('hello'), node: ZNodeId }),
  /** A node stops: all its entries go. */
  z.object({ kind: z.literal('bye'), node: ZNodeId }),
]);
export type TPresenceNotice = z.infer<typeof ZPresenceNotice>;

type TEntry = Omit<TPresenceUpdate, 'state'> & { typing: boolean; expiresAt: number };

const entryKey = (node: string, conn: string) => `${node}/${conn}`;

/**
 * Who is on which ticket: this node's sockets and a replica of the other nodes', each entry
 * with an expiry. Every change answers which tickets' viewer lists changed, so the hub
 * sends a list only when it is different.
 */
export class PresenceBoard {
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** ticket id → socket key → entry */
  readonly #tickets = new Map<number, Map<string, TEntry>>();

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Records (or refreshes, or with `left` removes) one socket's state on a ticket; true when the list changed. */
  apply(update: TPresenceUpdate): boolean {
    const before = this.#signature(update.ticketId);
    const key = entryKey(update.node, update.conn);
    const entries = this.#tickets.get(update.ticketId) ?? new Map<string, TEntry>();
    if (update.state === 'left') {
      entries.delete(key);
    } else {
      entries.set(key, {
        node: update.node,
        conn: update.conn,
        ticketId: update.ticketId,
        userId: update.userId,
        name: update.name,
        typing: update.state === 'typing',
        expiresAt: this.#now() + this.#ttlMs,
      });
    }
    this.#store(update.ticketId, entries);
    return this.#signature(update.ticketId) !== before;
  }

  /** Removes every entry of one socket; returns the tickets whose lists changed. */
  dropConnection(node: string, conn: string): number[] {
    return this.#removeWhere((entry) => entry.node === node && entry.conn === conn);
  }

  /** Removes every entry that came through a node; returns the tickets whose lists changed. */
  dropNode(node: string): number[] {
    return this.#removeWhere((entry) => entry.node === node);
  }

  /** Removes entries not refreshed in time; returns the tickets whose lists changed. */
  expire(): number[] {
    const now = this.#now();
    return this.#removeWhere((entry) => entry.expiresAt <= now);
  }

  /** The people on a ticket, one line per person (any of their tabs typing makes them typing), by user id. */
  viewersOf(ticketId: number): TPresenceViewer[] {
    const byUser = new Map<number, TPresenceViewer>();
    for (const entry of this.#tickets.get(ticketId)?.values() ?? []) {
      const seen = byUser.get(entry.userId);
      byUser.set(entry.userId, {
        userId: entry.userId,
        name: entry.name,
        typing: (seen?.typing ?? false) || entry.typing,
      });
    }
    return [...byUser.values()].sort((a, b) => a.userId - b.userId);
  }

  /** How many tickets one socket is on. */
  ticketCountOf(node: string, conn: string): number {
    const key = entryKey(node, conn);
    let count = 0;
    for (const entries of this.#tickets.values()) if (entries.has(key)) count++;
    return count;
  }

  /** Whether one socket is on the ticket. */
  isOn(node: string, conn: string, ticketId: number): boolean {
    return this.#tickets.get(ticketId)?.has(entryKey(node, conn)) ?? false;
  }

  /** The entries that came through a node, as updates that re-create them elsewhere. */
  entriesOf(node: string): TPresenceUpdate[] {
    const out: TPresenceUpdate[] = [];
    for (const entries of this.#tickets.values()) {
      for (const e of entries.values()) {
        if (e.node !== node) continue;
        const { typing, expiresAt: _expiresAt, ...rest } = e;
        out.push({ ...rest, state: typing ? 'typing' : 'viewing' });
      }
    }
    return out;
  }

  #removeWhere(doomed: (entry: TEntry) => boolean): number[] {
    const changed: number[] = [];
    for (const [ticketId, entries] of [...this.#tickets]) {
      const before = this.#signature(ticketId);
      for (const [key, entry] of [...entries]) if (doomed(entry)) entries.delete(key);
      this.#store(ticketId, entries);
      if (this.#signature(ticketId) !== before) changed.push(ticketId);
    }
    return changed;
  }

  #store(ticketId: number, entries: Map<string, TEntry>): void {
    if (entries.size === 0) this.#tickets.delete(ticketId);
    else this.#tickets.set(ticketId, entries);
  }

  #signature(ticketId: number): string {
    return JSON.stringify(this.viewersOf(ticketId));
  }
}

/** A stream client as the hub holds it. */
export type TPresenceClient = { socket: WebSocket; actor: TActor };

export type TPresenceRelayOptions = {
  database: TDatabase;
  logger: TLogger;
  /** The hub's connected clients, at the moment of asking. */
  clients: () => Iterable<TPresenceClient>;
  canSeeTicket: (actor: TActor, ticketId: number) => Promise<boolean>;
  ttlMs?: number;
};

/**
 * Presence over /api/v1/stream: takes clients' states, keeps the board, tells the other nodes
 * (NOTIFY on PRESENCE_CHANNEL; in-process on PGlite) and sends each changed viewer list to
 * every client here who may see the ticket.
 */
export class PresenceRelay {
  readonly #options: TPresenceRelayOptions;
  readonly #board: PresenceBoard;
  readonly #nodeId = randomUUID();
  /** Per socket: its id, and a queue that runs its messages in order (a `left` never overtakes its `viewing`). */
  readonly #sockets = new WeakMap<TPresenceClient, { id: string; queue: Promise<void>; gone: boolean }>();
  #unlisten: (() => Promise<void>) | null = null;
  #sweep: NodeJS.Timeout | null = null;
  #stopping = false;

  constructor(options: TPresenceRelayOptions) {
    this.#options = options;
    this.#board = new PresenceBoard({ ttlMs: options.ttlMs });
  }

  async start(): Promise<void> {
    this.#unlisten = await this.#options.database.listen(PRESENCE_CHANNEL, (payload) => {
      this.#onNotice(payload).catch((err) => this.#options.logger.error({ err }, 'presence notice failed'));
    });
    this.#sweep = setInterval(() => {
      this.#sendLists(this.#board.expire()).catch((err) =>
        this.#options.logger.error({ err }, 'presence sweep failed'),
      );
    }, 5_000);
    this.#sweep.unref();
    await this.#announce({ kind: 'hello', node: this.#nodeId });
  }

  viewersOf(ticketId: number): TPresenceViewer[] {
    return this.#board.viewersOf(ticketId);
  }

  /** A client's message other than `ping`: a presence state, or BAD_MESSAGE; never throws. */
  receive(client: TPresenceClient, data: RawData, isBinary: boolean): void {
    const socket = this.#socketOf(client);
    socket.queue = socket.queue
      .then(() => this.#onMessage(client, socket.id, data, isBinary))
      .catch((err) => this.#options.logger.error({ err }, 'presence message failed'));
  }

  /** A socket is gone: its presence goes with it, here and on the other nodes. */
  forget(client: TPresenceClient): void {
    const socket = this.#sockets.get(client);
    if (!socket || socket.gone) return;
    socket.gone = true;
    const changed = this.#board.dropConnection(this.#nodeId, socket.id);
    if (changed.length === 0 || this.#stopping) return;
    this.#sendLists(changed)
      .then(() => this.#announce({ kind: 'drop', node: this.#nodeId, conn: socket.id }))
      .catch((err) => this.#options.logger.error({ err }, 'presence drop failed'));
  }

  /** Tells the other nodes that this node's viewers are gone; call before the sockets close. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#sweep) clearInterval(this.#sweep);
    if (this.#unlisten) await this.#announce({ kind: 'bye', node: this.#nodeId });
    await this.#unlisten?.();
    this.#unlisten = null;
  }

  #socketOf(client: TPresenceClient) {
    let socket = this.#sockets.get(client);
    if (!socket) {
      socket = { id: randomUUID(), queue: Promise.resolve(), gone: false };
      this.#sockets.set(client, socket);
    }
    return socket;
  }

  async #onMessage(client: TPresenceClient, conn: string, data: RawData, isBinary: boolean): Promise<void> {
    let parsed: ReturnType<typeof ZPresenceClientMessage.safeParse> | undefined;
    try {
      parsed = isBinary ? undefined : ZPresenceClientMessage.safeParse(JSON.parse(data.toString()));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) return send(client, { type: 'error', code: 'BAD_MESSAGE' });
    const { ticketId, state } = parsed.data;
    const refuse = (code: string) => send(client, { type: 'error', code, ticketId } satisfies TStreamError);
    const { actor } = client;
    // Presence names a person: API tokens may watch lists but not appear in them.
    if (actor.kind !== 'user') return refuse('FORBIDDEN');
    const isOn = this.#board.isOn(this.#nodeId, conn, ticketId);
    if (state === 'left') {
      if (!isOn) return;
    } else {
      if (!(await this.#options.canSeeTicket(actor, ticketId))) return refuse('TICKET_NOT_FOUND');
      if (!isOn && this.#board.ticketCountOf(this.#nodeId, conn) >= MAX_TICKETS_PER_CONNECTION)
        return refuse('PRESENCE_LIMIT');
      if (this.#sockets.get(client)?.gone || this.#stopping) return;
    }
    const update: TPresenceUpdate = {
      node: this.#nodeId,
      conn,
      ticketId,
      userId: actor.userId,
      name: actor.name,
      state,
    };
    if (this.#board.apply(update)) await this.#sendLists([ticketId]);
    else if (state !== 'left') this.#sendList(client, ticketId);
    // Refreshes travel too: the other nodes' copies expire on their own clocks.
    await this.#announce({ kind: 'update', ...update });
  }

  /** A notice from another node: replay its change here and tell this node's clients. */
  async #onNotice(payload: string): Promise<void> {
    let notice: TPresenceNotice;
    try {
      notice = ZPresenceNotice.parse(JSON.parse(payload));
    } catch {
      return;
    }
    if (notice.node === this.#nodeId || this.#stopping) return;
    switch (notice.kind) {
      case 'update':
        if (this.#board.apply(notice)) await this.#sendLists([notice.ticketId]);
        return;
      case 'drop':
        return this.#sendLists(this.#board.dropConnection(notice.node, notice.conn));
      case 'bye':
        return this.#sendLists(this.#board.dropNode(notice.node));
      case 'hello':
        for (const update of this.#board.entriesOf(this.#nodeId))
          await this.#announce({ kind: 'update', ...update });
        return;
      default:
        assertNever(notice);
    }
  }

  async #announce(notice: TPresenceNotice): Promise<void> {
    try {
      await this.#options.database.notify(PRESENCE_CHANNEL, JSON.stringify(notice));
    } catch (err) {
      this.#options.logger.warn({ err }, 'presence notify failed');
    }
  }

  /** Sends each ticket's viewer list to every client here who may see that ticket. */
  async #sendLists(ticketIds: number[]): Promise<void> {
    for (const ticketId of ticketIds) {
      // Visibility depends on the role; check once per distinct role.
      const byRole = new Map<string, Promise<boolean>>();
      for (const client of [...this.#options.clients()]) {
        const key = client.actor.role;
        if (!byRole.has(key)) byRole.set(key, this.#options.canSeeTicket(client.actor, ticketId));
        if (await byRole.get(key)) this.#sendList(client, ticketId);
      }
    }
  }

  #sendList(client: TPresenceClient, ticketId: number): void {
    send(client, { type: 'presence', ticketId, viewers: this.#board.viewersOf(ticketId) });
  }
}

const send = (client: TPresenceClient, message: Record<string, unknown>): void => {
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message));
};
