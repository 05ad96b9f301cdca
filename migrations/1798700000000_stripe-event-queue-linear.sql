-- Up Migration

-- The queue's update trigger, reading each of the statement's transition tables once.
--
-- The trigger of 1798400000000 paired each event's old and new row (old_events JOIN new_events)
-- to keep the queue row of an event that stays 'received' and only change its due_at. The
-- transition tables have no index and no statistics: the planner counts their rows but expects
-- a filter on status to keep 0.5 % of them, so some of its three joins were nested loops over
-- both tables, and PL/pgSQL keeps a statement's plan for the connection (until something such
-- as an ANALYZE invalidates it), where a worker's first small batch made every join one. An
-- outcome statement (one UPDATE for a batch's events, ~1.8 kB payloads, measured on this
-- migration's schema) took 2.2 ms for 100 events and 9.9 ms for 400 on a fresh connection, 4.3
-- and 56 ms after a first call with one event; the UPDATE alone takes 0.9 and 2.6 ms. With this
-- trigger: 1.5 and 3.3 ms. In a P3 run the trigger's statements were half the time of the
-- worker's outcome statements.
--
-- Now each statement reads each transition table once: the old rows that were on the queue
-- leave it (found by the queue's key), and the new rows that are 'received' go onto it with their
-- due_at, except an event still 'received' at the same received_at and due_at, whose queue row
-- is left alone (NOT IN over the other table, which the planner hashes: one read of it). Leaving
-- it alone matters beyond the work saved: a claim holds the queue rows it picked for its whole
-- batch, also those whose event it then skipped as locked, and a statement that changes such an
-- event's payload or note (a donor's erasure, an operator) must not wait on that row, nor on a
-- batch that waits on it in turn. A retime (a failed attempt's next time) deletes the queue row
-- and inserts it again rather than updating its due_at.
--
-- The settings hold the delete to the queue's key however the planner sees the queue's
-- statistics (as for claim_stripe_events: a drained backlog leaves a large heap with few rows
-- counted), and are the function's own, not the UPDATE's that fires it.
CREATE OR REPLACE FUNCTION stripe_event_queue_updated() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
BEGIN
  DELETE FROM stripe_event_queue q USING old_events o
  WHERE o.status = 'received' AND q.received_at = o.received_at AND q.event_id = o.id
    AND (o.id, o.received_at, coalesce(o.next_attempt_at, '-infinity')) NOT IN (
      SELECT id, received_at, coalesce(next_attempt_at, '-infinity') FROM new_events WHERE status = 'received'
    );
  INSERT INTO stripe_event_queue (received_at, event_id, due_at)
  SELECT received_at, id, next_attempt_at FROM new_events
  WHERE status = 'received'
    AND (id, received_at, coalesce(next_attempt_at, '-infinity')) NOT IN (
      SELECT id, received_at, coalesce(next_attempt_at, '-infinity') FROM old_events WHERE status = 'received'
    );
  RETURN NULL;
END
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION stripe_event_queue_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stripe_event_queue
  WHERE (received_at, event_id) IN (
    SELECT o.received_at, o.id FROM old_events o JOIN new_events n ON n.id = o.id
    WHERE o.status = 'received' AND (n.status <> 'received' OR n.received_at <> o.received_at)
  );
  INSERT INTO stripe_event_queue (received_at, event_id, due_at)
  SELECT n.received_at, n.id, n.next_attempt_at FROM old_events o JOIN new_events n ON n.id = o.id
  WHERE n.status = 'received' AND (o.status <> 'received' OR n.received_at <> o.received_at);
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
