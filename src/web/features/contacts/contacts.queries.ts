import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { TContactKind } from '../../../shared/enums.ts';
import type { TBooking, TContact, ZContactDetail } from '../../../shared/schemas/contacts.ts';
import type { TTicket } from '../../../shared/schemas/tickets.ts';
import { api } from '../../lib/api.ts';
import { contactLookup } from './contact-lookup.ts';

export type TContactDetail = z.infer<typeof ZContactDetail>;
export type TPage<T> = { items: T[]; nextCursor: string | null };

const PAGE = 50;

/** The contact list for a typed search and kind, page by page (newest contacts first). */
export const useContactList = (query: { q: string; kind: TContactKind | null }, enabled = true) =>
  useInfiniteQuery({
    queryKey: ['contacts', query],
    queryFn: ({ pageParam, signal }) =>
      api.get<TPage<TContact>>(
        '/contacts',
        { ...contactLookup(query.q), kind: query.kind, limit: PAGE, cursor: pageParam },
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });

export const useContact = (id: number) =>
  useQuery({
    queryKey: ['contact', id],
    queryFn: ({ signal }) => api.get<TContactDetail>(`/contacts/${id}`, undefined, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });

/** A requester's tickets on every channel, newest activity first. */
export const useRequesterTickets = (requesterId: number) =>
  useInfiniteQuery({
    queryKey: ['tickets', { requesterId }],
    queryFn: ({ pageParam, signal }) =>
      api.get<TPage<TTicket>>('/tickets', { requesterId, limit: 20, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** A traveler's bookings; organizers' bookings come with the contact (the list has no organizer filter). */
export const useTravelerBookings = (travelerId: number, enabled: boolean) =>
  useInfiniteQuery({
    queryKey: ['bookings', { travelerId }],
    queryFn: ({ pageParam, signal }) =>
      api.get<TPage<TBooking>>('/bookings', { travelerId, limit: PAGE, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
