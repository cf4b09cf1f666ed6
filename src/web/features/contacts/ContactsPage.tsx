import {
  Anchor,
  Box,
  Button,
  Center,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUsers } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { TContactKind } from '../../../shared/enums.ts';
import { AppLayout } from '../../components/AppLayout.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { useListNavigation } from '../../lib/list-navigation.ts';
import { ContactKindBadge } from './ContactKindBadge.tsx';
import { contactFiltersToParams, parseContactFilters } from './contact-lookup.ts';
import { useContactList } from './contacts.queries.ts';

/** The contact list: look up by name, email or phone, filter by kind, page on. */
export const ContactsPage = () => {
  const { t, i18n } = useTranslation('contacts');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = parseContactFilters(params);
  const { q, kind } = filters;
  const [text, setText] = useState(q);
  const [debounced] = useDebouncedValue(text, 300);

  // The typed text reaches the address bar (and the query) once typing pauses.
  useEffect(() => {
    if (debounced.trim() === q) return;
    setParams(contactFiltersToParams({ q: debounced, kind }), { replace: true });
  }, [debounced, q, kind, setParams]);

  const list = useContactList({ q, kind });
  const contacts = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [selected, setSelected] = useListNavigation({
    count: contacts.length,
    onOpen: (i) => navigate(`/contacts/${contacts[i].id}`),
  });
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'ru-RU');

  return (
    <AppLayout>
      <Box p="md" style={{ flex: 1, overflowY: 'auto' }}>
        <Stack gap="md" maw={1200}>
          <Title order={2}>{t('title')}</Title>
          <Group gap="sm" wrap="wrap">
            <TextInput
              aria-label={t('searchLabel')}
              placeholder={t('searchPlaceholder')}
              leftSection={<IconSearch size={16} />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: '1 1 260px', maxWidth: 420 }}
              data-testid="contact-search"
            />
            <SegmentedControl
              aria-label={t('kindFilter')}
              value={filters.kind ?? 'all'}
              onChange={(value) =>
                setParams(
                  contactFiltersToParams({
                    ...filters,
                    kind: value === 'all' ? null : (value as TContactKind),
                  }),
                  { replace: true },
                )
              }
              data={[
                { value: 'all', label: t('kindAll') },
                { value: 'traveler', label: t('common:contactKind.traveler') },
                { value: 'organizer', label: t('common:contactKind.organizer') },
              ]}
            />
          </Group>

          {list.isPending ? (
            <Loading />
          ) : list.isError ? (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          ) : contacts.length === 0 ? (
            filters.q || filters.kind ? (
              <EmptyState
                title={t('noMatches.title')}
                icon={<IconSearch size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
              >
                {t('noMatches.text')}
              </EmptyState>
            ) : (
              <EmptyState
                title={t('empty.title')}
                icon={<IconUsers size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
              >
                {t('empty.text')}
              </EmptyState>
            )
          ) : (
            <>
              <Table.ScrollContainer minWidth={480}>
                <Table highlightOnHover verticalSpacing="xs" aria-busy={list.isFetching}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('columns.name')}</Table.Th>
                      <Table.Th>{t('columns.kind')}</Table.Th>
                      <Table.Th>{t('columns.reach')}</Table.Th>
                      <Table.Th ta="right" visibleFrom="md">
                        {t('columns.bonus')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {contacts.map((c, i) => (
                      <Table.Tr
                        key={c.id}
                        data-testid="contact-row"
                        data-contact-id={c.id}
                        data-nav-index={i}
                        data-selected={selected === i || undefined}
                        bg={selected === i ? 'teal.0' : undefined}
                        style={{ cursor: 'pointer' }}
                        onClick={() => {
                          setSelected(i);
                          navigate(`/contacts/${c.id}`);
                        }}
                      >
                        <Table.Td>
                          <Anchor
                            component={Link}
                            to={`/contacts/${c.id}`}
                            fw={500}
                            size="sm"
                            onClick={(e) => e.stopPropagation()}
                          >
                            {c.name || t('noName')}
                          </Anchor>
                          {c.organization && (
                            <Text size="xs" c="dimmed">
                              {c.organization.name}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          <ContactKindBadge kind={c.kind} />
                        </Table.Td>
                        <Table.Td>
                          <Text
                            size="sm"
                            c={c.email ? undefined : 'dimmed'}
                            style={{ overflowWrap: 'anywhere' }}
                          >
                            {c.email ?? '—'}
                          </Text>
                          {c.phone && (
                            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                              {c.phone}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td ta="right" visibleFrom="md">
                          <Text
                            size="sm"
                            c={c.bonusBalance ? undefined : 'dimmed'}
                            style={{ whiteSpace: 'nowrap' }}
                          >
                            {number.format(c.bonusBalance)}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {list.hasNextPage && (
                <Center>
                  <Button
                    variant="default"
                    loading={list.isFetchingNextPage}
                    onClick={() => void list.fetchNextPage()}
                  >
                    {t('loadMore')}
                  </Button>
                </Center>
              )}
            </>
          )}
        </Stack>
      </Box>
    </AppLayout>
  );
};

export default ContactsPage;
