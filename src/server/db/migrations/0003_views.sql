-- Inbox views: saved personal views, and indexes behind view counts and list orders.

CREATE TABLE saved_views (
  id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  filters jsonb NOT NULL DEFAULT '{}',
  position int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_views_user_idx ON saved_views (user_id, position, id);

-- "Live" tickets are what the inbox shows by default: not merged, not deleted, not spam. Each
-- index below carries exactly that predicate, so a view count is an index-only range scan and a
-- list page walks an index in its sort order. They replace 0001's inbox indexes, whose predicate
-- missed is_spam (every row had to be fetched to check it).
DROP INDEX tickets_inbox_group_idx;
DROP INDEX tickets_inbox_unassigned_idx;

-- my-open, unassigned (assignee_id IS NULL), any assignee filter, by status.
CREATE INDEX tickets_live_assignee_idx ON tickets (assignee_id, status, updated_at DESC, id DESC)
  WHERE merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false;
-- group-<id> views.
CREATE INDEX tickets_live_group_idx ON tickets (group_id, status, updated_at DESC, id DESC)
  WHERE merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false;
-- A group's unassigned queue, newest first, whatever the status.
CREATE INDEX tickets_live_unassigned_idx ON tickets (group_id, updated_at DESC, id DESC)
  WHERE assignee_id IS NULL AND merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false;
-- pending, on-hold, all (unresolved): counts per status.
CREATE INDEX tickets_live_status_idx ON tickets (status, updated_at DESC, id DESC)
  WHERE merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false;
-- The list orders: updated_desc/asc (walked either way), created_desc/asc, priority_desc.
CREATE INDEX tickets_live_updated_idx ON tickets (updated_at DESC, id DESC)
  WHERE merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false;
CREATE INDEX tickets_live_created_idx ON tickets (created_at DESC, id DESC)
  WHERE merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false;
-- Urgent first among unresolved tickets: the expression must match ticket.repository.ts's PRIORITY_RANK.
CREATE INDEX tickets_live_priority_idx ON tickets (
  (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END) DESC,
  updated_at DESC,
  id DESC
) WHERE merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false
    AND status IN ('new', 'open', 'pending', 'on_hold');
-- recently-solved: solved_at within N days, solved or since closed.
CREATE INDEX tickets_live_solved_idx ON tickets (solved_at DESC, id DESC)
  WHERE merged_into_id IS NULL AND deleted_at IS NULL AND is_spam = false AND solved_at IS NOT NULL;
