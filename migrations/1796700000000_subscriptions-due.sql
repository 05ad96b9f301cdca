-- Up Migration

-- What active monthly donors are still due to give this month (the progress read's "pledged"):
-- active subscriptions of a campaign not paid since the month began. The progress read sums
-- this as a subselect of its one indexed lookup, so it stays one round trip; the index covers
-- the amount (index-only scan) and holds active subscriptions only. canceled_at is there because
-- a donor's own cancellation is recorded at once, before Stripe's event turns the status.
CREATE INDEX subscriptions_active_due_idx ON subscriptions (campaign_id, last_paid_at) INCLUDE (amount, canceled_at)
  WHERE status = 'active';

-- Down Migration
DROP INDEX subscriptions_active_due_idx;
