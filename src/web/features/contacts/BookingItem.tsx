import { Badge, Box, Group, Paper, Stack, Text } from '@mantine/core';
import { IconCalendar, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { assertNever } from '../../../shared/errors.ts';
import type { TBooking } from '../../../shared/schemas/contacts.ts';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { formatTripDates, type TTripState, tripState } from './booking-trip.ts';

const STATUS_COLOR: Record<TBooking['status'], string> = {
  pending: 'yellow',
  confirmed: 'teal',
  cancelled: 'gray',
  completed: 'blue',
};

const PAYMENT_COLOR: Record<TBooking['paymentState'], string> = {
  unpaid: 'red',
  partially_paid: 'orange',
  paid: 'teal',
  partially_refunded: 'violet',
  refunded: 'violet',
};

const TONE_COLOR = { urgent: 'red', soon: 'orange', later: 'gray' } as const;

/** "Starts in 5 days" and its urgency; nothing for a cancelled booking. */
export const TripBadge = ({ state }: { state: TTripState }) => {
  const { t } = useTranslation('contacts');
  switch (state.kind) {
    case 'upcoming':
      return (
        <Badge
          color={TONE_COLOR[state.tone]}
          variant={state.tone === 'urgent' ? 'filled' : 'light'}
          data-testid="trip-badge"
          data-tone={state.tone}
        >
          {state.days === 0
            ? t('trip.today')
            : state.days === 1
              ? t('trip.tomorrow')
              : t('trip.startsIn', { count: state.days })}
        </Badge>
      );
    case 'in_progress':
      return (
        <Badge color="teal" variant="filled" data-testid="trip-badge">
          {t('trip.inProgress')}
        </Badge>
      );
    case 'ended':
      return (
        <Badge color="gray" variant="outline" data-testid="trip-badge">
          {t('trip.ended')}
        </Badge>
      );
    case 'cancelled':
      return null;
    default:
      return assertNever(state);
  }
};

/** One booking: tour, dates, participants, booking and payment state, money. */
export const BookingItem = ({ booking }: { booking: TBooking }) => {
  const { t, i18n } = useTranslation('contacts');
  const lang = i18n.language;
  const money = (amount: number) => formatMoney(amount, booking.currency, lang);
  return (
    <Paper withBorder p="sm" radius="sm" data-testid="booking" data-booking-id={booking.id}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <div style={{ minWidth: 0 }}>
            <Text fw={600} size="sm" lineClamp={2}>
              {booking.tour.title}
            </Text>
            <Text size="xs" c="dimmed">
              {booking.tour.region} · {t('bookings.code')} {booking.code}
            </Text>
          </div>
          <Box style={{ flexShrink: 0 }}>
            <TripBadge state={tripState(booking)} />
          </Box>
        </Group>
        <Group gap="md" wrap="wrap">
          <Group gap={4} wrap="nowrap">
            <IconCalendar size={14} aria-label={t('bookings.dates')} />
            <Text size="sm">
              {formatTripDates(booking.departure.startsOn, booking.departure.endsOn, lang)}
            </Text>
          </Group>
          <Group gap={4} wrap="nowrap">
            <IconUsers size={14} aria-hidden />
            <Text size="sm">{t('bookings.participants', { count: booking.participants })}</Text>
          </Group>
        </Group>
        <Group gap={6} wrap="wrap">
          <Badge color={STATUS_COLOR[booking.status]} variant="light" size="sm">
            {t(`common:bookingStatus.${booking.status}`)}
          </Badge>
          <Badge
            color={PAYMENT_COLOR[booking.paymentState]}
            variant="dot"
            size="sm"
            data-payment={booking.paymentState}
          >
            {t(`paymentState.${booking.paymentState}`)}
          </Badge>
        </Group>
        <Group gap="md" wrap="wrap">
          <Text size="xs" c="dimmed">
            {t('bookings.amount')}: <b>{money(booking.amount)}</b>
          </Text>
          <Text size="xs" c="dimmed">
            {t('bookings.paid')}: <b>{money(booking.paidAmount)}</b>
          </Text>
          {booking.refundedAmount > 0 && (
            <Text size="xs" c="violet.7">
              {t('bookings.refunded')}: <b>{money(booking.refundedAmount)}</b>
            </Text>
          )}
          {booking.bonusUsed > 0 && (
            <Text size="xs" c="dimmed">
              {t('bookings.bonusUsed')}: <b>{money(booking.bonusUsed)}</b>
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('bookings.bookedAt')}: {formatDate(booking.bookedAt, lang)}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
};
