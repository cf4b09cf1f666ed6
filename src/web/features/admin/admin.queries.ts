import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { TGroup, TUser, TWorkspaceSettings, ZApiToken } from '../../../shared/schemas/auth.ts';
import type { TMailbox } from '../../../shared/schemas/mailboxes.ts';
import { api } from '../../lib/api.ts';

export type TApiToken = z.infer<typeof ZApiToken>;
type TPage<T> = { items: T[]; nextCursor: string | null };

/** Every user, page after page: a team is small enough to hold at once (pickers, group members). */
const fetchAllUsers = async (signal: AbortSignal): Promise<TUser[]> => {
  const users: TUser[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<TPage<TUser>>('/users', { limit: 200, cursor }, { signal });
    users.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return users;
};

export const useUsers = () =>
  useQuery({ queryKey: ['users'], queryFn: ({ signal }) => fetchAllUsers(signal) });

export const useGroups = () =>
  useQuery({
    queryKey: ['groups'],
    queryFn: ({ signal }) => api.get<TPage<TGroup>>('/groups', undefined, { signal }).then((p) => p.items),
  });

export const useApiTokens = () =>
  useQuery({
    queryKey: ['api-tokens'],
    queryFn: ({ signal }) =>
      api.get<TPage<TApiToken>>('/api-tokens', undefined, { signal }).then((p) => p.items),
  });

export const useWorkspaceSettings = () =>
  useQuery({
    queryKey: ['settings'],
    queryFn: ({ signal }) => api.get<TWorkspaceSettings>('/settings', undefined, { signal }),
  });

export const useMailboxes = () =>
  useQuery({
    queryKey: ['mailboxes'],
    queryFn: ({ signal }) =>
      api.get<TPage<TMailbox>>('/mailboxes', undefined, { signal }).then((p) => p.items),
  });
