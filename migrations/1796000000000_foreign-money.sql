-- Up Migration

-- This deployment's identity, made once per database. Checkout puts it into the metadata of
-- every session, payment and subscription it creates, so invoices and charges of another
-- deployment sharing the Stripe account (staging next to production) are told apart from ours.
CREATE TABLE deployment (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  id text NOT NULL DEFAULT 'gpd_' || replace(gen_random_uuid()::text, '-', '')
);
INSERT INTO deployment DEFAULT VALUES;

-- Why an ignored event was not counted when an operator should look at it (currency_mismatch,
-- livemode_mismatch, foreign): listed and filtered by GET /v1/admin/stripe-events?flag=.
ALTER TABLE stripe_events ADD COLUMN flag text;
CREATE INDEX stripe_events_flag ON stripe_events (flag, received_at DESC) WHERE flag IS NOT NULL;

-- Every refund of the donation's payment Stripe named, by refund id: {"re_…": {"amount", "status"}}.
-- A failed or canceled refund gives its amount back (facts only move forward: a refund's status
-- ends at failed or canceled).
ALTER TABLE donations ADD COLUMN refunds jsonb NOT NULL DEFAULT '{}';

-- How often a month's figures changed after it was closed (period.restated, numbered by this).
ALTER TABLE campaign_periods ADD COLUMN restatements integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE campaign_periods DROP COLUMN restatements;
ALTER TABLE donations DROP COLUMN refunds;
DROP INDEX stripe_events_flag;
ALTER TABLE stripe_events DROP COLUMN flag;
DROP TABLE deployment;
