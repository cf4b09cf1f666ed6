import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { loadConfig, type TConfig } from '../src/server/config.ts';
import { STREAM_PATH } from '../src/server/realtime/hub.ts';

/** A fresh directory under the system temp dir; remove it with fs.rmSync when done. */
export const makeTempDir = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));

/**
 * A config parsed from these variables only (never process.env): port 0 on 127.0.0.1, silent logs,
 * no SMTP listener unless the test asks for one (two test files must not race for port 2525).
 */
export const liveConfig = (env: Record<string, string | undefined>): TConfig =>
  loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', TOURDESK_SMTP_PORT: '0', ...env });

/** A TCP port that was free a moment ago on 127.0.0.1 (for listeners that cannot take port 0). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Opens a fresh TCP connection to the server's port: 'connected', or the error code (ECONNREFUSED). */
export const connectOutcome = (baseUrl: string): Promise<string> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(baseUrl);
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

export type TRawSocket = {
  write: (text: string) => void;
  /** Resolves with everything received so far once it contains `text`; rejects after timeoutMs. */
  waitFor: (text: string, timeoutMs?: number) => Promise<string>;
  /** Resolves with everything received once the server ends the connection. */
  ended: Promise<string>;
  socket: net.Socket;
};

/** A bare TCP connection to the server, for what fetch and ws hide: half-sent requests, silent peers. */
export const openRawSocket = async (baseUrl: string): Promise<TRawSocket> => {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect({ host: hostname, port: Number(port) });
  let received = '';
  const listeners = new Set<() => void>();
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    for (const listener of listeners) listener();
  });
  const ended = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    ended,
    write: (text) => socket.write(text),
    waitFor: (text, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!received.includes(text)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(received);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${JSON.stringify(text)} in ${timeoutMs} ms; got ${JSON.stringify(received)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
};

export type THttpResult = { status: number; json: unknown };

/**
 * fetch against a running server with a cookie jar: a session from /auth/login is kept,
 * and cookie-authenticated writes carry X-CSRF-Token like the web app's.
 */
export const createHttpClient = (baseUrl: string) => {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  const call = async (
    method: string,
    url: string,
    options: { body?: unknown; token?: string } = {},
  ): Promise<THttpResult> => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    else if (cookies.size > 0) {
      headers.cookie = cookieHeader();
      const csrf = cookies.get('tourdesk_csrf');
      if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(url, baseUrl), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value) cookies.set(pair.slice(0, eq), value);
      else cookies.delete(pair.slice(0, eq));
    }
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };

  return {
    call,
    /** The Cookie header this client would send, for a WebSocket handshake. */
    cookieHeader,
    login: async (email: string, password: string) => {
      const res = await call('POST', '/api/v1/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`login ${email} → ${res.status} ${JSON.stringify(res.json)}`);
      return res;
    },
  };
};

export type TStreamMessage = {
  type: string;
  ticketId?: number;
  event?: { id: number; type: string; data: unknown };
} & Record<string, unknown>;

export type TStream = {
  messages: TStreamMessage[];
  /** Resolves with the first message at index ≥ from (received or coming) that matches; rejects after timeoutMs. */
  next: (
    match: (m: TStreamMessage) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ) => Promise<TStreamMessage>;
  /** A ping/pong round trip: everything the server sent before it has arrived once this resolves. */
  sync: () => Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  close: () => Promise<void>;
  /** Sends a JSON message to the server (presence is a conversation). */
  send: (message: unknown) => void;
  sendRaw: (data: string | Buffer) => void;
  isOpen: () => boolean;
};

/** Opens /api/v1/stream; rejects with the HTTP status when the upgrade is refused. */
export const openStream = (
  baseUrl: string,
  auth: { token?: string; cookie?: string; query?: string } = {},
): Promise<TStream> =>
  new Promise((resolve, reject) => {
    const url = new URL(STREAM_PATH, baseUrl.replace(/^http/, 'ws'));
    if (auth.query) url.searchParams.set('token', auth.query);
    const headers: Record<string, string> = {};
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    const socket = new WebSocket(url, { headers });
    const messages: TStreamMessage[] = [];
    const waiters = new Set<() => void>();
    socket.on('message', (data) => {
      messages.push(JSON.parse(data.toString()) as TStreamMessage);
      for (const wake of waiters) wake();
    });
    const closed = new Promise<{ code: number; reason: string }>((done) => {
      socket.on('close', (code, reason) => done({ code, reason: reason.toString() }));
    });
    socket.on('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
      socket.terminate();
    });
    socket.on('error', (err) => reject(err));

    const next: TStream['next'] = (match, { from = 0, timeoutMs = 5000 } = {}) =>
      new Promise((found, fail) => {
        let seen = from;
        const check = () => {
          for (; seen < messages.length; seen++) {
            if (match(messages[seen])) {
              clearTimeout(timer);
              waiters.delete(check);
              found(messages[seen]);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`no matching stream message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });

    socket.on('open', () =>
      resolve({
        messages,
        next,
        sync: async () => {
          const from = messages.length;
          socket.send('ping');
          await next((m) => m.type === 'pong', { from });
        },
        closed,
        close: async () => {
          if (socket.readyState !== WebSocket.CLOSED) socket.close();
          await closed;
        },
        send: (message) => socket.send(JSON.stringify(message)),
        sendRaw: (data) => socket.send(data),
        isOpen: () => socket.readyState === WebSocket.OPEN,
      }),
    );
  });
