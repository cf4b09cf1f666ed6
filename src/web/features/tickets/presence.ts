import type { TPresenceState, TPresenceViewer } from '../../../shared/schemas/realtime.ts';

/** Re-announce presence this often: server entries expire after a while without it. */
export const PRESENCE_HEARTBEAT_MS = 20_000;
/** At most one `typing` per this interval while keys are pressed. */
export const TYPING_THROTTLE_MS = 4_000;
/** No keystroke for this long ends typing (`idle`). */
export const TYPING_IDLE_MS = 6_000;

/** The other people on the ticket: yourself left out, one entry per person, typists first. */
export const otherViewers = (viewers: readonly TPresenceViewer[], meId: number | null): TPresenceViewer[] => {
  const byUser = new Map<number, TPresenceViewer>();
  for (const v of viewers) {
    if (v.userId === meId) continue;
    const seen = byUser.get(v.userId);
    // Two tabs of one person: typing in either counts.
    byUser.set(v.userId, seen ? { ...seen, typing: seen.typing || v.typing } : { ...v });
  }
  return [...byUser.values()].sort(
    (a, b) => Number(b.typing) - Number(a.typing) || a.name.localeCompare(b.name),
  );
};

type TTimers = {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

const realTimers: TTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Turns keystrokes into throttled `typing` signals and one `idle` when they stop (or the draft
 * is sent or emptied). `state()` is what the periodic heartbeat should repeat.
 */
export const createTypingSignal = (send: (state: TPresenceState) => void, timers: TTimers = realTimers) => {
  let typing = false;
  let lastSent = Number.NEGATIVE_INFINITY;
  let idleTimer: unknown = null;

  const stop = () => {
    if (idleTimer !== null) timers.clearTimeout(idleTimer);
    idleTimer = null;
    if (!typing) return;
    typing = false;
    lastSent = Number.NEGATIVE_INFINITY;
    send('idle');
  };

  return {
    /** The agent edited an unsent draft. */
    keystroke: () => {
      const now = timers.now();
      if (!typing || now - lastSent >= TYPING_THROTTLE_MS) {
        typing = true;
        lastSent = now;
        send('typing');
      }
      if (idleTimer !== null) timers.clearTimeout(idleTimer);
      idleTimer = timers.setTimeout(stop, TYPING_IDLE_MS);
    },
    /** Typing ended: sent, cleared, or the screen is going away. */
    stop,
    /** Forget the timer without announcing (the caller sends `left`). */
    dispose: () => {
      if (idleTimer !== null) timers.clearTimeout(idleTimer);
      idleTimer = null;
      typing = false;
    },
    state: (): TPresenceState => (typing ? 'typing' : 'viewing'),
  };
};
