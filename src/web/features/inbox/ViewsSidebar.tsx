import { ActionIcon, Badge, Button, Group, Menu, NavLink, Skeleton, Stack, Text } from '@mantine/core';
import { IconDots, IconPencil, IconTrash } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TView, TViewList } from '../../../shared/schemas/views.ts';
import { isTranslatedView, sectionViews } from './inbox-views.ts';

/** The name shown for a view: built-ins translated by id, group and saved views as named. */
export const useViewName = () => {
  const { t } = useTranslation('inbox');
  return (view: Pick<TView, 'id' | 'name' | 'kind'>) =>
    view.kind === 'builtin' && isTranslatedView(view.id) ? t(`views.builtin.${view.id}`) : view.name;
};

type TProps = {
  views: UseQueryResult<TViewList>;
  activeId: string;
  onRename: (view: TView) => void;
  onDelete: (view: TView) => void;
};

/** Views with live counts, passed to AppLayout as its sidebar. */
export const ViewsSidebar = ({ views, activeId, onRename, onDelete }: TProps) => {
  const { t, i18n } = useTranslation('inbox');
  const { t: tc } = useTranslation();
  const viewName = useViewName();

  if (views.isPending)
    return (
      <Stack gap={8} px="xs" aria-busy>
        {Array.from({ length: 7 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to key on
          <Skeleton key={i} height={26} radius="sm" />
        ))}
      </Stack>
    );
  if (views.isError)
    return (
      <Stack gap={6} px="xs" role="alert">
        <Text size="sm" c="red.7">
          {t('views.loadError')}
        </Text>
        <Button size="compact-xs" variant="light" color="red" onClick={() => void views.refetch()}>
          {tc('retry')}
        </Button>
      </Stack>
    );

  if (views.data.items.length === 0) return null;
  const sections = sectionViews(views.data.items);
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'ru-RU');

  const entry = (view: TView, menu?: ReactNode) => {
    const name = viewName(view);
    const active = view.id === activeId;
    return (
      <Group key={view.id} gap={2} wrap="nowrap">
        <NavLink
          component={Link}
          to={`/inbox/${encodeURIComponent(view.id)}`}
          label={name}
          active={active}
          aria-current={active ? 'page' : undefined}
          aria-label={`${name}, ${t('views.countLabel', { count: view.count })}`}
          data-testid={`view-${view.id}`}
          data-count={view.count}
          py={5}
          styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } }}
          rightSection={
            <Badge
              size="sm"
              variant={active ? 'filled' : 'light'}
              color={view.count === 0 ? 'gray' : 'teal'}
              style={{ fontVariantNumeric: 'tabular-nums' }}
            >
              {number.format(view.count)}
            </Badge>
          }
          style={{ flex: 1, minWidth: 0, borderRadius: 'var(--mantine-radius-sm)' }}
        />
        {menu}
      </Group>
    );
  };

  const heading = (text: string) => (
    <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
      {text}
    </Text>
  );

  return (
    <nav aria-label={t('views.label')}>
      {heading(t('views.builtinHeading'))}
      {sections.builtin.map((v) => entry(v))}
      {sections.groups.length > 0 && heading(t('views.groupsHeading'))}
      {sections.groups.map((v) => entry(v))}
      {heading(t('views.savedHeading'))}
      {sections.saved.length === 0 && (
        <Text size="xs" c="dimmed" px="sm">
          {t('views.savedEmpty')}
        </Text>
      )}
      {sections.saved.map((v) =>
        entry(
          v,
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                aria-label={t('views.menu', { name: v.name })}
                data-testid={`view-menu-${v.id}`}
              >
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => onRename(v)}>
                {t('views.rename')}
              </Menu.Item>
              <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={() => onDelete(v)}>
                {t('views.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>,
        ),
      )}
    </nav>
  );
};
