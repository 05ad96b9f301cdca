-- Up Migration

-- A delivery is attempted by one job at a time: a worker claims it until locked_until, so a
-- duplicate or re-swept job for the same attempt finds it taken and does nothing.
-- manual_retry marks a pending attempt an admin asked for: one shot, outside the schedule.
ALTER TABLE webhook_deliveries
  ADD COLUMN locked_until timestamptz,
  ADD COLUMN manual_retry boolean NOT NULL DEFAULT false;
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

ALTER TABLE webhook_attempts
  ADD COLUMN attempt integer NOT NULL DEFAULT 1,
  ADD COLUMN trigger text NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'manual'));

CREATE INDEX webhook_endpoints_created_idx ON webhook_endpoints (created_at DESC, id DESC);

-- Down Migration
DROP INDEX webhook_endpoints_created_idx;
ALTER TABLE webhook_attempts DROP COLUMN trigger, DROP COLUMN attempt;
DROP INDEX webhook_deliveries_due_idx;
ALTER TABLE webhook_deliveries DROP COLUMN manual_retry, DROP COLUMN locked_until;
