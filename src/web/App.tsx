import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Loading, NotFound } from './components/PageState.tsx';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { SessionProvider, useSession } from './features/auth/session.tsx';
import { ContactPage } from './features/contacts/ContactPage.tsx';
import { ContactsPage } from './features/contacts/ContactsPage.tsx';
import { InboxPage } from './features/inbox/InboxPage.tsx';
import { ProfilePage } from './features/profile/ProfilePage.tsx';
import { SearchPage } from './features/search/SearchPage.tsx';
import { TicketPage } from './features/tickets/TicketPage.tsx';
import { ApiError } from './lib/api.ts';
import { theme } from './theme.ts';

// Admin screens are a separate chunk: agents never download them.
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
