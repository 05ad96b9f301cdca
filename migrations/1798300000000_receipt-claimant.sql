-- Up Migration

-- Which job claimed a receipt for sending. A claim that committed while its answer was lost
-- (the database went away mid-reply) leaves the row 'sending'; the same job's next run takes
-- it back at once instead of waiting RECEIPT_SENDING_TIMEOUT_MS as for another worker's claim.
ALTER TABLE receipts ADD COLUMN claimed_by text;

-- Down Migration
ALTER TABLE receipts DROP COLUMN claimed_by;
