-- Up Migration

-- The queue's update trigger, without joining the statement's old rows to its new ones.
--
-- The trigger of 1798400000000 paired each event's old and new row (old_events JOIN new_events)
-- to keep the queue row of an event that stays 'received' and only change its due_at. The
-- transition tables have no index and no statistics: the planner counts their rows but guesses
-- one row after a filter on status, so some of its three joins were nested loops over both
-- tables, and PL/pgSQL keeps a statement's plan from the connection's first call, where a
-- worker's first small batch made every join one. An outcome statement (one UPDATE for a batch's
-- events, ~1.8 kB payloads, measured on this migration's schema) took 2.2 ms for 100 events and
-- 9.9 ms for 400 on a fresh connection, 4.3 and 56 ms after a first call with one event; the
-- UPDATE alone takes 0.9 and 2.6 ms. With this trigger: 1.5 and 3.3 ms. In a P3 run the
-- trigger's statements were half the time of the worker's outcome statements.
--
-- Now each transition table is read once, in a statement of its own: every old row that was on
-- the queue leaves it (found by the queue's key), and every new row that is 'received' goes onto
-- it with its due_at. An event that stays 'received' (a retry's new time, a requeue, an
-- operator's edit) has its queue row deleted and inserted again within the statement, which is
-- what the UPDATE of its due_at did; a claim skips the row while this transaction holds it
-- either way. The settings hold the delete to the queue's key however the planner sees the
-- queue's statistics (as for claim_stripe_events: a drained backlog leaves a large heap with
-- few rows counted), and are the function's own, not the UPDATE's that fires it.
CREATE OR REPLACE FUNCTION stripe_event_queue_updated() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
BEGIN
  DELETE FROM stripe_event_queue q USING old_events o
  WHERE o.status = 'received' AND q.received_at = o.received_at AND q.event_id = o.id;
  INSERT INTO stripe_event_queue (received_at, event_id, due_at)
  SELECT received_at, id, next_attempt_at FROM new_events WHERE status = 'received';
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
