import type { Queryable } from './pool.js';

export interface RateLimitWindow {
  hits: number;
  reset_at: Date;
}

/** One more hit in the key's window; a window that has ended starts again at 1. */
export async function incrementRateLimit(db: Queryable, key: string, windowMs: number): Promise<RateLimitWindow> {
  const { rows } = await db.query<RateLimitWindow>(
    `INSERT INTO rate_limit_counters AS counter (key, hits, reset_at)
     VALUES ($1, 1, now() + $2 * interval '1 millisecond')
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN counter.reset_at <= now() THEN 1 ELSE counter.hits + 1 END,
       reset_at = CASE WHEN counter.reset_at <= now() THEN EXCLUDED.reset_at ELSE counter.reset_at END
     RETURNING hits, reset_at`,
    [key, windowMs],
  );
  return rows[0]!;
}

export async function decrementRateLimit(db: Queryable, key: string): Promise<void> {
  await db.query('UPDATE rate_limit_counters SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND reset_at > now()', [key]);
}

export async function resetRateLimit(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM rate_limit_counters WHERE key = $1', [key]);
}

/** Maintenance: windows that ended (their clients came back no more). */
export async function deleteEndedRateLimits(db: Queryable): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM rate_limit_counters WHERE reset_at <= now()');
  return rowCount ?? 0;
}
