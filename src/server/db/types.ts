import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;
type Numeric = ColumnType<number, number | string | undefined, number | string>;
type ReadOnly<T> = ColumnType<T, never, never>;

export type WorkspaceSettingsTable = {
  id: Generated<number>;
  name: Generated<string>;
  time_zone: Generated<string>;
  locale: Generated<string>;
  target_csat: Numeric;
  target_response_rate: Numeric;
  target_resolution_rate: Numeric;
  auto_close_days: Generated<number>;
  version: Generated<number>;
  updated_at: Timestamp;
};

export type UsersTable = {
  id: Generated<number>;
  email: string;
  name: string;
  role: string;
  department: string | null;
  password_hash: string | null;
  locale: Generated<string>;
  is_active: Generated<boolean>;
  failed_logins: Generated<number>;
  last_failed_login_at: Date | null;
  locked_until: TimestampNull;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type GroupsTable = {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  version: Generated<number>;
  created_at: Timestamp;
};

export type GroupMembersTable = { group_id: number; user_id: number };

export type SessionsTable = {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
};

export type ApiTokensTable = {
  id: Generated<number>;
  name: string;
  role: string;
  token_hash: string;
  prefix: string;
  created_by: number | null;
  created_at: Timestamp;
  last_used_at: TimestampNull;
  revoked_at: TimestampNull;
};

export type OrganizationsTable = {
  id: Generated<number>;
  external_id: string | null;
  name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ContactsTable = {
  id: Generated<number>;
  external_id: string | null;
  kind: string;
  name: Generated<string>;
  organization_id: number | null;
  language: string | null;
  notes: Generated<string>;
  bonus_balance: Numeric;
  discounts: Json<unknown[]>;
  merged_into_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  search: ReadOnly<string>;
};

export type ContactIdentitiesTable = {
  id: Generated<number>;
  contact_id: number;
  channel: string;
  value: string;
  is_verified: Generated<boolean>;
  created_at: Timestamp;
};

export type ToursTable = {
  id: Generated<number>;
  external_id: string | null;
  title: string;
  region: Generated<string>;
  organizer_id: number | null;
  organization_id: number | null;
  duration_days: number | null;
  url: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type TourDeparturesTable = {
  id: Generated<number>;
  external_id: string | null;
  tour_id: number;
  starts_on: string;
  ends_on: string;
  capacity: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type BookingsTable = {
  id: Generated<number>;
  external_id: string | null;
  code: string;
  traveler_id: number;
  departure_id: number;
  participants: Generated<number>;
  status: string;
  amount: Numeric;
  currency: Generated<string>;
  paid_amount: Numeric;
  refunded_amount: Numeric;
  bonus_used: Numeric;
  booked_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type TicketsTable = {
  id: Generated<number>;
  subject: string;
  status: Generated<string>;
  priority: Generated<string>;
  category: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  channel: string;
  requester_id: number;
  assignee_id: number | null;
  group_id: number | null;
  booking_id: number | null;
  custom_fields: Json<Record<string, unknown>>;
  is_spam: Generated<boolean>;
  deleted_at: TimestampNull;
  merged_into_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  solved_at: TimestampNull;
  closed_at: TimestampNull;
  last_message_at: TimestampNull;
  search: ReadOnly<string>;
};

export type TicketLinksTable = {
  ticket_id: number;
  linked_ticket_id: number;
  kind: string;
  created_at: Timestamp;
};

export type MessagesTable = {
  id: Generated<number>;
  ticket_id: number;
  kind: string;
  author_kind: string;
  author_user_id: number | null;
  author_contact_id: number | null;
  channel: string;
  is_auto: Generated<boolean>;
  body_text: string;
  body_html: string | null;
  external_id: string | null;
  created_at: Timestamp;
  search: ReadOnly<string>;
};

export type AttachmentsTable = {
  id: Generated<string>;
  message_id: number | null;
  ticket_id: number | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: Timestamp;
};

export type TicketEventsTable = {
  id: Generated<number>;
  ticket_id: number;
  type: string;
  actor_kind: string;
  actor_user_id: number | null;
  actor_contact_id: number | null;
  actor_token_id: number | null;
  at: Timestamp;
  data: Json<Record<string, unknown>>;
};

export type JobsTable = {
  id: Generated<number>;
  name: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<string>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Timestamp;
  locked_at: TimestampNull;
  locked_by: string | null;
  singleton_key: string | null;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: TimestampNull;
};

export type SavedViewsTable = {
  id: Generated<number>;
  user_id: number;
  name: string;
  filters: Json<Record<string, unknown>>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type MailboxesTable = {
  id: Generated<number>;
  address: string;
  name: string;
  group_id: number | null;
  inbound_type: 'smtp' | 'imap';
  imap: Json<{
    host: string;
    port: number;
    secure: boolean;
    user: string;
    folder: string;
    moveTo?: string | null;
  } | null> | null;
  imap_password_enc: string | null;
  outbound: Json<{ host: string; port: number; secure: boolean; user: string | null }>;
  smtp_password_enc: string | null;
  signature: Generated<string>;
  auto_acknowledge: Generated<boolean>;
  is_active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type EmailMessagesTable = {
  id: Generated<number>;
  mailbox_id: number;
  direction: 'inbound' | 'outbound';
  message_id: string;
  content_hash: string | null;
  in_reply_to: string | null;
  references: Generated<string[]>;
  from_address: string | null;
  to_addresses: Generated<string[]>;
  cc_addresses: Generated<string[]>;
  subject: string | null;
  is_auto: Generated<boolean>;
  ticket_id: number | null;
  message_row_id: number | null;
  raw_storage_key: string | null;
  raw_size: number | null;
  delivery_status: 'queued' | 'sent' | 'failed' | 'bounced' | null;
  delivery_detail: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type EmailQuarantineTable = {
  id: Generated<number>;
  mailbox_id: number | null;
  source: 'smtp' | 'imap';
  reason: string;
  raw_storage_key: string;
  raw_size: number;
  content_hash: string;
  status: Generated<'held' | 'imported' | 'discarded'>;
  resolved_by: number | null;
  resolved_at: TimestampNull;
  created_at: Timestamp;
  /** The SMTP envelope it came with: {recipients?, envelopeFrom?} (0006). */
  envelope: Json<{ recipients?: string[]; envelopeFrom?: string }>;
  from_address: string | null;
  subject: string | null;
  attempts: Generated<number>;
  updated_at: Timestamp;
};

export type ImapCursorsTable = {
  mailbox_id: number;
  folder: string;
  uid_validity: number;
  last_uid: Generated<number>;
  updated_at: Timestamp;
};

export type EmailAutoAcksTable = {
  id: Generated<number>;
  mailbox_id: number;
  address: string;
  sent_at: Timestamp;
};

export type InstanceSecretsTable = { name: string; value: string; created_at: Timestamp };

export type DB = {
  workspace_settings: WorkspaceSettingsTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  organizations: OrganizationsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  tours: ToursTable;
  tour_departures: TourDeparturesTable;
  bookings: BookingsTable;
  tickets: TicketsTable;
  ticket_links: TicketLinksTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  ticket_events: TicketEventsTable;
  jobs: JobsTable;
  saved_views: SavedViewsTable;
  mailboxes: MailboxesTable;
  email_messages: EmailMessagesTable;
  email_quarantine: EmailQuarantineTable;
  imap_cursors: ImapCursorsTable;
  email_auto_acks: EmailAutoAcksTable;
  instance_secrets: InstanceSecretsTable;
};

export type UserRow = Selectable<UsersTable>;
export type TicketRow = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type ContactRow = Selectable<ContactsTable>;
export type BookingRow = Selectable<BookingsTable>;
export type EventRow = Selectable<TicketEventsTable>;
