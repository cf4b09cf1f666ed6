import { Avatar, Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconEye, IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TPresenceViewer } from '../../../shared/schemas/realtime.ts';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');

/** Who else has this ticket open, and who of them is typing. Nothing when you are alone. */
export const CollisionIndicator = ({ others }: { others: TPresenceViewer[] }) => {
  const { t } = useTranslation('tickets');
  if (others.length === 0) return null;
  const typing = others.filter((v) => v.typing);
  return (
    <Group
      gap={6}
      wrap="nowrap"
      role="status"
      aria-live="polite"
      aria-label={t('presence.label')}
      data-testid="collision"
      data-count={others.length}
      data-typing={typing.length > 0 || undefined}
      className={typing.length > 0 ? 'td-collision td-collision-typing' : 'td-collision'}
    >
      <Avatar.Group spacing={6}>
        {others.slice(0, 4).map((v) => (
          <Tooltip
            key={v.userId}
            label={`${v.name} — ${v.typing ? t('presence.typing') : t('presence.viewing')}`}
          >
            <Avatar
              size={26}
              radius="xl"
              color={v.typing ? 'orange' : 'blue'}
              variant={v.typing ? 'filled' : 'light'}
              aria-label={v.name}
            >
              {initials(v.name)}
            </Avatar>
          </Tooltip>
        ))}
        {others.length > 4 && (
          <Avatar size={26} radius="xl">
            +{others.length - 4}
          </Avatar>
        )}
      </Avatar.Group>
      {typing.length > 0 ? (
        <Badge
          color="orange"
          variant="light"
          leftSection={<IconPencil size={12} />}
          data-testid="collision-typing"
        >
          {t('presence.typingNow', { names: typing.map((v) => v.name).join(', ') })}
        </Badge>
      ) : (
        <Group gap={4} wrap="nowrap">
          <IconEye size={14} color="var(--mantine-color-blue-6)" aria-hidden />
          <Text size="xs" c="blue.8" truncate maw={220}>
            {others.length === 1
              ? `${others[0].name} — ${t('presence.viewing')}`
              : t('presence.alsoHere', { count: others.length })}
          </Text>
        </Group>
      )}
    </Group>
  );
};
