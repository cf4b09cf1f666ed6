import { Box, Button, Group, Kbd, Mark, Stack, Tabs, Text, Title, UnstyledButton } from '@mantine/core';
import { IconAddressBook, IconMessage, IconSearch, IconTicket } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AppLayout } from '../../components/AppLayout.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { api } from '../../lib/api.ts';
import { formatShort } from '../../lib/format.ts';
import { useListNavigation } from '../../lib/list-navigation.ts';
import {
  countByType,
  hitHref,
  parseSearchType,
  SEARCH_TYPES,
  type TSearchHit,
  type TSearchType,
} from './search-hits.ts';
import { markedTerms, markTerms, snippetRepeatsTitle, splitSnippet, type TSnippetPart } from './snippet.ts';

/** The most hits the API returns for one query. */
const LIMIT = 50;

const TYPE_ICON: Record<TSearchType, typeof IconTicket> = {
  ticket: IconTicket,
  message: IconMessage,
  contact: IconAddressBook,
};

const TYPE_COLOR: Record<TSearchType, string> = { ticket: 'teal', message: 'blue', contact: 'grape' };

type TSearchResponse = { query: string; items: TSearchHit[] };

const useSearch = (q: string, type: TSearchType | null) =>
  useQuery({
    queryKey: ['search', q, type],
    queryFn: ({ signal }) => api.get<TSearchResponse>('/search', { q, type, limit: LIMIT }, { signal }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });

const Highlighted = ({ parts }: { parts: TSnippetPart[] }) =>
  parts.map((part, i) =>
    part.mark ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed split of one string.
      <Mark key={i} color="yellow.2" c="dark" fw={600}>
        {part.text}
      </Mark>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed split of one string.
      <span key={i}>{part.text}</span>
    ),
  );

const Hit = ({ hit, index, selected }: { hit: TSearchHit; index: number; selected: boolean }) => {
  const { t, i18n } = useTranslation('search');
  const Icon = TYPE_ICON[hit.type];
  // The server's <mark>s are split out as text parts: the snippet is never rendered as HTML.
  const snippet = splitSnippet(hit.snippet);
  const title = markTerms(hit.title, markedTerms(snippet));
  const showSnippet = !snippetRepeatsTitle(snippet, hit.title);
  return (
    <UnstyledButton
      component={Link}
      to={hitHref(hit)}
      data-testid="search-hit"
      data-type={hit.type}
      data-nav-index={index}
      data-selected={selected || undefined}
      p="sm"
      style={{
        display: 'block',
        borderRadius: 'var(--mantine-radius-sm)',
        border: `1px solid ${selected ? 'var(--mantine-color-teal-4)' : 'var(--mantine-color-gray-3)'}`,
        background: selected ? 'var(--mantine-color-teal-0)' : undefined,
      }}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Icon
          size={18}
          color={`var(--mantine-color-${TYPE_COLOR[hit.type]}-6)`}
          style={{ flexShrink: 0, marginTop: 2 }}
          aria-label={t(`typeOne.${hit.type}`)}
        />
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs" wrap="nowrap" justify="space-between" align="flex-start">
            <Text fw={600} size="sm" lineClamp={1} data-testid="search-title">
              {hit.title ? <Highlighted parts={title} /> : '—'}
            </Text>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {formatShort(hit.updatedAt, i18n.language)}
            </Text>
          </Group>
          {hit.type === 'message' && (
            <Text size="xs" c={TYPE_COLOR[hit.type]}>
              {t('messageIn')}
            </Text>
          )}
          {showSnippet && (
            <Text size="sm" c="dimmed" lineClamp={2} data-testid="search-snippet">
              <Highlighted parts={snippet} />
            </Text>
          )}
        </Stack>
      </Group>
    </UnstyledButton>
  );
};

/** Full-text search over tickets, messages and contacts, filterable by type, driven by the keyboard. */
export const SearchPage = () => {
  const { t } = useTranslation('search');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const type = parseSearchType(params.get('type'));

  // The unfiltered answer gives the counts per type; a chosen type asks the server for more of it.
  const all = useSearch(q, null);
  const filtered = useSearch(q, type);
  const result = type ? filtered : all;
  const hits = result.data?.items ?? [];
  const counts = countByType(all.data?.items ?? []);

  // In "all", hits are grouped by type in a fixed order; ranks order them inside a group.
  const ordered = type ? hits : SEARCH_TYPES.flatMap((ty) => hits.filter((h) => h.type === ty));

  const [selected, setSelected] = useListNavigation({
    count: ordered.length,
    onOpen: (i) => navigate(hitHref(ordered[i])),
  });
  const hasHits = ordered.length > 0;
  // A fresh query selects its best hit, so Enter opens it straight away.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the question changes.
  useEffect(() => {
    setSelected(hasHits ? 0 : -1);
  }, [q, type, hasHits]);

  const setType = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (!value || value === 'all') next.delete('type');
    else next.set('type', value);
    setParams(next, { replace: true });
  };

  // A chosen type counts its own answer; the others come from the unfiltered one. "50+" when capped.
  const countLabel = (of: TSearchType | 'all') => {
    const own = of !== 'all' && of === type && filtered.data;
    const items = own ? filtered.data.items : (all.data?.items ?? []);
    const n = of === 'all' || own ? items.length : counts[of];
    return items.length >= LIMIT && n > 0 ? `${n}+` : String(n);
  };

  const body = () => {
    if (!q)
      return (
        <EmptyState
          title={t('noQuery.title')}
          icon={<IconSearch size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        >
          {t('noQuery.text')}
        </EmptyState>
      );
    if (result.isPending) return <Loading />;
    if (result.isError) return <ErrorState error={result.error} onRetry={() => void result.refetch()} />;
    if (ordered.length === 0)
      return (
        <EmptyState
          title={t('noResults.title', { q })}
          icon={<IconSearch size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        >
          <Stack gap="xs" align="center">
            <span>{t('noResults.text')}</span>
            {type && (
              <Button size="xs" variant="light" onClick={() => setType(null)}>
                {t('noResults.everywhere')}
              </Button>
            )}
          </Stack>
        </EmptyState>
      );
    let index = 0;
    const groups = type ? [type] : SEARCH_TYPES.filter((ty) => ordered.some((h) => h.type === ty));
    return (
      <Stack gap="lg" aria-busy={result.isFetching}>
        {groups.map((group) => {
          const items = ordered.filter((h) => h.type === group);
          return (
            <Stack key={group} gap="xs" component="section" aria-label={t(`types.${group}`)}>
              {!type && (
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" lts={0.4}>
                  {t(`types.${group}`)}
                </Text>
              )}
              {items.map((hit) => {
                const i = index++;
                return <Hit key={`${hit.type}-${hit.id}`} hit={hit} index={i} selected={selected === i} />;
              })}
            </Stack>
          );
        })}
      </Stack>
    );
  };

  return (
    <AppLayout>
      <Box p="md" style={{ flex: 1, overflowY: 'auto' }}>
        <Stack gap="md" maw={900}>
          <Group justify="space-between" align="flex-end" gap="xs">
            <div style={{ minWidth: 0 }}>
              <Title order={2}>{t('title')}</Title>
              {q && (
                <Text size="sm" c="dimmed" data-testid="search-query">
                  {t('resultsFor', { q })}
                </Text>
              )}
            </div>
            {q && ordered.length > 0 && (
              <Text size="xs" c="dimmed" visibleFrom="sm">
                <Kbd size="xs">j</Kbd> <Kbd size="xs">k</Kbd> {t('hintSelect')} · <Kbd size="xs">Enter</Kbd>{' '}
                {t('hintOpen')}
              </Text>
            )}
          </Group>
          {q && (
            <Tabs
              value={type ?? 'all'}
              onChange={setType}
              aria-label={t('filterLabel')}
              styles={{ tab: { paddingInline: 'var(--mantine-spacing-sm)' } }}
            >
              <Tabs.List>
                <Tabs.Tab value="all">
                  {t('all')}{' '}
                  <Text span size="xs" c="dimmed">
                    {countLabel('all')}
                  </Text>
                </Tabs.Tab>
                {SEARCH_TYPES.map((ty) => (
                  <Tabs.Tab key={ty} value={ty} data-testid={`search-tab-${ty}`}>
                    {t(`types.${ty}`)}{' '}
                    <Text span size="xs" c="dimmed">
                      {countLabel(ty)}
                    </Text>
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
          )}
          {body()}
        </Stack>
      </Box>
    </AppLayout>
  );
};

export default SearchPage;
