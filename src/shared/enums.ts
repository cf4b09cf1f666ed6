export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TTicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TTicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Statuses an agent still has work on: what inbox views call unresolved. */
export const UNRESOLVED_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;

/** Orders of the ticket list; `priority_desc` is urgent first, then newest activity. */
export const TICKET_SORTS = [
  'updated_desc',
  'updated_asc',
  'created_desc',
  'created_asc',
  'priority_desc',
] as const;
export type TTicketSort = (typeof TICKET_SORTS)[number];

export const CHANNELS = ['email', 'chat', 'telegram', 'phone', 'web', 'api'] as const;
export type TChannel = (typeof CHANNELS)[number];

export const IDENTITY_CHANNELS = ['email', 'phone', 'telegram', 'chat'] as const;
export type TIdentityChannel = (typeof IDENTITY_CHANNELS)[number];

export const CONTACT_KINDS = ['traveler', 'organizer'] as const;
export type TContactKind = (typeof CONTACT_KINDS)[number];

export const USER_ROLES = ['admin', 'supervisor', 'agent', 'department_member'] as const;
export type TUserRole = (typeof USER_ROLES)[number];

/** API tokens may also carry the integration role: marketplace sync and ticket intake, nothing else. */
export const TOKEN_ROLES = [...USER_ROLES, 'integration'] as const;
export type TTokenRole = (typeof TOKEN_ROLES)[number];

export const DEPARTMENTS = ['finance', 'partners', 'product', 'legal', 'sales'] as const;

export const MESSAGE_KINDS = ['reply', 'note'] as const;
export type TMessageKind = (typeof MESSAGE_KINDS)[number];

export const AUTHOR_KINDS = ['agent', 'contact', 'system'] as const;
export type TAuthorKind = (typeof AUTHOR_KINDS)[number];

export const BOOKING_STATUSES = ['pending', 'confirmed', 'cancelled', 'completed'] as const;
export type TBookingStatus = (typeof BOOKING_STATUSES)[number];

export const LINK_KINDS = ['related', 'follow_up', 'duplicate'] as const;
export type TLinkKind = (typeof LINK_KINDS)[number];

export const TICKET_EVENT_TYPES = [
  'created',
  'status_changed',
  'reopened',
  'priority_changed',
  'assignee_changed',
  'group_changed',
  'category_changed',
  'tags_changed',
  'subject_changed',
  'booking_changed',
  'custom_fields_changed',
  'spam_changed',
  'message_added',
  'note_added',
  'merged_into',
  'merged_from',
  'linked',
  'requester_changed',
  /** An outgoing email's delivery state changed (queued → sent | failed); data.messageId names the message. */
  'email_delivery',
] as const;
export type TTicketEventType = (typeof TICKET_EVENT_TYPES)[number];
