import { describe, expect, it } from 'vitest';
import { PresenceBoard, type TPresenceUpdate } from './presence.ts';

const TTL = 45_000;

const setup = () => {
  let now = 1_000_000;
  const board = new PresenceBoard({ ttlMs: TTL, now: () => now });
  const say = (u: Partial<TPresenceUpdate> & Pick<TPresenceUpdate, 'conn' | 'state'>) =>
    board.apply({ node: 'a', ticketId: 7, userId: 1, name: 'Anna', ...u });
  return { board, say, advance: (ms: number) => (now += ms) };
};

describe('presence board', () => {
  it('lists each person once, by user id, typing when any of their tabs types', () => {
    const { board, say } = setup();
    expect(say({ conn: 'c1', state: 'viewing' })).toBe(true);
    expect(say({ conn: 'c2', state: 'viewing', userId: 2, name: 'Boris', node: 'b' })).toBe(true);
    // A second tab of the same person changes nothing anyone sees.
    expect(say({ conn: 'c3', state: 'viewing' })).toBe(false);
    expect(board.viewersOf(7)).toEqual([
      { userId: 1, name: 'Anna', typing: false },
      { userId: 2, name: 'Boris', typing: false },
    ]);
    expect(say({ conn: 'c3', state: 'typing' })).toBe(true);
    expect(board.viewersOf(7)[0]).toEqual({ userId: 1, name: 'Anna', typing: true });
    expect(say({ conn: 'c3', state: 'idle' })).toBe(true);
    expect(board.viewersOf(7)[0].typing).toBe(false);
    expect(board.viewersOf(8)).toEqual([]);
  });

  it('refreshing is not a change; leaving is, unless another tab of the person stays', () => {
    const { board, say } = setup();
    say({ conn: 'c1', state: 'viewing' });
    say({ conn: 'c2', state: 'viewing' });
    expect(say({ conn: 'c1', state: 'viewing' })).toBe(false);
    expect(say({ conn: 'c1', state: 'left' })).toBe(false);
    expect(say({ conn: 'c2', state: 'left' })).toBe(true);
    expect(board.viewersOf(7)).toEqual([]);
    expect(say({ conn: 'c2', state: 'left' })).toBe(false);
  });

  it('drops a viewer that does not refresh within the TTL, and keeps one that does', () => {
    const { board, say, advance } = setup();
    say({ conn: 'c1', state: 'viewing' });
    say({ conn: 'c2', state: 'viewing', userId: 2, name: 'Boris' });
    advance(30_000);
    say({ conn: 'c2', state: 'viewing', userId: 2, name: 'Boris' });
    advance(14_999);
    expect(board.expire()).toEqual([]);
    advance(1);
    expect(board.expire()).toEqual([7]);
    expect(board.viewersOf(7)).toEqual([{ userId: 2, name: 'Boris', typing: false }]);
    advance(30_000);
    expect(board.expire()).toEqual([7]);
    expect(board.viewersOf(7)).toEqual([]);
  });

  it('a closed socket or a stopped node takes all its entries with it', () => {
    const { board, say } = setup();
    say({ conn: 'c1', state: 'viewing' });
    say({ conn: 'c1', state: 'typing', ticketId: 8 });
    say({ conn: 'c2', state: 'viewing', userId: 2, name: 'Boris', node: 'b' });
    say({ conn: 'c3', state: 'viewing', userId: 3, name: 'Vera', node: 'b', ticketId: 9 });
    expect(board.ticketCountOf('a', 'c1')).toBe(2);
    expect(board.isOn('a', 'c1', 8)).toBe(true);
    expect(board.entriesOf('a')).toEqual([
      { node: 'a', conn: 'c1', ticketId: 7, userId: 1, name: 'Anna', state: 'viewing' },
      { node: 'a', conn: 'c1', ticketId: 8, userId: 1, name: 'Anna', state: 'typing' },
    ]);
    expect(board.dropConnection('a', 'c1').sort()).toEqual([7, 8]);
    expect(board.isOn('a', 'c1', 8)).toBe(false);
    expect(board.dropNode('b').sort()).toEqual([7, 9]);
    expect([7, 8, 9].map((id) => board.viewersOf(id))).toEqual([[], [], []]);
  });
});
