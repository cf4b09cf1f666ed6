import { Box, Stack, Tabs, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { AppLayout } from '../../components/AppLayout.tsx';
import { EmptyState, NotFound } from '../../components/PageState.tsx';
import { useMe } from '../auth/session.tsx';
import { allowedSections, sectionOfPath, type TAdminSection } from './admin-access.ts';
import { GroupsTab } from './GroupsTab.tsx';
import { MailboxesTab } from './MailboxesTab.tsx';
import { QuarantineTab } from './QuarantineTab.tsx';
import { SettingsTab } from './SettingsTab.tsx';
import { TokensTab } from './TokensTab.tsx';
import { UsersTab } from './UsersTab.tsx';

const SCREENS: Record<TAdminSection, ComponentType> = {
  users: UsersTab,
  groups: GroupsTab,
  tokens: TokensTab,
  email: MailboxesTab,
  quarantine: QuarantineTab,
  settings: SettingsTab,
};

export const NoAccess = () => {
  const { t } = useTranslation('admin');
  return (
    <Box data-testid="no-access">
      <EmptyState
        title={t('noAccess.title')}
        icon={<IconLock size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
      >
        {t('noAccess.text')}
      </EmptyState>
    </Box>
  );
};

/** The admin area: users and roles, groups, API tokens, workspace settings; each tab needs its permission. */
export const AdminPage = () => {
  const { t } = useTranslation('admin');
  const { can } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const allowed = allowedSections(can);
  const current = sectionOfPath(location.pathname);

  return (
    <AppLayout>
      <Box p="md" style={{ flex: 1, overflowY: 'auto' }}>
        <Stack gap="md" maw={1200}>
          <Title order={2}>{t('title')}</Title>
          {allowed.length === 0 ? (
            <NoAccess />
          ) : (
            <>
              <Tabs
                value={current}
                onChange={(value) => value && navigate(`/admin/${value}`)}
                aria-label={t('sectionsLabel')}
              >
                <Tabs.List>
                  {allowed.map((section) => (
                    <Tabs.Tab key={section} value={section} data-testid={`admin-tab-${section}`}>
                      {t(`sections.${section}`)}
                    </Tabs.Tab>
                  ))}
                </Tabs.List>
              </Tabs>
              <Routes>
                <Route index element={<Navigate to={`/admin/${allowed[0]}`} replace />} />
                {(Object.keys(SCREENS) as TAdminSection[]).map((section) => {
                  const Screen = SCREENS[section];
                  return (
                    <Route
                      key={section}
                      path={section}
                      element={allowed.includes(section) ? <Screen /> : <NoAccess />}
                    />
                  );
                })}
                <Route path="*" element={<NotFound />} />
              </Routes>
            </>
          )}
        </Stack>
      </Box>
    </AppLayout>
  );
};

export default AdminPage;
