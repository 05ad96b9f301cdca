-- Up Migration

-- The worker's claim, as a function for one reason: its planner settings. The claim wants the
-- first due events in the queue's key order, which the key's index gives in a few pages however
-- large the queue's heap is. But after a backlog drains, the heap keeps the size it reached (vacuum
-- frees its pages, and truncates them only from the end, once no row lives there), while its
-- statistics count the few rows left: reading each of them through the index then looks dearer
-- than reading the heap whole and sorting it. Measured after 300,000 events went through the queue
-- at once: the heap kept 1,911 pages, and a claim of 100 events with 201 waiting read all of them
-- (21 ms, against 0.9 ms through the index). The planner weighs the index's pages too, and a
-- B-tree keeps its size, so whenever a claim takes more than about a third of what is waiting (the
-- usual case) it prefers the heap; on a small queue that costs nothing, on one a backlog left large
-- it costs a whole read of that heap per claim. The index is the right way however the statistics
-- stand, and settings of the function's own keep the planner on it (they price the other ways out,
-- and the index's way is always there) without touching the batch's other statements (SET LOCAL
-- would) or the server's. stripe_events is reached by its key, one event after another, for the
-- same reason: a claim is a batch's worth of events, never a share of the table. PostgreSQL 15 to
-- 17 plan the body at each call, without the call's values; 18 keeps its plan per connection, as
-- for a prepared statement. The settings hold the plan's shape either way. A migration changing
-- the type of a column of stripe_events makes the claim stale on connections that prepared it:
-- they are dropped once (src/db/pool.ts isStalePreparedStatement).
CREATE FUNCTION claim_stripe_events(claim_limit integer, claim_from timestamptz)
RETURNS SETOF stripe_events
LANGUAGE sql VOLATILE
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
  WITH picked AS (
    SELECT event_id FROM stripe_event_queue
    WHERE received_at >= claim_from AND (due_at IS NULL OR due_at <= now())
    ORDER BY received_at, event_id
    LIMIT claim_limit
    FOR UPDATE SKIP LOCKED
  )
  SELECT stripe_events.* FROM stripe_events JOIN picked ON id = event_id
  ORDER BY received_at, id
  FOR UPDATE OF stripe_events SKIP LOCKED
$$;

-- Down Migration
DROP FUNCTION claim_stripe_events(integer, timestamptz);
