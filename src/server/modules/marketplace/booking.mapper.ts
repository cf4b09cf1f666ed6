import type { TBooking } from '../../../shared/schemas/contacts.ts';
import { daysBetween } from '../../lib/time.ts';
import type { TBookingJoined } from './marketplace.repository.ts';

const paymentStateOf = (row: TBookingJoined): TBooking['paymentState'] => {
  const amount = Number(row.amount);
  const paid = Number(row.paid_amount);
  const refunded = Number(row.refunded_amount);
  if (refunded > 0) return refunded >= paid && paid > 0 ? 'refunded' : 'partially_refunded';
  if (paid <= 0) return 'unpaid';
  return paid >= amount ? 'paid' : 'partially_paid';
};

/** A booking as the API shows it; `today` is the workspace's calendar date, for "starts in N days". */
export const mapBooking = (row: TBookingJoined, today: string): TBooking => ({
  id: row.id,
  externalId: row.external_id,
  code: row.code,
  status: row.status as TBooking['status'],
  travelerId: row.traveler_id,
  tour: {
    id: row.tour_id,
    title: row.tour_title,
    region: row.tour_region,
    organizerId: row.tour_organizer_id,
  },
  departure: { id: row.departure_id, startsOn: row.starts_on, endsOn: row.ends_on },
  participants: row.participants,
  amount: Number(row.amount),
  currency: row.currency,
  paidAmount: Number(row.paid_amount),
  refundedAmount: Number(row.refunded_amount),
  bonusUsed: Number(row.bonus_used),
  paymentState: paymentStateOf(row),
  startsInDays: daysBetween(today, row.starts_on),
  bookedAt: row.booked_at.toISOString(),
});
