import {
  AppShell,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import {
  IconAddressBook,
  IconChevronDown,
  IconInbox,
  IconLanguage,
  IconLogout,
  IconSearch,
  IconSettings,
  IconUser,
} from '@tabler/icons-react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, useLocation, useNavigate } from 'react-router';
import { useMe, useSession } from '../features/auth/session.tsx';
import { setLanguage } from '../i18n/index.ts';
import { useLiveInvalidation, useStreamState } from '../lib/live.ts';
import { ShortcutsHelp } from './ShortcutsHelp.tsx';

/** The frame of every signed-in screen: navigation, the search box, live state, the user menu. */
export const AppLayout = ({ children, sidebar }: { children: ReactNode; sidebar?: ReactNode }) => {
  const { t, i18n } = useTranslation();
  const { t: tAuth } = useTranslation('auth');
  const { me, can } = useMe();
  const { logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [navOpened, nav] = useDisclosure(false);
  const [helpOpened, help] = useDisclosure(false);
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const live = useStreamState();
  useLiveInvalidation();

  // On the search page the box shows the query being looked at (also after back/forward).
  useEffect(() => {
    if (location.pathname === '/search') setQuery(new URLSearchParams(location.search).get('q') ?? '');
  }, [location.pathname, location.search]);

  useHotkeys([
    ['/', () => searchRef.current?.focus()],
    ['shift+?', help.open],
  ]);

  const links = [
    { to: '/inbox', label: t('nav.inbox'), icon: IconInbox, show: true },
    { to: '/contacts', label: t('nav.contacts'), icon: IconAddressBook, show: can('contact.read') },
    {
      to: '/admin',
      label: t('nav.admin'),
      icon: IconSettings,
      show: can('settings.manage') || can('group.manage'),
    },
  ];

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: sidebar ? 250 : 200, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={0}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
            <Text fw={700} c="teal.8">
              {t('appName')}
            </Text>
          </Group>
          <search style={{ flex: 1, maxWidth: 520 }}>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (query.trim()) navigate(`/search?q=${encodeURIComponent(query.trim())}`);
                searchRef.current?.blur();
              }}
            >
              <TextInput
                ref={searchRef}
                aria-label={t('nav.search')}
                placeholder={`${t('searchPlaceholder')}  ( / )`}
                leftSection={<IconSearch size={16} />}
                value={query}
                onChange={(e) => setQuery(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') e.currentTarget.blur();
                }}
              />
            </form>
          </search>
          <Group gap="sm" wrap="nowrap">
            <Tooltip label={t(`live.${live}`)}>
              <Badge
                variant="dot"
                color={live === 'open' ? 'teal' : live === 'connecting' ? 'yellow' : 'red'}
                data-testid="live-state"
                data-state={live}
              >
                {t(`live.${live}`)}
              </Badge>
            </Tooltip>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={t('nav.profile')} data-testid="user-menu">
                  <Group gap={4} wrap="nowrap">
                    <IconUser size={18} />
                    <Text size="sm" visibleFrom="md">
                      {me.user?.name ?? me.actor.name}
                    </Text>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t(`role.${me.actor.role}`)}</Menu.Label>
                <Menu.Item leftSection={<IconUser size={16} />} onClick={() => navigate('/profile')}>
                  {t('nav.profile')}
                </Menu.Item>
                <Menu.Item
                  leftSection={<IconLanguage size={16} />}
                  onClick={() => void setLanguage(i18n.language === 'en' ? 'ru' : 'en')}
                  data-testid="toggle-language"
                >
                  {i18n.language === 'en' ? t('languages.ru') : t('languages.en')}
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void logout()}>
                  {tAuth('logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section>
          {links
            .filter((l) => l.show)
            .map((l) => (
              <NavLink
                key={l.to}
                component={RouterLink}
                to={l.to}
                label={l.label}
                leftSection={<l.icon size={18} />}
                active={location.pathname.startsWith(l.to)}
                onClick={nav.close}
              />
            ))}
        </AppShell.Section>
        {sidebar && (
          <AppShell.Section grow mt="sm" style={{ overflowY: 'auto' }}>
            {sidebar}
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main style={{ display: 'flex', flexDirection: 'column', height: '100dvh' }}>
        {children}
      </AppShell.Main>
      <ShortcutsHelp opened={helpOpened} onClose={help.close} />
    </AppShell>
  );
};
