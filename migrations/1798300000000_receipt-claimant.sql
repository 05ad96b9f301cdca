-- Up Migration

-- Which run of a receipt job claimed a receipt for sending (a name the run makes up). A claim
-- that committed while its answer was lost (the database went away mid-reply) leaves the row
-- 'sending'; the same run claims again and takes it back at once, where any other run waits
-- RECEIPT_SENDING_TIMEOUT_MS before counting the claim abandoned.
ALTER TABLE receipts ADD COLUMN claimed_by text;

-- Down Migration
ALTER TABLE receipts DROP COLUMN claimed_by;
