-- Up Migration

-- When a worker claimed a receipt for sending. A row left in 'sending' by a worker that died
-- mid-send is taken over only once this is older than RECEIPT_SENDING_TIMEOUT_MS.
ALTER TABLE receipts ADD COLUMN claimed_at timestamptz;

-- The admin list of receipts by status (e.g. ?status=failed), newest first.
CREATE INDEX receipts_status_idx ON receipts (status, id DESC);

-- Down Migration
DROP INDEX receipts_status_idx;
ALTER TABLE receipts DROP COLUMN claimed_at;
