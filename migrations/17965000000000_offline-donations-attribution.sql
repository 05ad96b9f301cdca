-- Up Migration

-- Where a donation's money came from: Stripe (webhooks) or an admin recording money received
-- outside Stripe (a cheque, a bank transfer, cash) or importing past donations from a CSV.
-- An offline donation is never deleted: voiding it appends a reversing ledger entry and sets
-- voided_at. offline_reference (the cheque number, the transfer's reference, the other tool's id)
-- is unique per campaign, which is what makes recording and importing idempotent.
ALTER TABLE donations
  ADD COLUMN origin text NOT NULL DEFAULT 'stripe' CHECK (origin IN ('stripe', 'offline')),
  ADD COLUMN offline_method text CHECK (offline_method IN ('check', 'bank_transfer', 'cash', 'other')),
  ADD COLUMN offline_reference text,
  ADD COLUMN voided_at timestamptz,
  -- Attribution the donor's page passed at checkout (each at most 64 characters).
  ADD COLUMN source text CHECK (char_length(source) <= 64),
  ADD COLUMN utm_source text CHECK (char_length(utm_source) <= 64),
  ADD COLUMN utm_medium text CHECK (char_length(utm_medium) <= 64),
  ADD COLUMN utm_campaign text CHECK (char_length(utm_campaign) <= 64),
  -- An admin hid the donor's message from the supporters wall (the message itself is kept).
  ADD COLUMN message_hidden boolean NOT NULL DEFAULT false,
  -- When the donor's personal data was erased on request (name, email, message are gone).
  ADD COLUMN erased_at timestamptz,
  ADD CONSTRAINT donations_offline_fields CHECK (
    (origin = 'offline') = (offline_method IS NOT NULL AND offline_reference IS NOT NULL)
  );
CREATE UNIQUE INDEX donations_offline_reference_idx ON donations (campaign_id, offline_reference)
  WHERE offline_reference IS NOT NULL;
-- The supporters wall: a campaign's counted donations, newest first.
CREATE INDEX donations_campaign_paid_idx ON donations (campaign_id, paid_at DESC, id DESC)
  WHERE status = 'succeeded';

ALTER TABLE checkouts
  ADD COLUMN source text CHECK (char_length(source) <= 64),
  ADD COLUMN utm_source text CHECK (char_length(utm_source) <= 64),
  ADD COLUMN utm_medium text CHECK (char_length(utm_medium) <= 64),
  ADD COLUMN utm_campaign text CHECK (char_length(utm_campaign) <= 64);

-- Offline money has ledger kinds of its own: 'offline' (money received outside Stripe) and
-- 'offline_void' (its reversal when an admin voids it).
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('donation', 'refund', 'dispute', 'dispute_reversal', 'offline', 'offline_void'));

-- Down Migration
DELETE FROM ledger_entries WHERE kind IN ('offline', 'offline_void');
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('donation', 'refund', 'dispute', 'dispute_reversal'));
ALTER TABLE checkouts DROP COLUMN source, DROP COLUMN utm_source, DROP COLUMN utm_medium, DROP COLUMN utm_campaign;
DROP INDEX donations_campaign_paid_idx;
DROP INDEX donations_offline_reference_idx;
DELETE FROM donations WHERE origin = 'offline';
ALTER TABLE donations DROP CONSTRAINT donations_offline_fields,
  DROP COLUMN origin, DROP COLUMN offline_method, DROP COLUMN offline_reference, DROP COLUMN voided_at,
  DROP COLUMN source, DROP COLUMN utm_source, DROP COLUMN utm_medium, DROP COLUMN utm_campaign,
  DROP COLUMN message_hidden, DROP COLUMN erased_at;
