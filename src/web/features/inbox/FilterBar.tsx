import { Button, Group } from '@mantine/core';
import { IconArrowsSort, IconFilterOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  CHANNELS,
  CONTACT_KINDS,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
} from '../../../shared/enums.ts';
import type { TUser } from '../../../shared/schemas/auth.ts';
import type { TTicketFilters } from '../../../shared/schemas/tickets.ts';
import { FilterPicker, type TPickerOption } from './FilterPicker.tsx';
import {
  DEFAULT_SORT,
  hasOverrides,
  type TFilterKey,
  type TOverrides,
  type TUserFilters,
  withOverride,
} from './inbox-filters.ts';

export const KNOWN_CATEGORIES = [
  'refund',
  'cancellation',
  'payment',
  'booking_change',
  'bonuses',
  'offer_terms',
  'payout',
  'listing',
  'quality_complaint',
  'other',
] as const;

const TRIP_DAYS = [0, 1, 3, 7, 14, 30];
const ASSIGNABLE = new Set(['admin', 'supervisor', 'agent']);

type TProps = {
  viewFilters: TTicketFilters;
  filters: TTicketFilters;
  overrides: TOverrides;
  onOverrides: (next: TOverrides) => void;
  users: TUser[] | undefined;
  knownTags: string[];
};

/** The agent's filters on top of the open view; every change goes to the URL. */
export const FilterBar = ({ viewFilters, filters, overrides, onOverrides, users, knownTags }: TProps) => {
  const { t } = useTranslation('inbox');
  const { t: tc } = useTranslation();

  const set = <K extends TFilterKey>(key: K, value: TUserFilters[K] | undefined) =>
    onOverrides(withOverride(viewFilters, overrides, key, value));

  const summarize = (labels: string[]) =>
    labels.length === 0
      ? null
      : labels.length === 1
        ? labels[0]
        : `${labels[0]} ${t('filters.more', { count: labels.length - 1 })}`;

  const categoryLabel = (c: string) => t(`categories.${c}`, { defaultValue: c });
  const userName = (id: number) => users?.find((u) => u.id === id)?.name ?? `#${id}`;
  const assigneeSummary =
    filters.assigneeId === undefined
      ? null
      : filters.assigneeId === 'me'
        ? t('filters.me')
        : filters.assigneeId === 'none'
          ? t('filters.nobody')
          : userName(filters.assigneeId);
  const tripLabel = (days: number) =>
    days === 0 ? t('filters.tripToday') : t('filters.tripWithin', { count: days });

  const statusOptions = TICKET_STATUSES.map((s) => ({ value: s, label: tc(`status.${s}`) }));
  const priorityOptions = [...TICKET_PRIORITIES]
    .reverse()
    .map((p) => ({ value: p, label: tc(`priority.${p}`) }));
  const channelOptions = CHANNELS.map((c) => ({ value: c, label: tc(`channel.${c}`) }));
  const kindOptions = CONTACT_KINDS.map((k) => ({ value: k, label: tc(`contactKind.${k}`) }));
  const categories: string[] = [...KNOWN_CATEGORIES];
  if (filters.category && !categories.includes(filters.category)) categories.push(filters.category);
  const categoryOptions = categories.map((c) => ({ value: c, label: categoryLabel(c) }));
  const tags = [...new Set([...(filters.tag ? [filters.tag] : []), ...knownTags])];
  const tagOptions = tags.map((tag) => ({ value: tag, label: tag }));
  const tripDays = [...TRIP_DAYS];
  if (filters.tripStartsWithinDays !== undefined && !tripDays.includes(filters.tripStartsWithinDays))
    tripDays.push(filters.tripStartsWithinDays);
  const tripOptions = tripDays.sort((a, b) => a - b).map((d) => ({ value: String(d), label: tripLabel(d) }));
  const assigneeOptions: TPickerOption[] = [
    { value: 'me', label: t('filters.me') },
    { value: 'none', label: t('filters.nobody') },
    ...(users ?? [])
      .filter((u) => u.isActive && ASSIGNABLE.has(u.role))
      .map((u) => ({ value: String(u.id), label: u.name, description: u.email })),
  ];

  return (
    <Group gap={6} px="md" pb="sm" wrap="wrap" role="group" aria-label={t('filters.label')}>
      <FilterPicker
        label={t('filters.status')}
        testId="filter-status"
        changed={overrides.status !== undefined}
        multiple
        options={statusOptions}
        selected={filters.status ?? []}
        summary={summarize((filters.status ?? []).map((s) => tc(`status.${s}`)))}
        onChange={(v) => set('status', v as TUserFilters['status'])}
        onClear={() => set('status', undefined)}
      />
      <FilterPicker
        label={t('filters.assignee')}
        testId="filter-assignee"
        changed={overrides.assigneeId !== undefined}
        searchable
        options={assigneeOptions}
        selected={filters.assigneeId === undefined ? [] : [String(filters.assigneeId)]}
        summary={assigneeSummary}
        onChange={([v]) => set('assigneeId', v === 'me' || v === 'none' ? v : Number(v))}
        onClear={() => set('assigneeId', undefined)}
        width={280}
      />
      <FilterPicker
        label={t('filters.priority')}
        testId="filter-priority"
        changed={overrides.priority !== undefined}
        multiple
        options={priorityOptions}
        selected={filters.priority ?? []}
        summary={summarize(
          TICKET_PRIORITIES.filter((p) => filters.priority?.includes(p))
            .reverse()
            .map((p) => tc(`priority.${p}`)),
        )}
        onChange={(v) => set('priority', v as TUserFilters['priority'])}
        onClear={() => set('priority', undefined)}
      />
      <FilterPicker
        label={t('filters.channel')}
        testId="filter-channel"
        changed={overrides.channel !== undefined}
        multiple
        options={channelOptions}
        selected={filters.channel ?? []}
        summary={summarize((filters.channel ?? []).map((c) => tc(`channel.${c}`)))}
        onChange={(v) => set('channel', v as TUserFilters['channel'])}
        onClear={() => set('channel', undefined)}
      />
      <FilterPicker
        label={t('filters.requesterKind')}
        testId="filter-requester-kind"
        changed={overrides.requesterKind !== undefined}
        options={kindOptions}
        selected={filters.requesterKind ? [filters.requesterKind] : []}
        summary={filters.requesterKind ? tc(`contactKind.${filters.requesterKind}`) : null}
        onChange={([v]) => set('requesterKind', v as TUserFilters['requesterKind'])}
        onClear={() => set('requesterKind', undefined)}
      />
      <FilterPicker
        label={t('filters.trip')}
        testId="filter-trip"
        changed={overrides.tripStartsWithinDays !== undefined}
        options={tripOptions}
        selected={filters.tripStartsWithinDays === undefined ? [] : [String(filters.tripStartsWithinDays)]}
        summary={filters.tripStartsWithinDays === undefined ? null : tripLabel(filters.tripStartsWithinDays)}
        onChange={([v]) => set('tripStartsWithinDays', Number(v))}
        onClear={() => set('tripStartsWithinDays', undefined)}
        width={260}
      />
      <FilterPicker
        label={t('filters.category')}
        testId="filter-category"
        changed={overrides.category !== undefined}
        searchable
        options={categoryOptions}
        selected={filters.category ? [filters.category] : []}
        summary={filters.category ? categoryLabel(filters.category) : null}
        onChange={([v]) => set('category', v)}
        onClear={() => set('category', undefined)}
      />
      <FilterPicker
        label={t('filters.tag')}
        testId="filter-tag"
        changed={overrides.tag !== undefined}
        searchable
        options={tagOptions}
        creatable={(text) => {
          const tag = text.trim();
          return tag.length > 0 && tag.length <= 50 && !/[\s,]/.test(tag) ? { value: tag, label: tag } : null;
        }}
        selected={filters.tag ? [filters.tag] : []}
        summary={filters.tag ?? null}
        onChange={([v]) => set('tag', v)}
        onClear={() => set('tag', undefined)}
        width={220}
      />
      {hasOverrides(overrides) && (
        <Button
          size="xs"
          variant="subtle"
          color="gray"
          leftSection={<IconFilterOff size={14} />}
          onClick={() => onOverrides({})}
          data-testid="filters-reset"
        >
          {t('filters.resetShort')}
        </Button>
      )}
    </Group>
  );
};

/** The list order; a value other than the view's own goes to the URL like any filter. */
export const SortPicker = ({
  viewFilters,
  filters,
  overrides,
  onOverrides,
}: Pick<TProps, 'viewFilters' | 'filters' | 'overrides' | 'onOverrides'>) => {
  const { t } = useTranslation('inbox');
  const sort = filters.sort ?? DEFAULT_SORT;
  return (
    <FilterPicker
      label={t('filters.sort')}
      testId="filter-sort"
      changed={overrides.sort !== undefined}
      valueOnly
      icon={<IconArrowsSort size={14} />}
      options={TICKET_SORTS.map((s) => ({ value: s, label: t(`filters.sorts.${s}`) }))}
      selected={[sort]}
      summary={t(`filters.sorts.${sort}`)}
      onChange={([v]) => onOverrides(withOverride(viewFilters, overrides, 'sort', v as TUserFilters['sort']))}
      width={280}
    />
  );
};
