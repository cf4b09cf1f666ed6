import {
  Alert,
  Avatar,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TGroup, TUser } from '../../../shared/schemas/auth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/PageState.tsx';
import { api } from '../../lib/api.ts';
import { errorCode, isVersionConflict } from '../../lib/api-errors.ts';
import { useGroups, useUsers } from './admin.queries.ts';
import { groupPatch, type TGroupForm } from './group-form.ts';

const formOf = (group: TGroup | null): TGroupForm => ({
  name: group?.name ?? '',
  description: group?.description ?? '',
  memberIds: group?.memberIds ?? [],
});

const GroupFormModal = ({
  group,
  opened,
  users,
  onClose,
}: {
  group: TGroup | null;
  opened: boolean;
  users: TUser[];
  onClose: () => void;
}) => {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [form, setForm] = useState<TGroupForm>(formOf(group));
  const [base, setBase] = useState<TGroup | null>(group);
  const [conflict, setConflict] = useState<TGroup | null>(null);
  const [nameMissing, setNameMissing] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the form starts over each time it opens.
  useEffect(() => {
    if (!opened) return;
    setForm(formOf(group));
    setBase(group);
    setConflict(null);
    setNameMissing(false);
  }, [opened]);

  const save = useMutation({
    mutationFn: ({ version }: { version?: number }) =>
      group && base
        ? api.patch<TGroup>(`/groups/${group.id}`, groupPatch(form, base), {
            ifMatch: version ?? base.version,
          })
        : api.post<TGroup>('/groups', {
            name: form.name.trim(),
            description: form.description.trim(),
            memberIds: form.memberIds,
          }),
    onSuccess: (saved) => {
      queryClient.setQueryData<TGroup[]>(['groups'], (list) =>
        list?.some((g) => g.id === saved.id)
          ? list.map((g) => (g.id === saved.id ? saved : g))
          : [...(list ?? []), saved],
      );
      // Membership is also on each user.
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      notifications.show({
        color: 'teal',
        message: group ? t('groups.saved') : t('groups.created', { name: saved.name }),
      });
      onClose();
    },
    onError: async (error) => {
      if (!isVersionConflict(error) || !group) return;
      setConflict(await api.get<TGroup>(`/groups/${group.id}`));
      void queryClient.invalidateQueries({ queryKey: ['groups'] });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return setNameMissing(true);
    if (group && base && Object.keys(groupPatch(form, base)).length === 0) return onClose();
    save.mutate({});
  };

  const nameTaken = errorCode(save.error) === 'GROUP_NAME_TAKEN';
  const userName = (id: number) => users.find((u) => u.id === id)?.name ?? `#${id}`;
  // Deactivated people stay listed while they are members, so saving does not drop them silently.
  const options = users
    .filter((u) => u.isActive || form.memberIds.includes(u.id))
    .map((u) => ({ value: String(u.id), label: u.isActive ? u.name : `${u.name} (${t('users.inactive')})` }));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={group ? t('groups.editTitle', { name: group.name }) : t('groups.createTitle')}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {conflict && (
            <Alert color="orange" title={t('conflict.title')} data-testid="version-conflict">
              <Stack gap={6}>
                <Text size="sm">{t('conflict.text')}</Text>
                <Text size="sm" fw={600}>
                  {conflict.name}
                  {conflict.description ? ` — ${conflict.description}` : ''}
                </Text>
                <Text size="sm">
                  {t('groups.members_other', { count: conflict.memberIds.length })}:{' '}
                  {conflict.memberIds.map(userName).join(', ') || '—'}
                </Text>
                <Text size="sm">{t('conflict.notSaved')}</Text>
                <Group gap="xs">
                  <Button
                    size="xs"
                    color="orange"
                    onClick={() => {
                      setConflict(null);
                      save.mutate({ version: conflict.version });
                    }}
                  >
                    {t('conflict.applyMine')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => {
                      setForm(formOf(conflict));
                      setBase(conflict);
                      setConflict(null);
                      save.reset();
                    }}
                  >
                    {t('conflict.takeTheirs')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {save.isError && !isVersionConflict(save.error) && !nameTaken && <ErrorAlert error={save.error} />}
          <TextInput
            label={t('groups.name')}
            value={form.name}
            onChange={(e) => {
              const name = e.currentTarget.value;
              setForm((f) => ({ ...f, name }));
            }}
            error={nameTaken ? t('groups.nameTaken') : nameMissing ? t('fieldError.required') : undefined}
            required
            maxLength={100}
            data-autofocus
          />
          <Textarea
            label={t('groups.description')}
            value={form.description}
            onChange={(e) => {
              const description = e.currentTarget.value;
              setForm((f) => ({ ...f, description }));
            }}
            autosize
            minRows={2}
            maxLength={1000}
          />
          <MultiSelect
            label={t('groups.members')}
            placeholder={form.memberIds.length ? undefined : t('groups.membersPlaceholder')}
            value={form.memberIds.map(String)}
            onChange={(ids) => setForm((f) => ({ ...f, memberIds: ids.map(Number) }))}
            data={options}
            searchable
            clearable
            data-testid="group-members"
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={conflict !== null}>
              {group ? t('common:save') : t('common:create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Groups: create, rename, describe and choose members. */
export const GroupsTab = () => {
  const { t } = useTranslation('admin');
  const groups = useGroups();
  const users = useUsers();
  const [editing, setEditing] = useState<{ group: TGroup | null } | null>(null);

  if (groups.isPending || users.isPending) return <Loading />;
  if (groups.isError) return <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />;
  if (users.isError) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;

  const byId = new Map(users.data.map((u) => [u.id, u]));
  const sorted = [...groups.data].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <Stack gap="md">
      <Group justify="flex-end">
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setEditing({ group: null })}
          data-testid="group-add"
        >
          {t('groups.add')}
        </Button>
      </Group>
      {sorted.length === 0 ? (
        <EmptyState
          title={t('groups.empty')}
          icon={<IconUsersGroup size={36} stroke={1.3} color="var(--mantine-color-gray-5)" />}
        >
          {t('groups.emptyText')}
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {sorted.map((group) => (
            <Paper key={group.id} withBorder p="md" radius="md" data-testid="group-card">
              <Stack gap="xs" h="100%">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text fw={600}>{group.name}</Text>
                  <Button
                    size="xs"
                    variant="subtle"
                    leftSection={<IconPencil size={14} />}
                    onClick={() => setEditing({ group })}
                    style={{ flexShrink: 0 }}
                    aria-label={`${t('groups.edit')}: ${group.name}`}
                  >
                    {t('groups.edit')}
                  </Button>
                </Group>
                <Text size="sm" c="dimmed" lineClamp={2} style={{ flex: 1 }}>
                  {group.description || t('groups.noDescription')}
                </Text>
                <Group gap="xs" justify="space-between">
                  <Text size="xs" c="dimmed">
                    {group.memberIds.length === 0
                      ? t('groups.noMembers')
                      : t('groups.members', { count: group.memberIds.length })}
                  </Text>
                  <Tooltip.Group openDelay={200}>
                    <Group gap={2} wrap="nowrap">
                      {group.memberIds.slice(0, 6).map((id) => {
                        const name = byId.get(id)?.name ?? `#${id}`;
                        return (
                          <Tooltip key={id} label={name}>
                            <Avatar size="sm" radius="xl" color="initials" name={name} />
                          </Tooltip>
                        );
                      })}
                      {group.memberIds.length > 6 && (
                        <Avatar size="sm" radius="xl">
                          +{group.memberIds.length - 6}
                        </Avatar>
                      )}
                    </Group>
                  </Tooltip.Group>
                </Group>
              </Stack>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      <GroupFormModal
        group={editing?.group ?? null}
        opened={editing !== null}
        users={users.data}
        onClose={() => setEditing(null)}
      />
    </Stack>
  );
};
