-- Up Migration

-- A consumer event now gets its deliveries (and the outbox rows of their first attempts) in the
-- statement that stores it; the `webhook.fan-out` job is gone. Events whose fan-out may not have
-- run yet are fanned out here the same way, once: those whose job was never relayed, or relayed
-- in the last day (it may still be waiting or retrying; a job left in the queue now fails with
-- "no handler" and does nothing). An endpoint that has a delivery of the event keeps it; one
-- that was disabled when the event's fan-out ran and enabled again since gets it now.
WITH pending AS (
  SELECT e.id, e.type, e.created_at
  FROM outbox o JOIN webhook_events e ON e.id = o.payload->>'eventId'
  WHERE o.job_name = 'webhook.fan-out' AND (o.dispatched_at IS NULL OR o.dispatched_at > now() - interval '1 day')
),
deliveries AS (
  INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
  SELECT 'whd_' || left(replace(gen_random_uuid()::text, '-', ''), 24), w.id, p.id, now()
  FROM pending p JOIN webhook_endpoints w
    ON w.enabled AND w.created_at <= p.created_at AND (w.events @> ARRAY[p.type] OR w.events @> ARRAY['*'])
  ON CONFLICT (endpoint_id, event_id) DO NOTHING
  RETURNING id
)
INSERT INTO outbox (job_name, payload, dedupe_key)
SELECT 'webhook.deliver', jsonb_build_object('deliveryId', id, 'attempt', 1), 'webhook.deliver:' || id || ':1' FROM deliveries;

-- Nothing relays these any more.
UPDATE outbox SET dispatched_at = now() WHERE job_name = 'webhook.fan-out' AND dispatched_at IS NULL;

-- Down Migration
-- Nothing to undo: the deliveries made here are ordinary deliveries.
