import { describe, expect, it } from 'vitest';
import { formatTripDates, sortBookings, tripState } from './booking-trip.ts';

const booking = (id: number, startsInDays: number, status = 'confirmed', length = 5) => ({
  id,
  status: status as 'confirmed' | 'cancelled' | 'pending' | 'completed',
  startsInDays,
  // A departure whose start is startsInDays from 2026-11-25.
  departure: {
    startsOn: new Date(Date.UTC(2026, 10, 25 + startsInDays)).toISOString().slice(0, 10),
    endsOn: new Date(Date.UTC(2026, 10, 25 + startsInDays + length)).toISOString().slice(0, 10),
  },
});

describe('tripState', () => {
  it('counts days to an upcoming trip with its urgency', () => {
    expect(tripState(booking(1, 0))).toEqual({ kind: 'upcoming', days: 0, tone: 'urgent' });
    expect(tripState(booking(1, 3))).toEqual({ kind: 'upcoming', days: 3, tone: 'urgent' });
    expect(tripState(booking(1, 4))).toEqual({ kind: 'upcoming', days: 4, tone: 'soon' });
    expect(tripState(booking(1, 14))).toEqual({ kind: 'upcoming', days: 14, tone: 'soon' });
    expect(tripState(booking(1, 15))).toEqual({ kind: 'upcoming', days: 15, tone: 'later' });
  });

  it('tells a running trip from an ended one by its end date', () => {
    expect(tripState(booking(1, -2, 'confirmed', 5))).toEqual({ kind: 'in_progress' });
    expect(tripState(booking(1, -5, 'confirmed', 5))).toEqual({ kind: 'in_progress' });
    expect(tripState(booking(1, -6, 'confirmed', 5))).toEqual({ kind: 'ended' });
    expect(tripState(booking(1, -30, 'completed', 5))).toEqual({ kind: 'ended' });
  });

  it('shows no countdown for a cancelled booking', () => {
    expect(tripState(booking(1, 2, 'cancelled'))).toEqual({ kind: 'cancelled' });
  });
});

describe('sortBookings', () => {
  it('puts the nearest current trip first and past ones last, latest first', () => {
    const sorted = sortBookings([
      booking(1, -40),
      booking(2, 20),
      booking(3, 2),
      booking(4, -1),
      booking(5, 5, 'cancelled'),
      booking(6, -10),
    ]);
    expect(sorted.map((b) => b.id)).toEqual([4, 3, 2, 5, 6, 1]);
  });
});

describe('formatTripDates', () => {
  // ICU puts thin and no-break spaces around the dash and before "г.".
  const plain = (s: string) => s.replace(/\s/g, ' ');

  it('shows a range with the year once', () => {
    expect(plain(formatTripDates('2026-11-28', '2026-12-02', 'en'))).toBe('28 Nov – 2 Dec 2026');
    expect(plain(formatTripDates('2026-12-30', '2027-01-03', 'en'))).toBe('30 Dec 2026 – 3 Jan 2027');
    expect(plain(formatTripDates('2026-11-28', '2026-12-02', 'ru'))).toBe('28 нояб. – 2 дек. 2026 г.');
  });

  it('shows a one-day trip as one date', () => {
    expect(plain(formatTripDates('2026-11-28', '2026-11-28', 'en'))).toBe('28 Nov 2026');
  });
});
