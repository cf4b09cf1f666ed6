import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TChannel, TTicketPriority, TTicketStatus } from '../../shared/enums.ts';

const STATUS_COLOR: Record<TTicketStatus, string> = {
  new: 'yellow',
  open: 'red',
  pending: 'blue',
  on_hold: 'gray',
  solved: 'green',
  closed: 'dark',
};

const PRIORITY_COLOR: Record<TTicketPriority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export const StatusBadge = ({ status }: { status: TTicketStatus }) => {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
};

export const PriorityBadge = ({ priority }: { priority: TTicketPriority }) => {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant={priority === 'urgent' ? 'filled' : 'outline'} size="sm">
      {t(`priority.${priority}`)}
    </Badge>
  );
};

export const ChannelBadge = ({ channel }: { channel: TChannel | string }) => {
  const { t } = useTranslation();
  return (
    <Badge color="gray" variant="dot" size="sm">
      {t(`channel.${channel}`, { defaultValue: channel })}
    </Badge>
  );
};
