-- Up Migration

-- A Stripe event's payload is kept as the text Stripe signed (json), not converted to jsonb: the
-- conversion was PostgreSQL's largest share of storing a webhook, and jsonb's form of these
-- events is larger (more WAL to flush before each acknowledgement). Nothing queries inside
-- stored events with jsonb operators or indexes; the worker reads the whole payload, and json
-- hands it back as it was stored, without a conversion.
ALTER TABLE stripe_events ALTER COLUMN payload TYPE json USING payload::json;

-- Down Migration
ALTER TABLE stripe_events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
