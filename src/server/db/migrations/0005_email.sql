-- Email channel: mailboxes, every email in or out with its raw source and threading headers,
-- a quarantine for what cannot be parsed or stored, IMAP cursors, auto-acknowledgement log.

CREATE TABLE mailboxes (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address text NOT NULL,
  name text NOT NULL,
  group_id int REFERENCES groups(id) ON DELETE SET NULL,
  inbound_type text NOT NULL CHECK (inbound_type IN ('smtp','imap')),
  -- {host, port, secure, user, folder}; the password lives encrypted in imap_password_enc.
  imap jsonb,
  imap_password_enc text,
  -- {host, port, secure, user}; the password lives encrypted in smtp_password_enc.
  outbound jsonb NOT NULL,
  smtp_password_enc text,
  signature text NOT NULL DEFAULT '',
  auto_acknowledge boolean NOT NULL DEFAULT false,
  is_active boolean NOT NULL DEFAULT true,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mailboxes_address_idx ON mailboxes (lower(address));

-- One row per email, inbound or outbound. Inbound rows are deduplicated per mailbox by
-- Message-ID (a content hash stands in when the header is missing).
CREATE TABLE email_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mailbox_id int NOT NULL REFERENCES mailboxes(id),
  direction text NOT NULL CHECK (direction IN ('inbound','outbound')),
  message_id text NOT NULL,
  content_hash text,
  in_reply_to text,
  "references" text[] NOT NULL DEFAULT '{}',
  from_address text,
  to_addresses text[] NOT NULL DEFAULT '{}',
  cc_addresses text[] NOT NULL DEFAULT '{}',
  subject text,
  is_auto boolean NOT NULL DEFAULT false,
  -- What the email became: a ticket message (null for a bounce or an auto-reply that was dropped).
  ticket_id int REFERENCES tickets(id),
  message_row_id bigint REFERENCES messages(id) ON DELETE SET NULL,
  raw_storage_key text,
  raw_size int,
  -- Outbound only: queued → sent | failed; bounced when a delivery report comes back.
  delivery_status text CHECK (delivery_status IN ('queued','sent','failed','bounced')),
  delivery_detail text,
  attempts int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX email_messages_dedupe_idx ON email_messages (mailbox_id, direction, message_id);
CREATE INDEX email_messages_message_id_idx ON email_messages (message_id);
CREATE INDEX email_messages_row_idx ON email_messages (message_row_id);
CREATE INDEX email_messages_ticket_idx ON email_messages (ticket_id, created_at);

CREATE TABLE email_quarantine (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mailbox_id int REFERENCES mailboxes(id) ON DELETE SET NULL,
  source text NOT NULL CHECK (source IN ('smtp','imap')),
  reason text NOT NULL,
  raw_storage_key text NOT NULL,
  raw_size int NOT NULL,
  content_hash text NOT NULL,
  status text NOT NULL DEFAULT 'held' CHECK (status IN ('held','imported','discarded')),
  resolved_by int REFERENCES users(id) ON DELETE SET NULL,
  resolved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_quarantine_status_idx ON email_quarantine (status, created_at DESC, id DESC);

CREATE TABLE imap_cursors (
  mailbox_id int PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
  folder text NOT NULL,
  uid_validity bigint NOT NULL,
  last_uid bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE email_auto_acks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mailbox_id int NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  address text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_auto_acks_address_idx ON email_auto_acks (lower(address), sent_at DESC);

-- Secrets this installation generated for itself (when TOURDESK_SECRET_KEY is not set).
CREATE TABLE instance_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
