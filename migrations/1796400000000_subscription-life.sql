-- Up Migration

-- A monthly donation's life as Stripe reports it (issue 11). The donor-facing status is derived
-- from these facts by domain/subscription.ts, so it ends the same whatever order events arrive in:
--   snapshot_at:   event time of the newest customer.subscription.* snapshot applied (older ones
--                  arriving late are ignored for amount, pause and next payment);
--   stripe_status: Stripe's own status in that snapshot; paused: pause_collection was set;
--   last_paid_at:  newest paid invoice of the subscription (a failure before it is recovered).
ALTER TABLE subscriptions
  ADD COLUMN started_at timestamptz,
  ADD COLUMN next_payment_at timestamptz,
  ADD COLUMN snapshot_at timestamptz,
  ADD COLUMN stripe_status text,
  ADD COLUMN paused boolean NOT NULL DEFAULT false,
  ADD COLUMN last_paid_at timestamptz;
UPDATE subscriptions SET started_at = created_at WHERE started_at IS NULL;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check
  CHECK (status IN ('active', 'past_due', 'paused', 'canceled'));
-- Admin list (newest first, by campaign and status) and the donor's own list (by email).
CREATE INDEX subscriptions_campaign_created_idx ON subscriptions (campaign_id, created_at DESC, id DESC);
CREATE INDEX subscriptions_created_idx ON subscriptions (created_at DESC, id DESC);
CREATE INDEX subscriptions_donor_email_idx ON subscriptions (lower(donor_email));

-- Renewals that failed: one row per invoice (never counted), with Stripe's attempt count so far.
-- An invoice later paid on a retry stays here as history; it stops making the subscription past due.
CREATE TABLE subscription_payment_failures (
  invoice_id        text PRIMARY KEY,
  subscription_id   text NOT NULL REFERENCES subscriptions(id),
  amount            bigint NOT NULL,
  currency          text NOT NULL,
  attempts          integer NOT NULL DEFAULT 1 CHECK (attempts > 0),
  first_failed_at   timestamptz NOT NULL,
  last_failed_at    timestamptz NOT NULL,
  next_attempt_at   timestamptz,
  reason            text
);
CREATE INDEX subscription_payment_failures_subscription_idx ON subscription_payment_failures (subscription_id);

-- Mails about a monthly donation that belong to no single donation: a failed renewal and the
-- donor's manage link.
ALTER TABLE receipts DROP CONSTRAINT receipts_kind_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_kind_check
  CHECK (kind IN ('receipt', 'copy', 'refund', 'statement', 'payment_failed', 'manage_link'));

-- Keys the service makes for itself when none is configured (the donor manage-link key): made
-- once, kept here, so every process of a deployment uses the same one across restarts.
CREATE TABLE server_secrets (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE server_secrets;
DELETE FROM receipts WHERE kind IN ('payment_failed', 'manage_link');
ALTER TABLE receipts DROP CONSTRAINT receipts_kind_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_kind_check CHECK (kind IN ('receipt', 'copy', 'refund', 'statement'));
DROP TABLE subscription_payment_failures;
DROP INDEX subscriptions_donor_email_idx;
DROP INDEX subscriptions_created_idx;
DROP INDEX subscriptions_campaign_created_idx;
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE subscriptions
  DROP COLUMN last_paid_at, DROP COLUMN paused, DROP COLUMN stripe_status, DROP COLUMN snapshot_at,
  DROP COLUMN next_payment_at, DROP COLUMN started_at;
