-- Job queue look-ups that the 0001 partial indexes do not cover.

-- The scheduler asks "was bucket <name>:<n> ever enqueued?", done and failed rows included,
-- so a recurring job does not run twice in one interval on N nodes.
CREATE INDEX jobs_singleton_key_idx ON jobs (singleton_key) WHERE singleton_key IS NOT NULL;
-- recoverStale() deletes done rows older than 7 days.
CREATE INDEX jobs_done_idx ON jobs (finished_at) WHERE status = 'done';
