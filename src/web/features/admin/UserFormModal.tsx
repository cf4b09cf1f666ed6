import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEPARTMENTS, type TUserRole, USER_ROLES } from '../../../shared/enums.ts';
import type { TGroup, TUser } from '../../../shared/schemas/auth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { api } from '../../lib/api.ts';
import { errorCode, fieldErrors, isVersionConflict } from '../../lib/api-errors.ts';
import {
  createUserBody,
  MIN_PASSWORD_LENGTH,
  type TUserForm,
  type TUserFormErrors,
  updateUserBody,
  validateUserForm,
} from './user-form.ts';

const emptyForm: TUserForm = {
  email: '',
  name: '',
  role: 'agent',
  department: null,
  groupIds: [],
  password: '',
};

const formOf = (user: TUser): TUserForm => ({
  email: user.email,
  name: user.name,
  role: user.role,
  department: user.department,
  groupIds: user.groupIds,
  password: '',
});

/** Role picker whose options say what each role may do. */
export const RoleSelect = ({
  value,
  onChange,
  label,
}: {
  value: TUserRole;
  onChange: (role: TUserRole) => void;
  label: string;
}) => {
  const { t } = useTranslation('admin');
  return (
    <Select
      label={label}
      value={value}
      onChange={(v) => v && onChange(v as TUserRole)}
      allowDeselect={false}
      data={USER_ROLES.map((role) => ({ value: role, label: t(`common:role.${role}`) }))}
      description={t(`roles.${value}`)}
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text size="sm">{option.label}</Text>
          <Text size="xs" c="dimmed">
            {t(`roles.${option.value}`)}
          </Text>
        </Stack>
      )}
    />
  );
};

/** Create a user, or edit one (name, role, department, groups, a new password) against its version. */
export const UserFormModal = ({
  user,
  opened,
  groups,
  onClose,
}: {
  /** null creates a new user. */
  user: TUser | null;
  opened: boolean;
  groups: TGroup[];
  onClose: () => void;
}) => {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const mode = user ? 'edit' : 'create';
  const [form, setForm] = useState<TUserForm>(emptyForm);
  const [base, setBase] = useState<TUser | null>(user);
  const [errors, setErrors] = useState<TUserFormErrors>({});
  const [conflict, setConflict] = useState<TUser | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the form starts over each time it opens.
  useEffect(() => {
    if (!opened) return;
    setForm(user ? formOf(user) : emptyForm);
    setBase(user);
    setErrors({});
    setConflict(null);
  }, [opened]);

  const set = <K extends keyof TUserForm>(key: K, value: TUserForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const done = (saved: TUser) => {
    queryClient.setQueryData<TUser[]>(['users'], (list) =>
      list
        ? list.some((u) => u.id === saved.id)
          ? list.map((u) => (u.id === saved.id ? saved : u))
          : [...list, saved]
        : list,
    );
    void queryClient.invalidateQueries({ queryKey: ['users'] });
    void queryClient.invalidateQueries({ queryKey: ['groups'] });
    notifications.show({
      color: 'teal',
      message: mode === 'create' ? t('users.created', { name: saved.name }) : t('users.saved'),
    });
    onClose();
  };

  // The body is what this person changed against the user as they opened it; after a conflict
  // "save mine" sends the same changes against the fresh version, leaving others' edits alone.
  const save = useMutation({
    mutationFn: ({ version }: { version?: number }) => {
      if (!user) return api.post<TUser>('/users', createUserBody(form));
      const against = base ?? user;
      return api.patch<TUser>(`/users/${user.id}`, updateUserBody(form, against), {
        ifMatch: version ?? against.version,
      });
    },
    onSuccess: done,
    onError: async (error) => {
      if (!isVersionConflict(error) || !user) return;
      setConflict(await api.get<TUser>(`/users/${user.id}`));
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateUserForm(form, mode);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (user && Object.keys(updateUserBody(form, base ?? user)).length === 0) return onClose();
    save.mutate({});
  };

  const serverFields = fieldErrors(save.error);
  const emailTaken = errorCode(save.error) === 'EMAIL_TAKEN';
  const fieldError = (key: keyof TUserFormErrors): string | undefined => {
    if (key === 'email' && emailTaken) return t('users.emailTaken');
    const code = errors[key];
    if (code) return t(`fieldError.${code}`, { min: MIN_PASSWORD_LENGTH });
    return serverFields[key];
  };
  const showGeneralError = save.isError && !isVersionConflict(save.error) && !emailTaken;

  const departments = [...new Set([...DEPARTMENTS, ...(form.department ? [form.department] : [])])];
  const groupName = (id: number) => groups.find((g) => g.id === id)?.name ?? `#${id}`;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={user ? t('users.editTitle', { name: user.name }) : t('users.createTitle')}
      centered
      size="md"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {conflict && (
            <Alert color="orange" title={t('conflict.title')} data-testid="version-conflict">
              <Stack gap={6}>
                <Text size="sm">{t('conflict.text')}</Text>
                <Text size="sm" fw={600}>
                  {conflict.name} · {t(`common:role.${conflict.role}`)}
                  {conflict.department
                    ? ` · ${t(`departments.${conflict.department}`, conflict.department)}`
                    : ''}
                  {conflict.groupIds.length > 0 ? ` · ${conflict.groupIds.map(groupName).join(', ')}` : ''}
                  {conflict.isActive ? '' : ` · ${t('users.inactive')}`}
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
          {showGeneralError && <ErrorAlert error={save.error} />}
          <TextInput
            label={t('users.email')}
            type="email"
            value={form.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={fieldError('email')}
            readOnly={mode === 'edit'}
            disabled={mode === 'edit'}
            required={mode === 'create'}
            autoComplete="off"
            data-autofocus={mode === 'create' || undefined}
          />
          <TextInput
            label={t('users.name')}
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={fieldError('name')}
            required
            maxLength={200}
            data-autofocus={mode === 'edit' || undefined}
          />
          <RoleSelect label={t('users.role')} value={form.role} onChange={(role) => set('role', role)} />
          <Select
            label={t('users.department')}
            description={t('users.departmentHint')}
            placeholder={t('users.noDepartment')}
            value={form.department}
            onChange={(v) => set('department', v)}
            clearable
            data={departments.map((d) => ({ value: d, label: t(`departments.${d}`, d) }))}
          />
          <MultiSelect
            label={t('users.groups')}
            placeholder={form.groupIds.length ? undefined : t('users.groupsPlaceholder')}
            value={form.groupIds.map(String)}
            onChange={(ids) => set('groupIds', ids.map(Number))}
            data={groups.map((g) => ({ value: String(g.id), label: g.name }))}
            searchable
            clearable
          />
          <PasswordInput
            label={mode === 'create' ? t('users.password') : t('users.newPassword')}
            description={
              mode === 'create'
                ? t('users.passwordHint', { min: MIN_PASSWORD_LENGTH })
                : t('users.newPasswordHint')
            }
            value={form.password}
            onChange={(e) => set('password', e.currentTarget.value)}
            error={fieldError('password')}
            required={mode === 'create'}
            autoComplete="new-password"
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={conflict !== null}>
              {mode === 'create' ? t('common:create') : t('common:save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};
