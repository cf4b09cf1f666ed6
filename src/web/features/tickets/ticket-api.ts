import { useQuery } from '@tanstack/react-query';
import type { TGroup, TUser } from '../../../shared/schemas/auth.ts';
import type { TPresenceViewer } from '../../../shared/schemas/realtime.ts';
import type { TMessage, TTicketDetail, TTicketEvent } from '../../../shared/schemas/tickets.ts';
import { api, type TQuery } from '../../lib/api.ts';

type TPage<T> = { items: T[]; nextCursor: string | null };

/** A safety stop for cursor loops: 50 pages of 200 is more history than one screen shows. */
const MAX_PAGES = 50;

/** Every page of a cursor-paged list, as one page (the API's own shape, so caches agree). */
export const fetchAllPages = async <T>(
  path: string,
  query: TQuery = {},
  signal?: AbortSignal,
): Promise<TPage<T>> => {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res: TPage<T> = await api.get<TPage<T>>(path, { ...query, cursor }, { signal });
    items.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return { items, nextCursor: null };
};

export const ticketKey = (id: number) => ['ticket', id] as const;

export const useTicket = (id: number) =>
  useQuery({
    queryKey: ticketKey(id),
    queryFn: ({ signal }) => api.get<TTicketDetail>(`/tickets/${id}`, undefined, { signal }),
  });

export const useMessages = (id: number) =>
  useQuery({
    queryKey: ['ticket', id, 'messages'],
    queryFn: ({ signal }) => fetchAllPages<TMessage>(`/tickets/${id}/messages`, {}, signal),
  });

export const useEvents = (id: number) =>
  useQuery({
    queryKey: ['ticket', id, 'events'],
    queryFn: ({ signal }) => fetchAllPages<TTicketEvent>(`/tickets/${id}/events`, { limit: 200 }, signal),
  });

export const useUsers = () =>
  useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => fetchAllPages<TUser>('/users', { limit: 200 }, signal),
    staleTime: 5 * 60_000,
  });

export const useGroups = () =>
  useQuery({
    queryKey: ['groups'],
    queryFn: ({ signal }) => fetchAllPages<TGroup>('/groups', {}, signal),
    staleTime: 5 * 60_000,
  });

/** Who had the ticket open when the screen loaded; the stream keeps it current afterwards. */
export const fetchPresence = (id: number, signal?: AbortSignal) =>
  api.get<{ viewers: TPresenceViewer[] }>(`/tickets/${id}/presence`, undefined, { signal });
