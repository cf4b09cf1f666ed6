-- Inbound email quarantine: what a retry needs besides the raw source (the SMTP envelope: reply
-- addresses given only in RCPT TO, a null sender that marks a bounce) and what an admin needs to
-- recognise a held message without opening it.
ALTER TABLE email_quarantine
  ADD COLUMN envelope jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN from_address text,
  ADD COLUMN subject text,
  ADD COLUMN attempts int NOT NULL DEFAULT 1,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The same broken message delivered again is held once.
CREATE INDEX email_quarantine_held_hash_idx ON email_quarantine (content_hash) WHERE status = 'held';
-- The admin list without a status filter, newest first.
CREATE INDEX email_quarantine_created_idx ON email_quarantine (created_at DESC, id DESC);
