-- Core platform: workspace, people, marketplace context, tickets, auth, jobs.

CREATE TABLE workspace_settings (
  id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  name text NOT NULL DEFAULT 'tourdesk',
  time_zone text NOT NULL DEFAULT 'Europe/Moscow',
  locale text NOT NULL DEFAULT 'ru',
  target_csat numeric(4,2) NOT NULL DEFAULT 4.8,
  target_response_rate numeric(5,4) NOT NULL DEFAULT 0.15,
  target_resolution_rate numeric(5,4) NOT NULL DEFAULT 0.97,
  auto_close_days int NOT NULL DEFAULT 4,
  version int NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO workspace_settings (id) VALUES (1);

CREATE TABLE users (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin','supervisor','agent','department_member')),
  department text,
  password_hash text,
  locale text NOT NULL DEFAULT 'ru',
  is_active boolean NOT NULL DEFAULT true,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE groups (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX groups_name_key ON groups (lower(name));

CREATE TABLE group_members (
  group_id int NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin','supervisor','agent','department_member','integration')),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_by int REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE organizations (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id text UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contacts (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id text UNIQUE,
  kind text NOT NULL CHECK (kind IN ('traveler','organizer')),
  name text NOT NULL DEFAULT '',
  organization_id int REFERENCES organizations(id) ON DELETE SET NULL,
  language text,
  notes text NOT NULL DEFAULT '',
  bonus_balance numeric(12,2) NOT NULL DEFAULT 0,
  discounts jsonb NOT NULL DEFAULT '[]',
  merged_into_id int REFERENCES contacts(id),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', coalesce(name, '')) || to_tsvector('russian', coalesce(name, '')) || to_tsvector('english', coalesce(name, ''))
  ) STORED
);
CREATE INDEX contacts_search_idx ON contacts USING gin (search);
CREATE INDEX contacts_kind_idx ON contacts (kind, id) WHERE merged_into_id IS NULL;
CREATE INDEX contacts_name_idx ON contacts (lower(name) text_pattern_ops);
CREATE INDEX contacts_organization_idx ON contacts (organization_id);

CREATE TABLE contact_identities (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id int NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('email','phone','telegram','chat')),
  value text NOT NULL,
  is_verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, value)
);
CREATE INDEX contact_identities_contact_idx ON contact_identities (contact_id);
CREATE INDEX contact_identities_value_prefix_idx ON contact_identities (value text_pattern_ops);

CREATE TABLE tours (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id text UNIQUE,
  title text NOT NULL,
  region text NOT NULL DEFAULT '',
  organizer_id int REFERENCES contacts(id) ON DELETE SET NULL,
  organization_id int REFERENCES organizations(id) ON DELETE SET NULL,
  duration_days int,
  url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tours_organizer_idx ON tours (organizer_id);

CREATE TABLE tour_departures (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id text UNIQUE,
  tour_id int NOT NULL REFERENCES tours(id) ON DELETE CASCADE,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  capacity int,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tour_departures_tour_idx ON tour_departures (tour_id, starts_on);

CREATE TABLE bookings (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_id text UNIQUE,
  code text NOT NULL,
  traveler_id int NOT NULL REFERENCES contacts(id),
  departure_id int NOT NULL REFERENCES tour_departures(id),
  participants int NOT NULL DEFAULT 1,
  status text NOT NULL CHECK (status IN ('pending','confirmed','cancelled','completed')),
  amount numeric(12,2) NOT NULL DEFAULT 0,
  currency text NOT NULL DEFAULT 'RUB',
  paid_amount numeric(12,2) NOT NULL DEFAULT 0,
  refunded_amount numeric(12,2) NOT NULL DEFAULT 0,
  bonus_used numeric(12,2) NOT NULL DEFAULT 0,
  booked_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookings_traveler_idx ON bookings (traveler_id);
CREATE INDEX bookings_departure_idx ON bookings (departure_id);
CREATE INDEX bookings_code_idx ON bookings (code);

CREATE TABLE tickets (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject text NOT NULL,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','open','pending','on_hold','solved','closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
  category text,
  tags text[] NOT NULL DEFAULT '{}',
  channel text NOT NULL CHECK (channel IN ('email','chat','telegram','phone','web','api')),
  requester_id int NOT NULL REFERENCES contacts(id),
  assignee_id int REFERENCES users(id) ON DELETE SET NULL,
  group_id int REFERENCES groups(id) ON DELETE SET NULL,
  booking_id int REFERENCES bookings(id) ON DELETE SET NULL,
  custom_fields jsonb NOT NULL DEFAULT '{}',
  is_spam boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  merged_into_id int REFERENCES tickets(id),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  solved_at timestamptz,
  closed_at timestamptz,
  last_message_at timestamptz,
  search tsvector GENERATED ALWAYS AS (
    to_tsvector('russian', subject) || to_tsvector('english', subject) || to_tsvector('simple', subject)
  ) STORED
);
-- Inbox views filter on status/group/assignee and sort newest first.
CREATE INDEX tickets_inbox_group_idx ON tickets (group_id, status, updated_at DESC, id DESC) WHERE merged_into_id IS NULL AND deleted_at IS NULL;
CREATE INDEX tickets_inbox_unassigned_idx ON tickets (group_id, updated_at DESC, id DESC) WHERE assignee_id IS NULL AND merged_into_id IS NULL AND deleted_at IS NULL;
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, status, updated_at DESC, id DESC);
CREATE INDEX tickets_status_idx ON tickets (status, updated_at DESC, id DESC);
CREATE INDEX tickets_updated_idx ON tickets (updated_at DESC, id DESC);
CREATE INDEX tickets_requester_idx ON tickets (requester_id, created_at DESC);
CREATE INDEX tickets_booking_idx ON tickets (booking_id);
CREATE INDEX tickets_category_idx ON tickets (category, updated_at DESC);
CREATE INDEX tickets_channel_idx ON tickets (channel, updated_at DESC);
CREATE INDEX tickets_tags_idx ON tickets USING gin (tags);
CREATE INDEX tickets_search_idx ON tickets USING gin (search);
CREATE INDEX tickets_solved_idx ON tickets (status, solved_at) WHERE status = 'solved';

CREATE TABLE ticket_links (
  ticket_id int NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  linked_ticket_id int NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('related','follow_up','duplicate')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, linked_ticket_id)
);
CREATE INDEX ticket_links_linked_idx ON ticket_links (linked_ticket_id);

CREATE TABLE messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id int NOT NULL REFERENCES tickets(id),
  kind text NOT NULL CHECK (kind IN ('reply','note')),
  author_kind text NOT NULL CHECK (author_kind IN ('agent','contact','system')),
  author_user_id int REFERENCES users(id) ON DELETE SET NULL,
  author_contact_id int REFERENCES contacts(id),
  channel text NOT NULL,
  is_auto boolean NOT NULL DEFAULT false,
  body_text text NOT NULL,
  body_html text,
  external_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    to_tsvector('russian', left(body_text, 100000)) || to_tsvector('english', left(body_text, 100000))
    || to_tsvector('simple', left(body_text, 100000))
  ) STORED
);
CREATE INDEX messages_ticket_idx ON messages (ticket_id, created_at, id);
CREATE INDEX messages_search_idx ON messages USING gin (search);
CREATE UNIQUE INDEX messages_external_idx ON messages (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id bigint REFERENCES messages(id) ON DELETE CASCADE,
  ticket_id int REFERENCES tickets(id),
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes int NOT NULL,
  sha256 text NOT NULL,
  storage_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message_idx ON attachments (message_id);
CREATE INDEX attachments_ticket_idx ON attachments (ticket_id);

CREATE TABLE ticket_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id int NOT NULL REFERENCES tickets(id),
  type text NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user','contact','system','token')),
  actor_user_id int REFERENCES users(id) ON DELETE SET NULL,
  actor_contact_id int REFERENCES contacts(id),
  actor_token_id int REFERENCES api_tokens(id) ON DELETE SET NULL,
  at timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);
CREATE INDEX ticket_events_type_at_idx ON ticket_events (type, at);

-- Append-only: history is never rewritten.
CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only';
END $$;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();

CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed')),
  attempts int NOT NULL DEFAULT 0,
  max_attempts int NOT NULL DEFAULT 5,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_at timestamptz,
  locked_by text,
  singleton_key text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX jobs_ready_idx ON jobs (run_at, id) WHERE status = 'queued';
CREATE INDEX jobs_running_idx ON jobs (locked_at) WHERE status = 'running';
CREATE UNIQUE INDEX jobs_singleton_idx ON jobs (singleton_key) WHERE singleton_key IS NOT NULL AND status IN ('queued','running');

-- Search query of the given words: each word matches its Russian stem, its English stem, or any word
-- that starts with its Russian stem ("отменили" -> отмен:* finds "отмена", whose own stem is "отм").
-- Words that either language treats as a stop word are dropped. all_words = false joins with OR.
CREATE FUNCTION search_query(words text[], all_words boolean) RETURNS tsquery LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  word text;
  ru text;
  en text;
  parts text[] := '{}';
BEGIN
  FOREACH word IN ARRAY words LOOP
    ru := plainto_tsquery('russian', word)::text;
    en := plainto_tsquery('english', word)::text;
    CONTINUE WHEN ru = '' OR en = '';
    IF position('&' IN ru) = 0 THEN
      parts := parts || ('(' || ru || ' | ' || en || ' | ' || ru || ':*)');
    ELSE
      parts := parts || ('(' || ru || ' | ' || en || ')');
    END IF;
  END LOOP;
  IF coalesce(array_length(parts, 1), 0) = 0 THEN
    RETURN ''::tsquery;
  END IF;
  RETURN array_to_string(parts, CASE WHEN all_words THEN ' & ' ELSE ' | ' END)::tsquery;
END $$;
