import type { TBooking } from '../../../shared/schemas/contacts.ts';

/** The urgency badge of a booking: days until the trip, the trip under way, or nothing. */
export type TTripBadge =
  | { kind: 'starts_in'; days: number; color: 'red' | 'orange' | 'yellow' | 'gray' }
  | { kind: 'today'; color: 'red' }
  | { kind: 'in_progress'; color: 'grape' }
  | null;

/** `today` is YYYY-MM-DD in the workspace time zone. */
export const tripBadge = (
  booking: Pick<TBooking, 'status' | 'startsInDays' | 'departure'>,
  today: string,
): TTripBadge => {
  if (booking.status === 'cancelled') return null;
  const days = booking.startsInDays;
  if (days > 0) {
    if (booking.status === 'completed') return null;
    return {
      kind: 'starts_in',
      days,
      color: days <= 3 ? 'red' : days <= 7 ? 'orange' : days <= 14 ? 'yellow' : 'gray',
    };
  }
  if (days === 0) return { kind: 'today', color: 'red' };
  return booking.departure.endsOn >= today ? { kind: 'in_progress', color: 'grape' } : null;
};

/** Bookings the agent most likely needs first: this ticket's, then upcoming soonest, then the past. */
export const orderBookings = <T extends Pick<TBooking, 'id' | 'startsInDays' | 'status'>>(
  bookings: readonly T[],
  ticketBookingId: number | null,
): T[] => {
  const rank = (b: T) =>
    b.id === ticketBookingId ? 0 : b.status === 'cancelled' ? 3 : b.startsInDays >= 0 ? 1 : 2;
  return [...bookings].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (rank(a) === 1 ? a.startsInDays - b.startsInDays : b.startsInDays - a.startsInDays) ||
      a.id - b.id,
  );
};

/** Today's date (YYYY-MM-DD) in a time zone. */
export const todayIn = (timeZone: string, now = new Date()): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
