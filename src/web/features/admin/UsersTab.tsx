import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconUserOff, IconUsers } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type TUserRole, USER_ROLES } from '../../../shared/enums.ts';
import type { TUser } from '../../../shared/schemas/auth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { api } from '../../lib/api.ts';
import { isVersionConflict } from '../../lib/api-errors.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useMe } from '../auth/session.tsx';
import { useGroups, useUsers } from './admin.queries.ts';
import { UserFormModal } from './UserFormModal.tsx';

const replaceUser = (list: TUser[] | undefined, user: TUser) =>
  list?.map((u) => (u.id === user.id ? user : u));

/** Users and roles: list, create, change a role inline, edit, deactivate and reactivate. */
export const UsersTab = () => {
  const { t, i18n } = useTranslation('admin');
  const { me } = useMe();
  const queryClient = useQueryClient();
  const users = useUsers();
  const groups = useGroups();
  const [showInactive, setShowInactive] = useState(false);
  const [roleFilter, setRoleFilter] = useState<TUserRole | null>(null);
  const [editing, setEditing] = useState<{ user: TUser | null } | null>(null);
  const [deactivating, setDeactivating] = useState<TUser | null>(null);

  const update = useMutation({
    mutationFn: ({ user, body }: { user: TUser; body: { role?: TUserRole; isActive?: boolean } }) =>
      api.patch<TUser>(`/users/${user.id}`, body, { ifMatch: user.version }),
    onSuccess: (saved, { body }) => {
      queryClient.setQueryData<TUser[]>(['users'], (list) => replaceUser(list, saved));
      if (body.role) {
        notifications.show({
          color: 'teal',
          message: t('users.roleSaved', { name: saved.name, role: t(`common:role.${saved.role}`) }),
        });
      } else {
        notifications.show({
          color: 'teal',
          message: saved.isActive
            ? t('users.reactivated', { name: saved.name })
            : t('users.deactivated', { name: saved.name }),
        });
        setDeactivating(null);
      }
    },
    onError: async (error, { user }) => {
      if (!isVersionConflict(error)) {
        if (!deactivating)
          notifications.show({ color: 'red', message: errorMessage(error, t, i18n.language) });
        return;
      }
      // Never overwrite: show what the user is now and keep the fresh row.
      const fresh = await api.get<TUser>(`/users/${user.id}`);
      queryClient.setQueryData<TUser[]>(['users'], (list) => replaceUser(list, fresh));
      setDeactivating(null);
      notifications.show({
        color: 'orange',
        autoClose: 10_000,
        message: t('users.roleConflict', { name: fresh.name, role: t(`common:role.${fresh.role}`) }),
      });
    },
  });

  if (users.isPending || groups.isPending) return <Loading />;
  if (users.isError) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  if (groups.isError) return <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />;

  const groupName = new Map(groups.data.map((g) => [g.id, g.name]));
  const shown = users.data
    .filter((u) => showInactive || u.isActive)
    .filter((u) => !roleFilter || u.role === roleFilter)
    .sort((a, b) => Number(b.isActive) - Number(a.isActive) || a.name.localeCompare(b.name));
  const inactiveCount = users.data.filter((u) => !u.isActive).length;

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm">
        <Group gap="sm">
          <Select
            aria-label={t('users.roleFilter')}
            placeholder={t('users.allRoles')}
            value={roleFilter}
            onChange={(v) => setRoleFilter(v as TUserRole | null)}
            clearable
            data={USER_ROLES.map((r) => ({ value: r, label: t(`common:role.${r}`) }))}
            w={220}
          />
          {inactiveCount > 0 && (
            <Switch
              label={`${t('users.showInactive')} (${inactiveCount})`}
              checked={showInactive}
              onChange={(e) => setShowInactive(e.currentTarget.checked)}
            />
          )}
        </Group>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setEditing({ user: null })}
          data-testid="user-add"
        >
          {t('users.add')}
        </Button>
      </Group>

      {shown.length === 0 ? (
        <EmptyState
          title={t('users.empty')}
          icon={<IconUsers size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        />
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.columns.name')}</Table.Th>
                <Table.Th w={200}>{t('users.columns.role')}</Table.Th>
                <Table.Th>{t('users.columns.department')}</Table.Th>
                <Table.Th>{t('users.columns.groups')}</Table.Th>
                <Table.Th miw={110}>{t('users.columns.status')}</Table.Th>
                <Table.Th ta="right">{t('users.columns.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((user) => {
                const isSelf = user.id === me.user?.id;
                return (
                  <Table.Tr
                    key={user.id}
                    data-testid="user-row"
                    data-user-id={user.id}
                    opacity={user.isActive ? 1 : 0.6}
                  >
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {user.name}
                        {isSelf && (
                          <Text span size="xs" c="dimmed">
                            {' '}
                            ({t('users.you')})
                          </Text>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {user.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('users.ownRoleHint')} disabled={!isSelf}>
                        <div>
                          <Select
                            size="xs"
                            aria-label={t('users.roleOf', { name: user.name })}
                            value={user.role}
                            allowDeselect={false}
                            disabled={isSelf || !user.isActive || update.isPending}
                            data={USER_ROLES.map((r) => ({ value: r, label: t(`common:role.${r}`) }))}
                            onChange={(role) => {
                              if (role && role !== user.role)
                                update.mutate({ user, body: { role: role as TUserRole } });
                            }}
                            data-testid="user-role"
                          />
                        </div>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={user.department ? undefined : 'dimmed'}>
                        {user.department ? t(`departments.${user.department}`, user.department) : '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {user.groupIds.length === 0 ? (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        ) : (
                          user.groupIds.map((id) => (
                            <Badge key={id} variant="light" color="gray" size="sm" tt="none">
                              {groupName.get(id) ?? `#${id}`}
                            </Badge>
                          ))
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={user.isActive ? 'teal' : 'gray'}
                        variant={user.isActive ? 'light' : 'outline'}
                        style={{ overflow: 'visible' }}
                        styles={{ label: { overflow: 'visible' } }}
                      >
                        {user.isActive ? t('users.active') : t('users.inactive')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Tooltip label={t('users.edit')}>
                          <ActionIcon
                            variant="subtle"
                            aria-label={`${t('users.edit')}: ${user.name}`}
                            onClick={() => setEditing({ user })}
                          >
                            <IconPencil size={16} />
                          </ActionIcon>
                        </Tooltip>
                        {user.isActive ? (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            leftSection={<IconUserOff size={14} />}
                            disabled={isSelf}
                            onClick={() => setDeactivating(user)}
                          >
                            {t('users.deactivate')}
                          </Button>
                        ) : (
                          <Button
                            size="xs"
                            variant="subtle"
                            onClick={() => update.mutate({ user, body: { isActive: true } })}
                          >
                            {t('users.reactivate')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <UserFormModal
        user={editing?.user ?? null}
        opened={editing !== null}
        groups={groups.data}
        onClose={() => setEditing(null)}
      />
      <Modal
        opened={deactivating !== null}
        onClose={() => {
          setDeactivating(null);
          update.reset();
        }}
        title={deactivating ? t('users.deactivateTitle', { name: deactivating.name }) : ''}
        centered
      >
        <Stack>
          <Text size="sm">{t('users.deactivateText')}</Text>
          {update.isError && !isVersionConflict(update.error) && <ErrorAlert error={update.error} />}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setDeactivating(null)}>
              {t('common:cancel')}
            </Button>
            <Button
              color="red"
              loading={update.isPending}
              onClick={() => deactivating && update.mutate({ user: deactivating, body: { isActive: false } })}
            >
              {t('users.deactivate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
};
