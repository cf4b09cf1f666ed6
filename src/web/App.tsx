import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Loading, NotFound } from './components/PageState.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { SessionProvider, useSession } from './features/auth/session.tsx';
import { InboxPage } from './features/inbox/InboxPage.tsx';
import { ApiError } from './lib/api.ts';
import { theme } from './theme.ts';

// The inbox is the first screen; every other screen is its own chunk. Admin screens are never
// downloaded by agents; the ticket screen is fetched as soon as the inbox is idle.
const loadTicketPage = () => import('./features/tickets/TicketPage.tsx');
const TicketPage = lazy(loadTicketPage);
const ContactsPage = lazy(() => import('./features/contacts/ContactsPage.tsx'));
const ContactPage = lazy(() => import('./features/contacts/ContactPage.tsx'));
const SearchPage = lazy(() => import('./features/search/SearchPage.tsx'));
const ProfilePage = lazy(() => import('./features/profile/ProfilePage.tsx'));
const AdminPage = lazy(() => import('./features/admin/AdminPage.tsx'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: true,
      // 4xx answers are final; retry only what may pass on a second try.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

const Gate = () => {
  const { state } = useSession();
  const signedIn = state.status === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    const timer = setTimeout(() => void loadTicketPage(), 1500);
    return () => clearTimeout(timer);
  }, [signedIn]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'anonymous') return <LoginPage expired={state.expired} />;
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Navigate to="/inbox" replace />} />
        <Route path="/login" element={<Navigate to="/inbox" replace />} />
        <Route path="/inbox" element={<InboxPage />} />
        <Route path="/inbox/:viewId" element={<InboxPage />} />
        <Route path="/tickets/:id" element={<TicketPage />} />
        <Route path="/contacts" element={<ContactsPage />} />
        <Route path="/contacts/:id" element={<ContactPage />} />
        <Route path="/search" element={<SearchPage />} />
        <Route path="/admin/*" element={<AdminPage />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
};

export const App = () => (
  <MantineProvider theme={theme}>
    <Notifications position="top-right" />
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </MantineProvider>
);
