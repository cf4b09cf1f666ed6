import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconArrowLeft,
  IconBrandTelegram,
  IconGitMerge,
  IconMail,
  IconMessageCircle,
  IconPencil,
  IconPhone,
  IconRosetteDiscountCheck,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TIdentityChannel } from '../../../shared/enums.ts';
import { AppLayout } from '../../components/AppLayout.tsx';
import { ChannelBadge, PriorityBadge, StatusBadge } from '../../components/badges.tsx';
import { ErrorState, Loading, NotFound } from '../../components/PageState.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDate, formatMoney, formatShort } from '../../lib/format.ts';
import { useMe } from '../auth/session.tsx';
import { BookingItem } from './BookingItem.tsx';
import { sortBookings } from './booking-trip.ts';
import { ContactKindBadge } from './ContactKindBadge.tsx';
import {
  type TContactDetail,
  useContact,
  useRequesterTickets,
  useTravelerBookings,
} from './contacts.queries.ts';
import { parseDiscounts } from './discount.ts';
import { EditContactModal } from './EditContactModal.tsx';
import { MergeContactModal } from './MergeContactModal.tsx';
import './contacts.css';

const IDENTITY_ICON: Record<TIdentityChannel, typeof IconMail> = {
  email: IconMail,
  phone: IconPhone,
  telegram: IconBrandTelegram,
  chat: IconMessageCircle,
};

const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <div>
    <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
      {label}
    </Text>
    <Box fz="sm">{children}</Box>
  </div>
);

const Section = ({
  title,
  aside,
  children,
  testId,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
  testId?: string;
}) => (
  <Paper withBorder p="md" radius="md" data-testid={testId}>
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <Title order={4}>{title}</Title>
        {aside}
      </Group>
      {children}
    </Stack>
  </Paper>
);

const ProfileCard = ({ contact }: { contact: TContactDetail }) => {
  const { t, i18n } = useTranslation('contacts');
  const lang = i18n.language;
  const discounts = parseDiscounts(contact.discounts);
  const number = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'ru-RU');
  return (
    <Section title={t('profile')} testId="contact-profile">
      <Field label={t('identities')}>
        {contact.identities.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('noIdentities')}
          </Text>
        ) : (
          <Stack gap={4} mt={2}>
            {contact.identities.map((identity) => {
              const Icon = IDENTITY_ICON[identity.channel];
              return (
                <Group key={identity.id} gap={6} wrap="nowrap" data-testid="identity">
                  <Icon size={16} aria-label={t(`identityChannel.${identity.channel}`)} />
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {identity.value}
                  </Text>
                  {identity.isVerified && (
                    <Tooltip label={t('verified')}>
                      <IconRosetteDiscountCheck
                        size={16}
                        color="var(--mantine-color-teal-6)"
                        aria-label={t('verified')}
                      />
                    </Tooltip>
                  )}
                </Group>
              );
            })}
          </Stack>
        )}
      </Field>
      <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
        <Field label={t('organization')}>{contact.organization?.name ?? '—'}</Field>
        <Field label={t('bonusBalance')}>
          <Text size="lg" fw={600} data-testid="bonus-balance">
            {number.format(contact.bonusBalance)}
          </Text>
        </Field>
        {discounts.length > 0 && (
          <Field label={t('discounts')}>
            <Group gap={4} mt={2}>
              {discounts.map((d) => (
                <Badge key={d.code} variant="outline" tt="none">
                  {d.code}
                  {d.percent !== undefined ? ` −${d.percent}%` : ''}
                  {d.amount !== undefined ? ` −${formatMoney(d.amount, 'RUB', lang)}` : ''}
                </Badge>
              ))}
            </Group>
          </Field>
        )}
        {contact.language && (
          <Field label={t('language')}>{t(`common:languages.${contact.language}`, contact.language)}</Field>
        )}
        {contact.externalId && <Field label={t('externalId')}>{contact.externalId}</Field>}
        <Field label={t('since')}>{formatDate(contact.createdAt, lang)}</Field>
      </SimpleGrid>
      {contact.notes && (
        <Field label={t('notes')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {contact.notes}
          </Text>
        </Field>
      )}
    </Section>
  );
};

const LoadMore = ({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) => {
  const { t } = useTranslation('contacts');
  if (!query.hasNextPage) return null;
  return (
    <Center>
      <Button
        variant="default"
        size="xs"
        loading={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      >
        {t('loadMore')}
      </Button>
    </Center>
  );
};

const Bookings = ({ contact }: { contact: TContactDetail }) => {
  const { t } = useTranslation('contacts');
  const isTraveler = contact.kind === 'traveler';
  const list = useTravelerBookings(contact.id, isTraveler);
  const bookings = sortBookings(
    isTraveler ? (list.data?.pages.flatMap((p) => p.items) ?? []) : contact.bookings,
  );
  return (
    <Section
      title={isTraveler ? t('bookings.title') : t('bookings.organizerTitle')}
      aside={
        bookings.length > 0 && (
          <Badge variant="light" color="gray">
            {bookings.length}
            {isTraveler && list.hasNextPage ? '+' : ''}
          </Badge>
        )
      }
      testId="contact-bookings"
    >
      {!isTraveler && (
        <Text size="xs" c="dimmed">
          {t('bookings.organizerHint')}
        </Text>
      )}
      {isTraveler && list.isPending ? (
        <Loading />
      ) : isTraveler && list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : bookings.length === 0 ? (
        <Text size="sm" c="dimmed" py="sm">
          {t('bookings.empty')}
        </Text>
      ) : (
        <Stack gap="xs">
          {bookings.map((b) => (
            <BookingItem key={b.id} booking={b} />
          ))}
          {isTraveler && <LoadMore query={list} />}
        </Stack>
      )}
    </Section>
  );
};

const Tickets = ({ contactId }: { contactId: number }) => {
  const { t, i18n } = useTranslation('contacts');
  const list = useRequesterTickets(contactId);
  const tickets = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Section
      title={t('tickets.title')}
      aside={
        tickets.length > 0 && (
          <Badge variant="light" color="gray">
            {tickets.length}
            {list.hasNextPage ? '+' : ''}
          </Badge>
        )
      }
      testId="contact-tickets"
    >
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : tickets.length === 0 ? (
        <Text size="sm" c="dimmed" py="sm">
          {t('tickets.empty')}
        </Text>
      ) : (
        <Stack gap={0}>
          {tickets.map((ticket) => (
            <Group
              key={ticket.id}
              justify="space-between"
              wrap="nowrap"
              gap="sm"
              py={8}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              data-testid="contact-ticket"
            >
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" fw={500} lineClamp={1}>
                  <Text span c="dimmed" size="sm">
                    #{ticket.number}
                  </Text>{' '}
                  {ticket.subject}
                </Anchor>
                <Group gap={6}>
                  <ChannelBadge channel={ticket.channel} />
                  {ticket.priority !== 'normal' && <PriorityBadge priority={ticket.priority} />}
                </Group>
              </Stack>
              <Stack gap={2} align="flex-end" style={{ flexShrink: 0 }}>
                <StatusBadge status={ticket.status} />
                <Text size="xs" c="dimmed" title={t('tickets.updated')}>
                  {formatShort(ticket.updatedAt, i18n.language)}
                </Text>
              </Stack>
            </Group>
          ))}
          <Box pt="xs">
            <LoadMore query={list} />
          </Box>
        </Stack>
      )}
    </Section>
  );
};

/** One person: how to reach them, bonus balance, bookings and tickets; edit and merge. */
export const ContactPage = () => {
  const { t } = useTranslation('contacts');
  const { can } = useMe();
  const id = Number(useParams().id);
  const query = useContact(id);
  const [editOpened, edit] = useDisclosure(false);
  const [mergeOpened, merge] = useDisclosure(false);

  const body = () => {
    if (!Number.isInteger(id) || id <= 0) return <NotFound />;
    if (query.isPending) return <Loading />;
    if (query.isError) {
      if (query.error instanceof ApiError && query.error.status === 404) return <NotFound />;
      return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
    }
    const contact = query.data;
    const isMerged = contact.mergedIntoId !== null;
    return (
      <Stack gap="md" maw={1200}>
        <Anchor component={Link} to="/contacts" size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('backToList')}
          </Group>
        </Anchor>
        {isMerged && (
          <Alert color="yellow" icon={<IconGitMerge size={18} />} data-testid="merged-into">
            <Group gap="sm" justify="space-between">
              <Text size="sm">{t('mergedInto')}</Text>
              <Anchor component={Link} to={`/contacts/${contact.mergedIntoId}`} size="sm" fw={500}>
                {t('openMergedInto')} #{contact.mergedIntoId}
              </Anchor>
            </Group>
          </Alert>
        )}
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={2} data-testid="contact-name">
                {contact.name || t('noName')}
              </Title>
              <ContactKindBadge kind={contact.kind} />
            </Group>
            <Text size="sm" c="dimmed">
              #{contact.id}
              {contact.organization ? ` · ${contact.organization.name}` : ''}
            </Text>
          </Stack>
          {!isMerged && (
            <Group gap="xs">
              {can('contact.write') && (
                <Button variant="default" leftSection={<IconPencil size={16} />} onClick={edit.open}>
                  {t('edit.button')}
                </Button>
              )}
              {can('contact.merge') && (
                <Button
                  variant="light"
                  leftSection={<IconGitMerge size={16} />}
                  onClick={merge.open}
                  data-testid="merge-open"
                >
                  {t('merge.button')}
                </Button>
              )}
            </Group>
          )}
        </Group>
        <div className="td-contact-grid">
          <div className="td-contact-profile">
            <ProfileCard contact={contact} />
          </div>
          <div className="td-contact-bookings">
            <Bookings contact={contact} />
          </div>
          <div className="td-contact-tickets">
            <Tickets contactId={contact.id} />
          </div>
        </div>
        <EditContactModal contact={contact} opened={editOpened} onClose={edit.close} />
        <MergeContactModal target={contact} opened={mergeOpened} onClose={merge.close} />
      </Stack>
    );
  };

  return (
    <AppLayout>
      <Box p="md" style={{ flex: 1, overflowY: 'auto' }}>
        {body()}
      </Box>
    </AppLayout>
  );
};

export default ContactPage;
