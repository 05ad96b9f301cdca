-- Up Migration

-- Dispatched outbox rows are deleted once they are a day old (the maintenance sweep,
-- deleteDispatchedOutbox): a row's work is a BullMQ job from then on, and the table would
-- otherwise grow by about a row per event for as long as the deployment lives. This index finds
-- them without reading the rows still to relay or the day kept. The mark that sets
-- dispatched_at already updates the row out of place (the undispatched index's condition changes),
-- so the index adds one entry per row, not a HOT update lost.
CREATE INDEX outbox_dispatched_idx ON outbox (dispatched_at) WHERE dispatched_at IS NOT NULL;

-- Down Migration
DROP INDEX outbox_dispatched_idx;
