-- Up Migration

-- The outbox row whose `receipt.send` job (`outbox-<id>`) sends this mail. A ledger batch now
-- writes one job for all the mails it records, so a row no longer finds its job through the
-- outbox's dedupe key; the sweeper gives a job whose rows were stranded back under this id.
ALTER TABLE receipts ADD COLUMN outbox_id bigint;

-- Rows written before had a job each, keyed 'receipt.send:<receipt id>'.
UPDATE receipts r SET outbox_id = o.id FROM outbox o WHERE o.dedupe_key = 'receipt.send:' || r.id;

-- Down Migration
ALTER TABLE receipts DROP COLUMN outbox_id;
