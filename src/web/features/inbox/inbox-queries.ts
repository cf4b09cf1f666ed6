import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { TGroup, TUser } from '../../../shared/schemas/auth.ts';
import type {
  TBulkUpdateTicketsRequest,
  TBulkUpdateTicketsResponse,
  TTicket,
  TTicketFilters,
} from '../../../shared/schemas/tickets.ts';
import type { TView, TViewList } from '../../../shared/schemas/views.ts';
import { api, type TQuery } from '../../lib/api.ts';
import { BULK_LIMIT, chunk } from './inbox-bulk.ts';

export type TPage<T> = { items: T[]; nextCursor: string | null };

export const PAGE_SIZE = 50;

/** The sidebar's views with live counts; the stream invalidates ['views']. */
export const useViews = () =>
  useQuery({
    queryKey: ['views'],
    queryFn: ({ signal }) => api.get<TViewList>('/views', undefined, { signal }),
  });

/** One ticket list, page after page by keyset cursor; the stream invalidates ['tickets']. */
export const useTicketPages = (query: TQuery | null) =>
  useInfiniteQuery({
    // The trailing 'pages' keeps this paged cache apart from plain ['tickets', query] lists elsewhere.
    queryKey: ['tickets', query ?? {}, 'pages'],
    queryFn: ({ pageParam, signal }) =>
      api.get<TPage<TTicket>>('/tickets', { ...query, limit: PAGE_SIZE, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });

/** Every user of the workspace (pages of 200), for names and the assignee pickers. */
export const useUsers = (enabled: boolean) =>
  useQuery({
    queryKey: ['users'],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }): Promise<TPage<TUser>> => {
      const items: TUser[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.get<TPage<TUser>>('/users', { limit: 200, cursor }, { signal });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { items, nextCursor: null };
    },
  });

export const useGroups = (enabled: boolean) =>
  useQuery({
    queryKey: ['groups'],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: ({ signal }) => api.get<TPage<TGroup>>('/groups', undefined, { signal }),
  });

/** Applies one change to many tickets, 200 per request; the answer has one result per ticket. */
export const bulkUpdate = async (
  ids: readonly number[],
  set: TBulkUpdateTicketsRequest['set'],
): Promise<TBulkUpdateTicketsResponse['results']> => {
  const results: TBulkUpdateTicketsResponse['results'] = [];
  for (const part of chunk(ids, BULK_LIMIT)) {
    const answer = await api.post<TBulkUpdateTicketsResponse>('/tickets/bulk', { ids: part, set });
    results.push(...answer.results);
  }
  return results;
};

export const createView = (name: string, filters: TTicketFilters) =>
  api.post<TView>('/views', { name, filters });

export const updateView = (id: string, body: { name?: string; filters?: TTicketFilters }) =>
  api.patch<TView>(`/views/${encodeURIComponent(id)}`, body);

export const deleteView = (id: string) => api.delete<void>(`/views/${encodeURIComponent(id)}`);
