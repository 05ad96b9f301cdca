-- Up Migration

-- How often a stored event was sent back to the queue (released when what it waited for
-- arrived, or replayed by an admin). Each time gets its own job id, so a rerun is never mistaken
-- for an earlier job of the same event that already finished.
ALTER TABLE stripe_events ADD COLUMN reruns integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE stripe_events DROP COLUMN reruns;
