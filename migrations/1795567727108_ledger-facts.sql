-- Up Migration

-- What Stripe told us about a payment, kept on its donation so the ledger can always be
-- recomputed from facts rather than from the order events arrived in (see services/ledger).
--   refunded_gross: Stripe's cumulative amount_refunded on the charge, covered fee included
--                   (refunded_amount stays what the refunds took from the goal).
--   dispute_id / dispute_amount: the charge's dispute (Stripe allows one per charge), its amount.
ALTER TABLE donations
  ADD COLUMN refunded_gross bigint NOT NULL DEFAULT 0 CHECK (refunded_gross >= 0),
  ADD COLUMN dispute_id text,
  ADD COLUMN dispute_amount bigint NOT NULL DEFAULT 0 CHECK (dispute_amount >= 0);

-- The first invoice of a monthly donation is the checkout's own payment: remembered so that
-- invoice becomes the session's donation, whichever event arrives first.
ALTER TABLE subscriptions ADD COLUMN first_invoice_id text;

-- How many counted donations a donor has in a period, so a fully refunded donation can take its
-- donor out of donors_count again.
ALTER TABLE period_donors ADD COLUMN donations integer NOT NULL DEFAULT 1 CHECK (donations > 0);

-- pending_adjustments holds every event waiting for another one (a refund for a payment not
-- seen yet, an invoice for a subscription whose checkout has not arrived): it is re-run when an
-- event carrying one of these ids lands.
ALTER TABLE pending_adjustments
  ADD COLUMN invoice_id text,
  ADD COLUMN subscription_id text;
CREATE INDEX pending_adjustments_invoice_idx ON pending_adjustments (invoice_id);
CREATE INDEX pending_adjustments_subscription_idx ON pending_adjustments (subscription_id);

-- 'deferred': stored and understood, waiting for the event it depends on (see above).
-- note: why an event was ignored or deferred; started_at: when its last attempt began.
ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_status_check;
ALTER TABLE stripe_events
  ADD CONSTRAINT stripe_events_status_check
    CHECK (status IN ('received', 'processing', 'processed', 'ignored', 'deferred', 'failed')),
  ADD COLUMN note text,
  ADD COLUMN started_at timestamptz;
CREATE INDEX stripe_events_received_idx ON stripe_events (received_at DESC, id DESC);

-- Down Migration
DROP INDEX stripe_events_received_idx;
UPDATE stripe_events SET status = 'received' WHERE status = 'deferred';
ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_status_check;
ALTER TABLE stripe_events
  ADD CONSTRAINT stripe_events_status_check
    CHECK (status IN ('received', 'processing', 'processed', 'ignored', 'failed')),
  DROP COLUMN note,
  DROP COLUMN started_at;
DROP INDEX pending_adjustments_subscription_idx;
DROP INDEX pending_adjustments_invoice_idx;
ALTER TABLE pending_adjustments DROP COLUMN subscription_id, DROP COLUMN invoice_id;
ALTER TABLE period_donors DROP COLUMN donations;
ALTER TABLE subscriptions DROP COLUMN first_invoice_id;
ALTER TABLE donations DROP COLUMN dispute_amount, DROP COLUMN dispute_id, DROP COLUMN refunded_gross;
