-- Up Migration

-- Rate-limit windows when there is no Redis (REDIS_URL unset): one row per limiter key and
-- client, counted in a fixed window. UNLOGGED: counters are worth no WAL flush, and losing them
-- in a crash only resets some windows early.
CREATE UNLOGGED TABLE rate_limit_counters (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  reset_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE rate_limit_counters;
