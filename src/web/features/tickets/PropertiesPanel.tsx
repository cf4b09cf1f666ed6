import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../shared/enums.ts';
import type { TGroup, TUser } from '../../../shared/schemas/auth.ts';
import type { TTicketDetail } from '../../../shared/schemas/tickets.ts';
import { api } from '../../lib/api.ts';
import { errorText, isApiError } from './errors.ts';
import {
  conflictRows,
  normalizeTag,
  patchOf,
  pendingEdits,
  type TConflictRow,
  type TEdits,
  type TFieldValue,
  type TPropertyField,
  type TPropertyValues,
  valuesOf,
} from './property-draft.ts';
import { ticketKey } from './ticket-api.ts';

const KNOWN_CATEGORIES = [
  'refund',
  'cancellation',
  'payment',
  'booking_change',
  'bonuses',
  'offer_terms',
  'payout',
  'listing',
  'quality_complaint',
  'other',
];
const ASSIGNABLE_ROLES = new Set(['admin', 'supervisor', 'agent']);

type TSnapshot = { version: number; values: TPropertyValues };
type TConflict = { fresh: TTicketDetail; edits: TEdits; rows: TConflictRow[] };

/** One text or number field: edited locally, saved when the agent leaves it or presses Enter. */
const FieldInput = ({
  name,
  value,
  disabled,
  onCommit,
}: {
  name: string;
  value: string | number | null;
  disabled: boolean;
  onCommit: (next: TFieldValue) => void;
}) => {
  const isNumber = typeof value === 'number';
  const [draft, setDraft] = useState(value === null ? '' : String(value));
  const commit = () => {
    const raw = draft.trim();
    let next: TFieldValue = draft;
    if (isNumber) {
      const n = Number(raw.replace(',', '.'));
      if (raw !== '' && !Number.isFinite(n)) return;
      next = raw === '' ? null : n;
    }
    if (next !== value) onCommit(next);
  };
  return (
    <TextInput
      label={name}
      size="xs"
      inputMode={isNumber ? 'decimal' : undefined}
      value={draft}
      disabled={disabled}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      style={{ flex: 1 }}
    />
  );
};

const CustomFields = ({
  value,
  onChange,
  disabled,
  resetKey,
}: {
  value: Record<string, TFieldValue>;
  onChange: (next: Record<string, TFieldValue>) => void;
  disabled: boolean;
  /** Changes when the saved values change: inputs start again from them. */
  resetKey: string;
}) => {
  const { t } = useTranslation('tickets');
  const [adding, setAdding] = useState(false);
  const [newKey, setNewKey] = useState('');
  const [newValue, setNewValue] = useState('');
  const entries = Object.entries(value);
  const add = () => {
    const key = newKey.trim();
    if (!key) return;
    onChange({ ...value, [key]: newValue });
    setNewKey('');
    setNewValue('');
    setAdding(false);
  };
  return (
    <Stack gap={6}>
      <Group gap={6}>
        <Text size="sm" fw={500}>
          {t('properties.customFields')}
        </Text>
        {entries.length === 0 && (
          <Text size="xs" c="dimmed">
            {t('properties.noCustomFields')}
          </Text>
        )}
      </Group>
      {entries.map(([key, v]) => (
        <Group key={key} gap={6} wrap="nowrap" align="flex-end">
          {typeof v === 'boolean' ? (
            <Switch
              label={key}
              checked={v}
              disabled={disabled}
              onChange={(e) => onChange({ ...value, [key]: e.currentTarget.checked })}
              style={{ flex: 1 }}
            />
          ) : (
            <FieldInput
              key={`${key}:${resetKey}`}
              name={key}
              value={v}
              disabled={disabled}
              onCommit={(next) => onChange({ ...value, [key]: next })}
            />
          )}
          <ActionIcon
            variant="subtle"
            color="gray"
            disabled={disabled}
            aria-label={t('properties.removeField', { name: key })}
            onClick={() => {
              const { [key]: _removed, ...rest } = value;
              onChange(rest);
            }}
          >
            <IconTrash size={15} />
          </ActionIcon>
        </Group>
      ))}
      {adding ? (
        <Group gap={6} wrap="nowrap" align="flex-end">
          <TextInput
            size="xs"
            autoFocus
            aria-label={t('properties.fieldName')}
            placeholder={t('properties.fieldName')}
            value={newKey}
            disabled={disabled}
            onChange={(e) => setNewKey(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <TextInput
            size="xs"
            aria-label={t('properties.fieldValue')}
            placeholder={t('properties.fieldValue')}
            value={newValue}
            disabled={disabled}
            onChange={(e) => setNewValue(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') add();
            }}
            style={{ flex: 1 }}
          />
          <ActionIcon
            variant="light"
            aria-label={t('properties.addField')}
            onClick={add}
            disabled={disabled || !newKey.trim()}
          >
            <IconPlus size={15} />
          </ActionIcon>
        </Group>
      ) : (
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconPlus size={13} />}
          onClick={() => setAdding(true)}
          disabled={disabled}
          style={{ alignSelf: 'flex-start' }}
          data-testid="add-field"
        >
          {t('properties.addField')}
        </Button>
      )}
    </Stack>
  );
};

/**
 * Status, priority, assignee, group, category, tags, booking and custom fields. Each change saves
 * at once against the version on screen; a 409 shows both sides and overwrites nothing.
 */
export const PropertiesPanel = ({
  ticket,
  users,
  groups,
  usersError,
}: {
  ticket: TTicketDetail;
  users: TUser[];
  groups: TGroup[];
  usersError: boolean;
}) => {
  const { t } = useTranslation('tickets');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const current = useMemo(() => valuesOf(ticket), [ticket]);
  // The value being saved shows at once; it falls back to the ticket when the save ends.
  const [saving, setSaving] = useState<TEdits>({});
  const [conflict, setConflict] = useState<TConflict | null>(null);
  const [conflictUnloaded, setConflictUnloaded] = useState(false);
  const readOnly = ticket.status === 'closed' || ticket.mergedIntoId !== null;
  // While a conflict waits for the agent's decision, nothing else changes under it.
  const locked = readOnly || conflict !== null;
  const shown = <F extends TPropertyField>(field: F): TPropertyValues[F] =>
    (saving[field] as TPropertyValues[F] | undefined) ?? current[field];

  const save = useMutation({
    onMutate: () => setConflictUnloaded(false),
    mutationFn: ({ against, edits }: { against: TSnapshot; edits: TEdits }) =>
      api.patch<TTicketDetail>(`/tickets/${ticket.id}`, patchOf(against.values, edits), {
        ifMatch: against.version,
      }),
    onSuccess: (fresh) => {
      queryClient.setQueryData(ticketKey(ticket.id), fresh);
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id, 'events'] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      setSaving({});
      notifications.show({ color: 'teal', message: t('properties.saved') });
    },
    onError: async (error, { against, edits }) => {
      if (!isApiError(error, 'VERSION_CONFLICT')) {
        setSaving({});
        return;
      }
      // Never overwrite: fetch what is there now and let the agent choose.
      try {
        const fresh = await queryClient.fetchQuery({
          queryKey: ticketKey(ticket.id),
          queryFn: () => api.get<TTicketDetail>(`/tickets/${ticket.id}`),
          staleTime: 0,
        });
        setConflict({ fresh, edits, rows: conflictRows(against.values, valuesOf(fresh), edits) });
      } catch {
        // The fresh values did not load: the 409 itself is shown, and nothing was overwritten.
        setConflictUnloaded(true);
      } finally {
        setSaving({});
      }
    },
  });

  const edit = <F extends TPropertyField>(field: F, value: TPropertyValues[F]) => {
    const edits = pendingEdits(current, { [field]: value } as TEdits);
    if (Object.keys(edits).length === 0) return;
    setSaving(edits);
    save.mutate({ against: { version: ticket.version, values: current }, edits });
  };

  const reapply = () => {
    if (!conflict) return;
    const against = { version: conflict.fresh.version, values: valuesOf(conflict.fresh) };
    const edits = pendingEdits(against.values, conflict.edits);
    setConflict(null);
    if (Object.keys(edits).length === 0) return;
    setSaving(edits);
    save.mutate({ against, edits });
  };

  const userName = (id: number | null) =>
    id === null ? t('properties.unassigned') : (users.find((u) => u.id === id)?.name ?? `#${id}`);
  const groupName = (id: number | null) =>
    id === null ? t('properties.noGroup') : (groups.find((g) => g.id === id)?.name ?? `#${id}`);
  const categoryName = (c: string | null) =>
    c ? t(`category.${c}`, { defaultValue: c }) : t('properties.noCategory');
  const bookingName = (id: number | null) =>
    id === null ? t('properties.noBooking') : (ticket.bookings.find((b) => b.id === id)?.code ?? `#${id}`);

  const display = (field: TPropertyField, value: unknown): string => {
    switch (field) {
      case 'status':
        return tc(`status.${value}`);
      case 'priority':
        return tc(`priority.${value}`);
      case 'assigneeId':
        return userName(value as number | null);
      case 'groupId':
        return groupName(value as number | null);
      case 'category':
        return categoryName(value as string | null);
      case 'tags':
        return (value as string[]).join(', ') || '—';
      case 'bookingId':
        return bookingName(value as number | null);
      case 'customFields':
        return (
          Object.entries(value as Record<string, TFieldValue>)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join('; ') || '—'
        );
      default: {
        const unreachable: never = field;
        return String(unreachable);
      }
    }
  };
  const fieldLabel = (field: TPropertyField) =>
    ({
      status: t('properties.status'),
      priority: t('properties.priority'),
      assigneeId: t('properties.assignee'),
      groupId: t('properties.group'),
      category: t('properties.category'),
      tags: t('properties.tags'),
      bookingId: t('properties.booking'),
      customFields: t('properties.customFields'),
    })[field];

  const assignees = users.filter((u) => u.isActive && ASSIGNABLE_ROLES.has(u.role));
  const assigneeData = [
    { value: '', label: t('properties.unassigned') },
    ...assignees.map((u) => ({ value: String(u.id), label: u.name })),
    ...(current.assigneeId !== null && !assignees.some((u) => u.id === current.assigneeId)
      ? [{ value: String(current.assigneeId), label: userName(current.assigneeId) }]
      : []),
  ];
  const category = shown('category');
  const categoryData = [
    ...KNOWN_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) })),
    ...(category && !KNOWN_CATEGORIES.includes(category) ? [{ value: category, label: category }] : []),
  ];
  const statusData = TICKET_STATUSES.filter((s) => s !== 'new' || current.status === 'new').map((s) => ({
    value: s,
    label: tc(`status.${s}`),
  }));
  const nullableId = (v: string | null) => (v ? Number(v) : null);

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="ticket-properties-title">
      <Group justify="space-between" mb="xs">
        <Title order={4} size="h5" id="ticket-properties-title">
          {t('properties.title')}
        </Title>
        {save.isPending && <Loader size={14} aria-label={t('properties.saving')} />}
      </Group>

      {conflict && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle size={18} />}
          title={t('conflict.title')}
          mb="sm"
          role="alert"
          data-testid="conflict"
        >
          <Text size="xs" mb={6}>
            {t('conflict.text')}
          </Text>
          <Table fz="xs" verticalSpacing={2} horizontalSpacing={4} withRowBorders={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('conflict.field')}</Table.Th>
                <Table.Th>{t('conflict.theirs')}</Table.Th>
                <Table.Th>{t('conflict.mine')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {conflict.rows.map((row) => (
                <Table.Tr key={row.field} data-field={row.field}>
                  <Table.Td>{fieldLabel(row.field)}</Table.Td>
                  <Table.Td fw={600} data-testid="conflict-theirs">
                    {display(row.field, row.theirs)}
                  </Table.Td>
                  <Table.Td c={row.mine === undefined ? 'dimmed' : undefined}>
                    {row.mine === undefined ? t('conflict.untouched') : display(row.field, row.mine)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group gap="xs" mt="xs">
            <Button size="xs" color="orange" onClick={reapply} data-testid="conflict-reapply">
              {t('conflict.reapply')}
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={() => setConflict(null)}
              data-testid="conflict-discard"
            >
              {t('conflict.discard')}
            </Button>
          </Group>
        </Alert>
      )}

      {save.isError && (!isApiError(save.error, 'VERSION_CONFLICT') || conflictUnloaded) && (
        <Alert color="red" title={t('properties.saveFailed')} mb="sm" role="alert" data-testid="save-error">
          {errorText(save.error)}
        </Alert>
      )}

      <Stack gap="xs">
        <Select
          label={t('properties.status')}
          data={statusData}
          value={shown('status')}
          onChange={(v) => v && edit('status', v as TPropertyValues['status'])}
          allowDeselect={false}
          disabled={locked}
          readOnly={save.isPending}
          data-testid="status-select"
        />
        <SimpleGrid cols={2} spacing="xs">
          <Select
            label={t('properties.priority')}
            data={TICKET_PRIORITIES.map((p) => ({ value: p, label: tc(`priority.${p}`) }))}
            value={shown('priority')}
            onChange={(v) => v && edit('priority', v as TPropertyValues['priority'])}
            allowDeselect={false}
            disabled={locked}
            readOnly={save.isPending}
            data-testid="priority-select"
          />
          <Select
            label={t('properties.group')}
            data={[
              { value: '', label: t('properties.noGroup') },
              ...groups.map((g) => ({ value: String(g.id), label: g.name })),
            ]}
            value={shown('groupId') === null ? '' : String(shown('groupId'))}
            onChange={(v) => edit('groupId', nullableId(v))}
            allowDeselect={false}
            disabled={locked}
            readOnly={save.isPending}
            data-testid="group-select"
          />
        </SimpleGrid>
        <Select
          label={t('properties.assignee')}
          data={assigneeData}
          value={shown('assigneeId') === null ? '' : String(shown('assigneeId'))}
          onChange={(v) => edit('assigneeId', nullableId(v))}
          searchable
          allowDeselect={false}
          disabled={locked}
          readOnly={save.isPending}
          error={usersError ? t('properties.usersLoadFailed') : undefined}
          data-testid="assignee-select"
        />
        <Select
          label={t('properties.category')}
          placeholder={t('properties.noCategory')}
          data={categoryData}
          value={category}
          onChange={(v) => edit('category', v)}
          clearable
          searchable
          disabled={locked}
          readOnly={save.isPending}
          data-testid="category-select"
        />
        <TagsInput
          label={t('properties.tags')}
          placeholder={t('properties.tagsPlaceholder')}
          value={shown('tags')}
          onChange={(tags) => edit('tags', [...new Set(tags.map(normalizeTag).filter(Boolean))])}
          clearable
          disabled={locked}
          readOnly={save.isPending}
          data-testid="tags-input"
        />
        {ticket.bookings.length > 0 && (
          <Select
            label={t('properties.booking')}
            data={[
              { value: '', label: t('properties.noBooking') },
              ...ticket.bookings.map((b) => ({ value: String(b.id), label: `${b.code} · ${b.tour.title}` })),
            ]}
            value={shown('bookingId') === null ? '' : String(shown('bookingId'))}
            onChange={(v) => edit('bookingId', nullableId(v))}
            allowDeselect={false}
            disabled={locked}
            readOnly={save.isPending}
            data-testid="booking-select"
          />
        )}
        <CustomFields
          value={shown('customFields')}
          onChange={(v) => edit('customFields', v)}
          disabled={locked || save.isPending}
          resetKey={String(ticket.version)}
        />
      </Stack>
    </Paper>
  );
};
