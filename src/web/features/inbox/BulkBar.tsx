import { ActionBar, Loader, Text } from '@mantine/core';
import { IconProgressCheck, IconTag, IconUserShare } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TUser } from '../../../shared/schemas/auth.ts';
import type { TBulkUpdateTicketsRequest } from '../../../shared/schemas/tickets.ts';
import { FilterPicker } from './FilterPicker.tsx';

/** Statuses an agent may set on many tickets at once (closing is the automation's job). */
const BULK_STATUSES = ['open', 'pending', 'on_hold', 'solved'] as const;
const ASSIGNABLE = new Set(['admin', 'supervisor', 'agent']);

type TProps = {
  count: number;
  busy: boolean;
  meId: number | null;
  users: TUser[] | undefined;
  knownTags: string[];
  onApply: (set: TBulkUpdateTicketsRequest['set']) => void;
  onClear: () => void;
};

/** Floats over the list while tickets are selected: assign, set status, add a tag. */
export const BulkBar = ({ count, busy, meId, users, knownTags, onApply, onClear }: TProps) => {
  const { t } = useTranslation('inbox');
  const { t: tc } = useTranslation();
  const assignees = [
    ...(meId !== null ? [{ value: 'me', label: t('bulk.assignMe') }] : []),
    { value: 'none', label: t('bulk.assignNobody') },
    ...(users ?? [])
      .filter((u) => u.isActive && ASSIGNABLE.has(u.role) && u.id !== meId)
      .map((u) => ({ value: String(u.id), label: u.name, description: u.email })),
  ];

  return (
    <ActionBar
      opened={count > 0}
      onClose={onClear}
      aria-label={t('bulk.label')}
      data-testid="bulk-bar"
      data-count={count}
      shadow="lg"
      radius="md"
      zIndex={150}
    >
      <Text size="sm" fw={600} px="xs" style={{ whiteSpace: 'nowrap' }} aria-live="polite">
        {t('bulk.selected', { count })}
      </Text>
      {busy && <Loader size="xs" />}
      <ActionBar.Divider />
      <FilterPicker
        label={t('bulk.assign')}
        icon={<IconUserShare size={14} />}
        testId="bulk-assign"
        disabled={busy}
        searchable
        options={assignees}
        selected={[]}
        summary={null}
        width={280}
        onChange={([v]) => {
          if (v === 'me') onApply({ assigneeId: meId });
          else if (v === 'none') onApply({ assigneeId: null });
          else onApply({ assigneeId: Number(v) });
        }}
      />
      <FilterPicker
        label={t('bulk.setStatus')}
        icon={<IconProgressCheck size={14} />}
        testId="bulk-status"
        disabled={busy}
        options={BULK_STATUSES.map((s) => ({ value: s, label: tc(`status.${s}`) }))}
        selected={[]}
        summary={null}
        width={220}
        onChange={([v]) => onApply({ status: v as (typeof BULK_STATUSES)[number] })}
      />
      <FilterPicker
        label={t('bulk.addTag')}
        icon={<IconTag size={14} />}
        testId="bulk-tag"
        disabled={busy}
        searchable
        options={knownTags.map((tag) => ({ value: tag, label: tag }))}
        creatable={(text) => {
          const tag = text.trim();
          return tag.length > 0 && tag.length <= 50 && !/[\s,]/.test(tag)
            ? { value: tag, label: `${t('bulk.add')}: ${tag}` }
            : null;
        }}
        selected={[]}
        summary={null}
        width={240}
        onChange={([v]) => onApply({ addTags: [v] })}
      />
      <ActionBar.Divider />
      <ActionBar.CloseButton aria-label={t('bulk.clear')} />
    </ActionBar>
  );
};
