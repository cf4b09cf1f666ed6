import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTypingSignal, otherViewers, TYPING_IDLE_MS, TYPING_THROTTLE_MS } from './presence.ts';

describe('presence', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('leaves me out, merges my colleague’s tabs, typists first', () => {
    expect(
      otherViewers(
        [
          { userId: 4, name: 'Анна', typing: true },
          { userId: 5, name: 'Дмитрий', typing: false },
          { userId: 6, name: 'Борис', typing: false },
          { userId: 6, name: 'Борис', typing: true },
        ],
        4,
      ),
    ).toEqual([
      { userId: 6, name: 'Борис', typing: true },
      { userId: 5, name: 'Дмитрий', typing: false },
    ]);
  });

  it('throttles typing and goes idle when keys stop', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const signal = createTypingSignal((s) => sent.push(s), {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    signal.keystroke();
    vi.advanceTimersByTime(1000);
    signal.keystroke();
    expect(sent).toEqual(['typing']);
    expect(signal.state()).toBe('typing');
    vi.advanceTimersByTime(TYPING_THROTTLE_MS);
    signal.keystroke();
    expect(sent).toEqual(['typing', 'typing']);
    vi.advanceTimersByTime(TYPING_IDLE_MS);
    expect(sent).toEqual(['typing', 'typing', 'idle']);
    expect(signal.state()).toBe('viewing');
    signal.stop();
    expect(sent).toHaveLength(3);
  });

  it('says idle at once when the draft is sent', () => {
    const sent: string[] = [];
    const signal = createTypingSignal((s) => sent.push(s));
    signal.keystroke();
    signal.stop();
    signal.dispose();
    expect(sent).toEqual(['typing', 'idle']);
  });
});
