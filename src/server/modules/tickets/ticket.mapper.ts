import type { TChannel, TTicketPriority, TTicketStatus } from '../../../shared/enums.ts';
import type { TDelivery } from '../../../shared/schemas/mailboxes.ts';
import type { TMessage, TTicket, TTicketEvent } from '../../../shared/schemas/tickets.ts';
import type { TAttachmentRow, TEventJoined, TMessageJoined, TTicketJoined } from './ticket.repository.ts';

export const mapTicket = (row: TTicketJoined): TTicket => ({
  id: row.id,
  number: row.id,
  subject: row.subject,
  status: row.status as TTicketStatus,
  priority: row.priority as TTicketPriority,
  category: row.category,
  tags: row.tags,
  channel: row.channel as TChannel,
  requesterId: row.requester_id,
  requesterKind: row.requester_kind as TTicket['requesterKind'],
  requesterName: row.requester_name,
  assigneeId: row.assignee_id,
  groupId: row.group_id,
  bookingId: row.booking_id,
  customFields: row.custom_fields,
  isSpam: row.is_spam,
  mergedIntoId: row.merged_into_id,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  solvedAt: row.solved_at?.toISOString() ?? null,
  closedAt: row.closed_at?.toISOString() ?? null,
  lastMessageAt: row.last_message_at?.toISOString() ?? null,
});

export const mapAttachment = (a: TAttachmentRow) => ({
  id: a.id,
  filename: a.filename,
  contentType: a.content_type,
  sizeBytes: a.size_bytes,
  url: `/api/v1/attachments/${a.id}`,
});

/** A message as the API shows it; `delivery` is its outgoing email's state, when it was emailed. */
export const mapMessage = (
  row: TMessageJoined,
  attachments: TAttachmentRow[],
  delivery: TDelivery | null = null,
): TMessage => ({
  id: row.id,
  ticketId: row.ticket_id,
  kind: row.kind as TMessage['kind'],
  authorKind: row.author_kind as TMessage['authorKind'],
  authorUserId: row.author_user_id,
  authorContactId: row.author_contact_id,
  authorName: row.user_name ?? row.contact_name ?? (row.author_kind === 'system' ? 'tourdesk' : ''),
  channel: row.channel,
  isAuto: row.is_auto,
  text: row.body_text,
  html: row.body_html,
  attachments: attachments.filter((a) => a.message_id === row.id).map(mapAttachment),
  delivery,
  createdAt: row.created_at.toISOString(),
});

export const mapEvent = (row: TEventJoined): TTicketEvent => ({
  id: row.id,
  ticketId: row.ticket_id,
  type: row.type,
  actor: {
    kind: row.actor_kind as TTicketEvent['actor']['kind'],
    id: row.actor_user_id ?? row.actor_contact_id ?? row.actor_token_id ?? null,
    name: row.user_name ?? row.contact_name ?? row.token_name ?? null,
  },
  at: row.at.toISOString(),
  data: row.data,
});
