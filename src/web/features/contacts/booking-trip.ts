import type { TBooking } from '../../../shared/schemas/contacts.ts';

/** Where a booked trip is in time, as the badge next to the booking shows it. */
export type TTripState =
  | { kind: 'upcoming'; days: number; tone: 'urgent' | 'soon' | 'later' }
  | { kind: 'in_progress' }
  | { kind: 'ended' }
  | { kind: 'cancelled' };

/** Trips this close are urgent: the same three days the intake rules flag as trip-soon. */
export const URGENT_WITHIN_DAYS = 3;
export const SOON_WITHIN_DAYS = 14;

const dayNumber = (isoDate: string) =>
  Math.round(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) / 86_400_000);

type TTrip = Pick<TBooking, 'status' | 'startsInDays'> & { departure: { startsOn: string; endsOn: string } };

/** The trip's state from the server's startsInDays (counted in the workspace time zone) and its dates. */
export const tripState = (booking: TTrip): TTripState => {
  if (booking.status === 'cancelled') return { kind: 'cancelled' };
  const days = booking.startsInDays;
  if (days >= 0) {
    return {
      kind: 'upcoming',
      days,
      tone: days <= URGENT_WITHIN_DAYS ? 'urgent' : days <= SOON_WITHIN_DAYS ? 'soon' : 'later',
    };
  }
  const length = dayNumber(booking.departure.endsOn) - dayNumber(booking.departure.startsOn);
  return -days <= length ? { kind: 'in_progress' } : { kind: 'ended' };
};

/** Upcoming and running trips first, nearest start first; then past and cancelled ones, latest first. */
export const sortBookings = <T extends TTrip & { id: number }>(bookings: readonly T[]): T[] => {
  const isCurrent = (b: T) => {
    const state = tripState(b).kind;
    return state === 'upcoming' || state === 'in_progress';
  };
  return [...bookings].sort((a, b) => {
    const ca = isCurrent(a);
    const cb = isCurrent(b);
    if (ca !== cb) return ca ? -1 : 1;
    const byStart = ca ? a.startsInDays - b.startsInDays : b.startsInDays - a.startsInDays;
    return byStart || b.id - a.id;
  });
};

/** "28 нояб. – 2 дек. 2026 г.": a trip's calendar dates as one range, the year once when it is shared. */
export const formatTripDates = (startsOn: string, endsOn: string, lang: string): string => {
  // Calendar dates, not instants: format them at noon UTC so no time zone moves the day.
  const at = (d: string) => new Date(`${d.slice(0, 10)}T12:00:00Z`);
  const format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ru-RU', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  return format.formatRange(at(startsOn), at(endsOn));
};
