import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { TMe, TWorkspaceSettings } from '../../../shared/schemas/auth.ts';
import { setLanguage, storedLanguage } from '../../i18n/index.ts';
import { api, onUnauthenticated, setCsrfToken } from '../../lib/api.ts';
import { setTimeZone } from '../../lib/format.ts';
import { stream } from '../../lib/stream.ts';

type TSessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signed-in'; me: TMe; settings: TWorkspaceSettings };

type TSession = {
  state: TSessionState;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
};

const SessionContext = createContext<TSession | null>(null);

const LANGUAGE_CHOSEN_KEY = 'tourdesk.language';

/** Who is signed in, the workspace settings, and the live stream's lifetime. */
export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const [state, setState] = useState<TSessionState>({ status: 'loading' });
  const queryClient = useQueryClient();

  const enter = useCallback(async (me: TMe) => {
    setCsrfToken(me.csrfToken);
    const settings = await api.get<TWorkspaceSettings>('/settings');
    setTimeZone(settings.timeZone);
    // The user's own choice wins; a first visit follows the profile, then the workspace.
    const chosen = localStorage.getItem(LANGUAGE_CHOSEN_KEY);
    const lang = chosen ? storedLanguage() : me.user?.locale === 'en' ? 'en' : settings.locale;
    await setLanguage(lang === 'en' ? 'en' : 'ru');
    stream.start();
    setState({ status: 'signed-in', me, settings });
  }, []);

  const refresh = useCallback(async () => {
    try {
      await enter(await api.get<TMe>('/me', undefined, { quiet401: true }));
    } catch {
      setState({ status: 'anonymous', expired: false });
    }
  }, [enter]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        stream.stop();
        setCsrfToken(null);
        queryClient.clear();
        setState((s) => (s.status === 'signed-in' ? { status: 'anonymous', expired: true } : s));
      }),
    [queryClient],
  );

  const login = useCallback(
    async (email: string, password: string) => {
      const me = await api.post<TMe>('/auth/login', { email, password }, { quiet401: true });
      await enter(me);
    },
    [enter],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout', undefined, { quiet401: true });
    } finally {
      stream.stop();
      setCsrfToken(null);
      queryClient.clear();
      setState({ status: 'anonymous', expired: false });
    }
  }, [queryClient]);

  const value = useMemo(() => ({ state, login, logout, refresh }), [state, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = (): TSession => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
};

/** The signed-in user; only for screens behind the sign-in gate. */
export const useMe = () => {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a session');
  return {
    me: state.me,
    settings: state.settings,
    can: (permission: string) => state.me.permissions.includes(permission),
  };
};
