-- Up Migration

-- Workers claim stored events in batches (oldest first, FOR UPDATE SKIP LOCKED) instead of one
-- job per event. A failed attempt is retried after a backoff: next_attempt_at says when the
-- event may be claimed again (NULL: at once).
ALTER TABLE stripe_events ADD COLUMN next_attempt_at timestamptz;
CREATE INDEX stripe_events_claimable_idx ON stripe_events (received_at, id) WHERE status = 'received';

-- Down Migration
DROP INDEX stripe_events_claimable_idx;
ALTER TABLE stripe_events DROP COLUMN next_attempt_at;
