import {
  CHANNELS,
  CONTACT_KINDS,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
  type TTicketSort,
} from '../../../shared/enums.ts';
import type { TTicketFilters } from '../../../shared/schemas/tickets.ts';
import type { TQuery } from '../../lib/api.ts';

/**
 * The inbox URL carries only what the agent changed on top of the open view: `?status=open,pending`
 * narrows, `?assigneeId=` (present but empty) lifts the view's own filter, an absent key keeps it.
 */
export const FILTER_KEYS = [
  'status',
  'priority',
  'channel',
  'category',
  'tag',
  'requesterKind',
  'assigneeId',
  'tripStartsWithinDays',
  'sort',
] as const;
export type TFilterKey = (typeof FILTER_KEYS)[number];

export type TUserFilters = Pick<TTicketFilters, TFilterKey>;
/** A value replaces the view's; `null` removes the view's filter on that key. */
export type TOverrides = { [K in TFilterKey]?: TUserFilters[K] | null };

export const DEFAULT_SORT: TTicketSort = 'updated_desc';

type TMultiKey = 'status' | 'priority' | 'channel';
const MULTI: Record<TMultiKey, readonly string[]> = {
  status: TICKET_STATUSES,
  priority: TICKET_PRIORITIES,
  channel: CHANNELS,
};
const isMulti = (key: TFilterKey): key is TMultiKey => key in MULTI;

/** Known values only, each once, in the canonical order (stable URLs and query keys). */
const canonical = <T extends string>(values: readonly string[], allowed: readonly T[]): T[] =>
  allowed.filter((v) => values.includes(v));

const parseValue = <K extends TFilterKey>(key: K, raw: string): TUserFilters[K] | undefined => {
  const value = raw.trim();
  let parsed: unknown;
  if (isMulti(key)) {
    const items = canonical(value.split(','), MULTI[key]);
    parsed = items.length > 0 ? items : undefined;
  } else if (key === 'category') parsed = value.length <= 100 ? value : undefined;
  else if (key === 'tag') parsed = value.length <= 50 && !/[\s,]/.test(value) ? value : undefined;
  else if (key === 'requesterKind')
    parsed = (CONTACT_KINDS as readonly string[]).includes(value) ? value : undefined;
  else if (key === 'sort') parsed = (TICKET_SORTS as readonly string[]).includes(value) ? value : undefined;
  else if (key === 'assigneeId') {
    if (value === 'me' || value === 'none') parsed = value;
    else parsed = /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
  } else if (key === 'tripStartsWithinDays')
    parsed = /^\d{1,3}$/.test(value) && Number(value) <= 365 ? Number(value) : undefined;
  return parsed as TUserFilters[K] | undefined;
};

/** Reads the overrides from the query string; unknown keys and invalid values are ignored. */
export const parseOverrides = (search: string | URLSearchParams): TOverrides => {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const overrides: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const raw = params.get(key);
    if (raw === null) continue;
    if (raw.trim() === '') {
      overrides[key] = null;
      continue;
    }
    const value = parseValue(key, raw);
    if (value !== undefined) overrides[key] = value;
  }
  return overrides as TOverrides;
};

/** The query string (without `?`) for these overrides, keys in a fixed order, commas kept readable. */
export const serializeOverrides = (overrides: TOverrides): string =>
  FILTER_KEYS.flatMap((key) => {
    const value = overrides[key];
    if (value === undefined) return [];
    if (value === null) return [`${key}=`];
    const text = Array.isArray(value)
      ? value.map((v) => encodeURIComponent(v)).join(',')
      : encodeURIComponent(String(value));
    return [`${key}=${text}`];
  }).join('&');

/** The filters a list shows: the view's, with the agent's overrides on top. */
export const mergeFilters = (view: TTicketFilters, overrides: TOverrides): TTicketFilters => {
  const merged: Record<string, unknown> = { ...view };
  for (const key of FILTER_KEYS) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged as TTicketFilters;
};

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((v) => b.includes(v))
    : String(a) === String(b);

/**
 * The overrides after the agent sets one filter: a value equal to the view's own drops the override
 * (the URL stays clean), an empty value lifts the view's filter or simply clears the override.
 */
export const withOverride = <K extends TFilterKey>(
  view: TTicketFilters,
  overrides: TOverrides,
  key: K,
  value: TUserFilters[K] | undefined,
): TOverrides => {
  const next: TOverrides = { ...overrides };
  const normalized = isMulti(key) && Array.isArray(value) ? canonical(value, MULTI[key]) : value;
  const viewValue = view[key] ?? (key === 'sort' ? DEFAULT_SORT : undefined);
  const wanted = key === 'sort' && isEmpty(normalized) ? DEFAULT_SORT : normalized;
  if (isEmpty(wanted)) {
    if (isEmpty(viewValue)) delete next[key];
    else next[key] = null;
  } else if (!isEmpty(viewValue) && sameValue(wanted, viewValue)) delete next[key];
  else next[key] = wanted as TOverrides[K];
  return next;
};

export const hasOverrides = (overrides: TOverrides): boolean =>
  FILTER_KEYS.some((key) => overrides[key] !== undefined);

/** GET /tickets query parameters for these filters (arrays become comma lists in withQuery). */
export const toListQuery = (filters: TTicketFilters): TQuery => {
  const query: TQuery = {};
  for (const [key, value] of Object.entries(filters)) {
    if (isEmpty(value)) continue;
    query[key] = Array.isArray(value) ? [...value] : (value as string | number);
  }
  return query;
};

/** How many filters the agent can see set (the sort is not a filter). */
export const countActiveFilters = (filters: TTicketFilters): number =>
  FILTER_KEYS.filter((key) => key !== 'sort' && !isEmpty(filters[key])).length;
