import { describe, expect, it } from 'vitest';
import { orderBookings, todayIn, tripBadge } from './requester.ts';

describe('requester', () => {
  const booking = (
    status: 'confirmed' | 'cancelled' | 'completed' | 'pending',
    startsInDays: number,
    endsOn = '2026-12-01',
  ) => ({
    status,
    startsInDays,
    departure: { id: 1, startsOn: '2026-11-20', endsOn },
  });

  it('badges upcoming trips by how soon they start', () => {
    expect(tripBadge(booking('confirmed', 2), '2026-11-25')).toEqual({
      kind: 'starts_in',
      days: 2,
      color: 'red',
    });
    expect(tripBadge(booking('pending', 10), '2026-11-25')).toMatchObject({ color: 'yellow' });
    expect(tripBadge(booking('confirmed', 40), '2026-11-25')).toMatchObject({ color: 'gray' });
    expect(tripBadge(booking('confirmed', 0), '2026-11-25')).toEqual({ kind: 'today', color: 'red' });
  });

  it('shows a trip under way, and nothing for past or cancelled ones', () => {
    expect(tripBadge(booking('confirmed', -3, '2026-11-27'), '2026-11-25')).toMatchObject({
      kind: 'in_progress',
    });
    expect(tripBadge(booking('completed', -10, '2026-11-20'), '2026-11-25')).toBeNull();
    expect(tripBadge(booking('cancelled', 5), '2026-11-25')).toBeNull();
  });

  it('orders the ticket’s booking first, then upcoming soonest, past, cancelled', () => {
    const list = [
      { id: 1, startsInDays: -30, status: 'completed' as const },
      { id: 2, startsInDays: 40, status: 'confirmed' as const },
      { id: 3, startsInDays: 5, status: 'confirmed' as const },
      { id: 4, startsInDays: 3, status: 'cancelled' as const },
      { id: 5, startsInDays: -2, status: 'completed' as const },
    ];
    expect(orderBookings(list, 1).map((b) => b.id)).toEqual([1, 3, 2, 5, 4]);
  });

  it('knows today in the workspace time zone', () => {
    expect(todayIn('Europe/Moscow', new Date('2026-11-25T22:30:00Z'))).toBe('2026-11-26');
  });
});
