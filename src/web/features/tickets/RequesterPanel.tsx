import { Anchor, Badge, Divider, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import {
  IconBrandTelegram,
  IconBuilding,
  IconCircleCheck,
  IconGift,
  IconMail,
  IconMessageCircle,
  IconPhone,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TIdentityChannel, TTicketStatus } from '../../../shared/enums.ts';
import type { TBooking } from '../../../shared/schemas/contacts.ts';
import type { TTicketDetail } from '../../../shared/schemas/tickets.ts';
import { ChannelBadge, StatusBadge } from '../../components/badges.tsx';
import { formatDate, formatMoney, formatShort, getTimeZone } from '../../lib/format.ts';
import { orderBookings, todayIn, tripBadge } from './requester.ts';

const IDENTITY_ICON: Record<TIdentityChannel, typeof IconMail> = {
  email: IconMail,
  phone: IconPhone,
  telegram: IconBrandTelegram,
  chat: IconMessageCircle,
};

const PAYMENT_COLOR: Record<TBooking['paymentState'], string> = {
  unpaid: 'red',
  partially_paid: 'orange',
  paid: 'green',
  partially_refunded: 'violet',
  refunded: 'gray',
};

const BOOKING_STATUS_COLOR: Record<TBooking['status'], string> = {
  pending: 'yellow',
  confirmed: 'teal',
  cancelled: 'gray',
  completed: 'blue',
};

const BookingCard = ({ booking, isTicketBooking }: { booking: TBooking; isTicketBooking: boolean }) => {
  const { t, i18n } = useTranslation('tickets');
  const { t: tc } = useTranslation();
  const lang = i18n.language;
  const badge = tripBadge(booking, todayIn(getTimeZone()));
  const money = (n: number) => formatMoney(n, booking.currency, lang);
  return (
    <Paper
      withBorder
      p="xs"
      radius="sm"
      className={isTicketBooking ? 'td-booking td-booking-current' : 'td-booking'}
      data-testid="booking"
      data-booking-id={booking.id}
      data-current={isTicketBooking || undefined}
    >
      <Group justify="space-between" gap={4} wrap="nowrap" align="flex-start">
        <Text size="sm" fw={600} lh={1.3}>
          {booking.tour.title}
        </Text>
        {badge && (
          <Badge
            color={badge.color}
            variant={badge.color === 'red' ? 'filled' : 'light'}
            size="sm"
            style={{ flexShrink: 0 }}
            data-testid="starts-in"
          >
            {badge.kind === 'starts_in'
              ? t('requester.startsIn', { count: badge.days })
              : badge.kind === 'today'
                ? t('requester.startsToday')
                : t('requester.inProgress')}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {booking.code} · {booking.tour.region}
        {isTicketBooking && ` · ${t('requester.thisBooking')}`}
      </Text>
      <Text size="xs" mt={4}>
        {t('requester.dates', {
          from: formatDate(booking.departure.startsOn, lang),
          to: formatDate(booking.departure.endsOn, lang),
        })}
        {' · '}
        {t('requester.participants', { count: booking.participants })}
      </Text>
      <Group gap={4} mt={4}>
        <Badge size="xs" variant="light" color={BOOKING_STATUS_COLOR[booking.status]}>
          {tc(`bookingStatus.${booking.status}`)}
        </Badge>
        <Badge size="xs" variant="outline" color={PAYMENT_COLOR[booking.paymentState]}>
          {t(`paymentState.${booking.paymentState}`)}
        </Badge>
      </Group>
      <Text size="xs" mt={4} c="gray.7">
        {t('requester.amount')}: {money(booking.amount)} · {t('requester.paid')}: {money(booking.paidAmount)}
        {booking.refundedAmount > 0 && ` · ${t('requester.refunded')}: ${money(booking.refundedAmount)}`}
        {booking.bonusUsed > 0 && ` · ${t('requester.bonusUsed')}: ${money(booking.bonusUsed)}`}
      </Text>
    </Paper>
  );
};

/** Who wrote: kind, identities, organization, bonuses, bookings, and their other tickets. */
export const RequesterPanel = ({ ticket }: { ticket: TTicketDetail }) => {
  const { t, i18n } = useTranslation('tickets');
  const { t: tc } = useTranslation();
  const r = ticket.requester;
  const bookings = orderBookings(ticket.bookings, ticket.bookingId);
  if (ticket.booking && !bookings.some((b) => b.id === ticket.booking!.id)) bookings.unshift(ticket.booking);

  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-labelledby="requester-title"
      data-testid="requester-panel"
    >
      <Group justify="space-between" gap="xs" mb={4}>
        <Title order={4} size="h5" id="requester-title">
          {t('requester.title')}
        </Title>
        <Badge
          variant="light"
          color={r.kind === 'organizer' ? 'violet' : 'cyan'}
          data-testid="requester-kind"
        >
          {tc(`contactKind.${r.kind}`)}
        </Badge>
      </Group>
      <Anchor component={Link} to={`/contacts/${r.id}`} fw={600} size="md" title={t('requester.open')}>
        {r.name || r.email || r.phone || `#${r.id}`}
      </Anchor>
      <Text size="xs" c="dimmed">
        {t('requester.tickets', { count: r.ticketCount })}
      </Text>

      <Stack gap={4} mt="xs" aria-label={t('requester.identities')}>
        {r.identities.map((identity) => {
          const Icon = IDENTITY_ICON[identity.channel];
          const href =
            identity.channel === 'email'
              ? `mailto:${identity.value}`
              : identity.channel === 'phone'
                ? `tel:${identity.value}`
                : undefined;
          return (
            <Group key={identity.id} gap={6} wrap="nowrap">
              <Tooltip label={t(`requester.identityChannel.${identity.channel}`)}>
                <Icon
                  size={15}
                  color="var(--mantine-color-gray-6)"
                  aria-label={t(`requester.identityChannel.${identity.channel}`)}
                />
              </Tooltip>
              {href ? (
                <Anchor href={href} size="sm" truncate>
                  {identity.value}
                </Anchor>
              ) : (
                <Text size="sm" truncate>
                  {identity.value}
                </Text>
              )}
              {identity.isVerified && (
                <Tooltip label={t('requester.verified')}>
                  <IconCircleCheck
                    size={14}
                    color="var(--mantine-color-teal-6)"
                    aria-label={t('requester.verified')}
                  />
                </Tooltip>
              )}
            </Group>
          );
        })}
        {r.organization && (
          <Group gap={6} wrap="nowrap">
            <IconBuilding
              size={15}
              color="var(--mantine-color-gray-6)"
              aria-label={t('requester.organization')}
            />
            <Text size="sm">{r.organization.name}</Text>
          </Group>
        )}
        <Group gap={6} wrap="nowrap">
          <IconGift size={15} color="var(--mantine-color-gray-6)" aria-hidden />
          <Text size="sm">
            {t('requester.bonus')}: <b>{formatMoney(r.bonusBalance, 'RUB', i18n.language)}</b>
          </Text>
        </Group>
      </Stack>

      <Divider my="sm" />
      <Text size="sm" fw={600} mb={6}>
        {t('requester.bookings')}
      </Text>
      {bookings.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('requester.noBookings')}
        </Text>
      ) : (
        <Stack gap={6}>
          {bookings.map((b) => (
            <BookingCard key={b.id} booking={b} isTicketBooking={b.id === ticket.bookingId} />
          ))}
        </Stack>
      )}

      <Divider my="sm" />
      <Text size="sm" fw={600} mb={6}>
        {t('requester.previous')}
      </Text>
      {ticket.previousTickets.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('requester.noPrevious')}
        </Text>
      ) : (
        <Stack gap={6} data-testid="previous-tickets">
          {ticket.previousTickets.map((p) => (
            <div key={p.id}>
              <Anchor component={Link} to={`/tickets/${p.id}`} size="sm" lineClamp={2}>
                {t('ticketNumber', { number: p.id })} · {p.subject}
              </Anchor>
              <Group gap={6} mt={2}>
                <StatusBadge status={p.status as TTicketStatus} />
                <ChannelBadge channel={p.channel} />
                <Text size="xs" c="dimmed">
                  {formatShort(p.createdAt, i18n.language)}
                </Text>
              </Group>
            </div>
          ))}
        </Stack>
      )}
    </Paper>
  );
};
