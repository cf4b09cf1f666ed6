/**
 * The live stream: one WebSocket per tab to /api/v1/stream, reconnecting with backoff.
 * Listeners get every server message; `send` queues until the socket is open.
 */
export type TStreamMessage =
  | { type: 'hello'; actor: { kind: string; role: string; name: string } }
  | { type: 'ticket.event'; ticketId: number; event: { id: number; type: string; ticketId: number } }
  | {
      type: 'presence';
      ticketId: number;
      viewers: { userId: number; name: string; typing: boolean }[];
    }
  | { type: 'pong' }
  | { type: 'error'; code: string };

export type TStreamState = 'connecting' | 'open' | 'closed';

type TListener = (message: TStreamMessage) => void;

class Stream {
  #socket: WebSocket | null = null;
  #listeners = new Set<TListener>();
  #stateListeners = new Set<(state: TStreamState) => void>();
  #queue: string[] = [];
  #attempt = 0;
  #stopped = true;
  #timer: ReturnType<typeof setTimeout> | null = null;
  state: TStreamState = 'closed';

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#socket?.close(1000);
    this.#socket = null;
    this.#setState('closed');
  }

  subscribe(listener: TListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  onState(listener: (state: TStreamState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => {
      this.#stateListeners.delete(listener);
    };
  }

  send(message: object): void {
    const data = JSON.stringify(message);
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(data);
    else this.#queue.push(data);
  }

  #setState(state: TStreamState): void {
    this.state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #connect(): void {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`;
    this.#setState('connecting');
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#setState('open');
      for (const data of this.#queue.splice(0)) socket.send(data);
    };
    socket.onmessage = (e) => {
      let message: TStreamMessage;
      try {
        message = JSON.parse(String(e.data)) as TStreamMessage;
      } catch {
        return;
      }
      for (const listener of this.#listeners) listener(message);
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#setState('closed');
      if (this.#stopped) return;
      // 0.5 s, 1 s, 2 s … capped at 15 s, with jitter so a restarted server isn't stampeded.
      const delay = Math.min(15_000, 500 * 2 ** this.#attempt++) * (0.75 + Math.random() / 2);
      this.#timer = setTimeout(() => this.#connect(), delay);
    };
  }
}

export const stream = new Stream();
