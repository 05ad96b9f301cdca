-- Up Migration

-- Campaigns. Goal and tiers here are the *current* ones; what each month had is kept in
-- campaign_periods so editing a goal never rewrites the past.
CREATE TABLE campaigns (
  id                        bigserial PRIMARY KEY,
  slug                      text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name                      text NOT NULL,
  description               text NOT NULL DEFAULT '',
  currency                  text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  timezone                  text NOT NULL,
  goal_period               text NOT NULL CHECK (goal_period IN ('monthly', 'total')),
  goal_amount               bigint NOT NULL CHECK (goal_amount > 0),
  tiers                     jsonb NOT NULL DEFAULT '[]',
  amount_presets            bigint[] NOT NULL DEFAULT '{}',
  min_amount                bigint NOT NULL CHECK (min_amount > 0),
  max_amount                bigint NOT NULL CHECK (max_amount >= min_amount),
  allowed_redirect_origins  text[] NOT NULL DEFAULT '{}',
  status                    text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
  -- Optional receipt overrides: {"org_name", "org_address", "org_tax_id", "tax_sentence"}.
  receipt_settings          jsonb NOT NULL DEFAULT '{}',
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);

-- One row per campaign and period: the goal and tiers that period had, and its running
-- aggregate, updated in the same transaction as every ledger entry so the public progress read
-- is a single indexed lookup. period_key is 'YYYY-MM' (campaign timezone) or 'total'.
-- A month without a row takes its goal from the latest earlier row (see db/periods.ts).
CREATE TABLE campaign_periods (
  campaign_id      bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  period_key       text NOT NULL CHECK (period_key ~ '^(\d{4}-\d{2}|total)$'),
  goal_amount      bigint NOT NULL,
  tiers            jsonb NOT NULL DEFAULT '[]',
  raised           bigint NOT NULL DEFAULT 0,
  refunded         bigint NOT NULL DEFAULT 0,
  disputed         bigint NOT NULL DEFAULT 0,
  donations_count  integer NOT NULL DEFAULT 0,
  donors_count     integer NOT NULL DEFAULT 0,
  closed_at        timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, period_key)
);

-- Distinct donors per period (lower-cased email) behind campaign_periods.donors_count.
CREATE TABLE period_donors (
  campaign_id  bigint NOT NULL,
  period_key   text NOT NULL,
  donor_email  text NOT NULL,
  PRIMARY KEY (campaign_id, period_key, donor_email),
  FOREIGN KEY (campaign_id, period_key) REFERENCES campaign_periods (campaign_id, period_key) ON DELETE CASCADE
);

-- First time a tier (kind 'tier') or the goal (kind 'goal') was reached in a period.
-- The primary key is what makes tier.reached / goal.reached fire at most once.
CREATE TABLE tier_crossings (
  campaign_id  bigint NOT NULL,
  period_key   text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('tier', 'goal')),
  amount       bigint NOT NULL,
  reached_at   timestamptz NOT NULL,
  PRIMARY KEY (campaign_id, period_key, kind, amount),
  FOREIGN KEY (campaign_id, period_key) REFERENCES campaign_periods (campaign_id, period_key) ON DELETE CASCADE
);

-- What the donor asked for at checkout, keyed by the Stripe session id. Name, message and
-- anonymity come from here, never from Stripe metadata alone.
CREATE TABLE checkouts (
  session_id       text PRIMARY KEY,
  campaign_id      bigint NOT NULL REFERENCES campaigns(id),
  frequency        text NOT NULL CHECK (frequency IN ('one_time', 'monthly')),
  amount           bigint NOT NULL CHECK (amount > 0),
  fee_amount       bigint NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),
  currency         text NOT NULL,
  donor_email      text,
  donor_name       text,
  anonymous        boolean NOT NULL DEFAULT false,
  message          text,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'complete', 'expired')),
  url              text NOT NULL,
  expires_at       timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checkouts_campaign_idx ON checkouts (campaign_id, created_at DESC);

-- Idempotency-Key on POST /checkout: same key + same body returns the same session.
CREATE TABLE idempotency_keys (
  scope         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- A donation is one payment: a one-time checkout, or one paid invoice of a monthly donation.
-- amount is what counts toward the goal; fee_amount is what the donor added to cover fees.
-- Every Stripe id is unique so a second event for the same payment finds the same row.
CREATE TABLE donations (
  id                    text PRIMARY KEY,
  campaign_id           bigint NOT NULL REFERENCES campaigns(id),
  status                text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired')),
  frequency             text NOT NULL CHECK (frequency IN ('one_time', 'monthly')),
  amount                bigint NOT NULL CHECK (amount >= 0),
  fee_amount            bigint NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),
  currency              text NOT NULL,
  donor_email           text,
  donor_name            text,
  anonymous             boolean NOT NULL DEFAULT false,
  message               text,
  checkout_session_id   text,
  subscription_id       text,
  payment_intent_id     text UNIQUE,
  charge_id             text UNIQUE,
  invoice_id            text UNIQUE,
  period_key            text,
  paid_at               timestamptz,
  refunded_amount       bigint NOT NULL DEFAULT 0,
  disputed_amount       bigint NOT NULL DEFAULT 0,
  dispute_status        text,
  receipt_number        text UNIQUE,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
-- The session's own donation (one-time, or a subscription's first invoice) is unique per session.
CREATE UNIQUE INDEX donations_first_of_session_idx ON donations (checkout_session_id)
  WHERE checkout_session_id IS NOT NULL;
CREATE INDEX donations_campaign_created_idx ON donations (campaign_id, created_at DESC, id DESC);
CREATE INDEX donations_created_idx ON donations (created_at DESC, id DESC);
CREATE INDEX donations_campaign_period_idx ON donations (campaign_id, period_key);
CREATE INDEX donations_subscription_idx ON donations (subscription_id) WHERE subscription_id IS NOT NULL;
CREATE INDEX donations_donor_email_idx ON donations (lower(donor_email));

-- Monthly donations (Stripe subscriptions) we created.
CREATE TABLE subscriptions (
  id                   text PRIMARY KEY,
  campaign_id          bigint NOT NULL REFERENCES campaigns(id),
  checkout_session_id  text UNIQUE,
  amount               bigint NOT NULL,
  fee_amount           bigint NOT NULL DEFAULT 0,
  currency             text NOT NULL,
  donor_email          text,
  donor_name           text,
  anonymous            boolean NOT NULL DEFAULT false,
  status               text NOT NULL DEFAULT 'active',
  canceled_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Append-only money ledger. Each entry belongs to the period of the donation it changes.
-- source_id is the Stripe object behind the entry (payment intent / invoice, refund, dispute
-- + outcome), unique per kind, so no entry is ever written twice.
CREATE TABLE ledger_entries (
  id               bigserial PRIMARY KEY,
  donation_id      text NOT NULL REFERENCES donations(id),
  campaign_id      bigint NOT NULL REFERENCES campaigns(id),
  period_key       text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('donation', 'refund', 'dispute', 'dispute_reversal')),
  amount           bigint NOT NULL,
  currency         text NOT NULL,
  source_id        text NOT NULL,
  stripe_event_id  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, source_id)
);
CREATE INDEX ledger_entries_donation_idx ON ledger_entries (donation_id, id);
CREATE INDEX ledger_entries_campaign_period_idx ON ledger_entries (campaign_id, period_key);

-- Refunds and disputes that arrived before the payment they belong to; applied when it lands.
CREATE TABLE pending_adjustments (
  id               bigserial PRIMARY KEY,
  charge_id        text,
  payment_intent_id text,
  stripe_event_id  text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_adjustments_charge_idx ON pending_adjustments (charge_id);
CREATE INDEX pending_adjustments_pi_idx ON pending_adjustments (payment_intent_id);

-- Every verified Stripe event, stored once, processed by workers.
CREATE TABLE stripe_events (
  id            text PRIMARY KEY,
  type          text NOT NULL,
  api_version   text,
  livemode      boolean NOT NULL DEFAULT false,
  created       timestamptz NOT NULL,
  payload       jsonb NOT NULL,
  source        text NOT NULL DEFAULT 'webhook' CHECK (source IN ('webhook', 'reconciliation')),
  status        text NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'processing', 'processed', 'ignored', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz
);
CREATE INDEX stripe_events_status_idx ON stripe_events (status, received_at);
CREATE INDEX stripe_events_created_idx ON stripe_events (created DESC);

-- Transactional outbox: rows written in the same transaction as the change that needs them;
-- a relay turns them into BullMQ jobs after commit (and a sweeper catches any it missed).
CREATE TABLE outbox (
  id             bigserial PRIMARY KEY,
  job_name       text NOT NULL,
  payload        jsonb NOT NULL,
  dedupe_key     text UNIQUE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at  timestamptz
);
CREATE INDEX outbox_undispatched_idx ON outbox (id) WHERE dispatched_at IS NULL;

-- Sequential receipt numbers per calendar year, taken under a row lock inside the
-- donation's transaction so a rollback gives the number back: no gaps, no duplicates.
CREATE TABLE receipt_counters (
  year         integer PRIMARY KEY,
  last_number  integer NOT NULL DEFAULT 0
);

-- Every mail Goalpost sends or tries to: receipts, copies, refund confirmations, statements.
CREATE TABLE receipts (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('receipt', 'copy', 'refund', 'statement')),
  donation_id   text REFERENCES donations(id),
  dedupe_key    text NOT NULL UNIQUE,
  to_email      text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  message_id    text,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz
);
CREATE INDEX receipts_donation_idx ON receipts (donation_id);

-- Consumer webhook endpoints, their events and every delivery attempt.
CREATE TABLE webhook_endpoints (
  id                          text PRIMARY KEY,
  url                         text NOT NULL,
  description                 text NOT NULL DEFAULT '',
  events                      text[] NOT NULL,
  secret                      text NOT NULL,
  previous_secret             text,
  previous_secret_expires_at  timestamptz,
  enabled                     boolean NOT NULL DEFAULT true,
  disabled_reason             text,
  disabled_at                 timestamptz,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_events (
  id          text PRIMARY KEY,
  type        text NOT NULL,
  payload     jsonb NOT NULL,
  -- e.g. 'tier.reached:12:2024-11:250000' so a logical event is only ever emitted once.
  dedupe_key  text UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  event_id         text NOT NULL REFERENCES webhook_events(id),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
  id             bigserial PRIMARY KEY,
  delivery_id    text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempted_at   timestamptz NOT NULL DEFAULT now(),
  status_code    integer,
  latency_ms     integer NOT NULL,
  response_body  text,
  error          text
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

-- Admin API keys, stored as SHA-256 hashes; the key itself is shown once.
CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  scope         text NOT NULL CHECK (scope IN ('read', 'admin')),
  key_hash      text NOT NULL UNIQUE,
  key_prefix    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

-- Down Migration
DROP TABLE api_keys, webhook_attempts, webhook_deliveries, webhook_events, webhook_endpoints,
  receipts, receipt_counters, outbox, stripe_events, pending_adjustments, ledger_entries,
  subscriptions, donations, idempotency_keys, checkouts, tier_crossings, period_donors,
  campaign_periods, campaigns;
