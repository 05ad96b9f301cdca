-- Up Migration

-- The events waiting for a worker, kept apart from the events themselves, which are kept forever.
-- Claims walked a partial index of stripe_events (status = 'received'), and an UPDATE leaves the
-- old entry behind until VACUUM: every event processed since the table's last vacuum was stepped
-- over by each claim from the start. On a table kept forever autovacuum comes once a fifth of its
-- rows changed, so that walk grew with the table (500,000 events processed since a vacuum: 3,587
-- pages and 30 ms a claim). A row here lives from the event's store (or replay, or requeue) to its
-- outcome; the table is as small as the backlog and each autovacuum round cleans it cheaply, so a
-- claim steps over at most what was processed since that round, however old the deployment.
--
-- The key is the claim's order; due_at is the event's next_attempt_at (a retry's time). A claim
-- reads and locks rows here alone, in the key's order, whatever the planner thinks of
-- stripe_events, and visits stripe_events only for the events it took.
CREATE TABLE stripe_event_queue (
  received_at timestamptz NOT NULL,
  event_id text NOT NULL,
  due_at timestamptz,
  PRIMARY KEY (received_at, event_id)
);

-- Triggers keep the queue, not the statements that write events: a row exists exactly while its
-- event is 'received', whoever writes the event — this version's statements, a process of the
-- version before still running through a rolling deploy (its INSERT and UPDATE know nothing of the
-- queue), or an operator's UPDATE. They run once per statement, on the rows it wrote.
CREATE FUNCTION stripe_event_queue_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stripe_event_queue (received_at, event_id, due_at)
  SELECT received_at, id, next_attempt_at FROM new_events WHERE status = 'received';
  RETURN NULL;
END
$$;

-- Each statement names the queue's rows by its whole key (both columns from one subquery): an
-- ingest statement gives all its events one received_at, and a probe by received_at alone
-- fetched each of them to compare ids.
CREATE FUNCTION stripe_event_queue_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Off the queue: no longer 'received' (or, by hand, received at another time).
  DELETE FROM stripe_event_queue
  WHERE (received_at, event_id) IN (
    SELECT o.received_at, o.id FROM old_events o JOIN new_events n ON n.id = o.id
    WHERE o.status = 'received' AND (n.status <> 'received' OR n.received_at <> o.received_at)
  );
  -- Onto the queue: 'received' again (a replay, a requeue, a retry from 'processing').
  INSERT INTO stripe_event_queue (received_at, event_id, due_at)
  SELECT n.received_at, n.id, n.next_attempt_at FROM old_events o JOIN new_events n ON n.id = o.id
  WHERE n.status = 'received' AND (o.status <> 'received' OR n.received_at <> o.received_at);
  -- Still queued, due at another time (a failed attempt's retry). Those are found first: most
  -- statements retime nothing, and then no queue row is looked up.
  WITH retimed AS MATERIALIZED (
    SELECT n.received_at, n.id, n.next_attempt_at AS due_at FROM old_events o JOIN new_events n ON n.id = o.id
    WHERE o.status = 'received' AND n.status = 'received' AND n.received_at = o.received_at
      AND n.next_attempt_at IS DISTINCT FROM o.next_attempt_at
  )
  UPDATE stripe_event_queue q SET due_at = retimed.due_at
  FROM retimed WHERE (q.received_at, q.event_id) = (retimed.received_at, retimed.id);
  RETURN NULL;
END
$$;

-- No writer may slip between the backfill and the triggers.
LOCK TABLE stripe_events IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER stripe_event_queue_stored AFTER INSERT ON stripe_events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION stripe_event_queue_stored();
CREATE TRIGGER stripe_event_queue_updated AFTER UPDATE ON stripe_events
  REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION stripe_event_queue_updated();

INSERT INTO stripe_event_queue (received_at, event_id, due_at)
  SELECT received_at, id, next_attempt_at FROM stripe_events WHERE status = 'received';
DROP INDEX stripe_events_claimable_idx;

-- The index by status keeps only the statuses an operator looks for (failed, deferred, ignored):
-- its 'received' entries had the same dead tail as the claimable index, and most events are
-- 'processed' (a list of them, or of the few 'received' ones, walks the newest first through
-- received_idx). Each event's store and outcome no longer add an entry here.
DROP INDEX stripe_events_status_idx;
CREATE INDEX stripe_events_status_idx ON stripe_events (status, received_at)
  WHERE status IN ('processing', 'deferred', 'ignored', 'failed');

-- Down Migration
DROP INDEX stripe_events_status_idx;
CREATE INDEX stripe_events_status_idx ON stripe_events (status, received_at);
CREATE INDEX stripe_events_claimable_idx ON stripe_events (received_at, id) WHERE status = 'received';
DROP TRIGGER stripe_event_queue_updated ON stripe_events;
DROP TRIGGER stripe_event_queue_stored ON stripe_events;
DROP FUNCTION stripe_event_queue_updated();
DROP FUNCTION stripe_event_queue_stored();
DROP TABLE stripe_event_queue;
