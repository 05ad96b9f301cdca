import type { Queryable } from './pool.js';
import type { JobName, JobPayloads } from '../queue/jobs.js';

export interface OutboxRow {
  id: number;
  job_name: JobName;
  payload: unknown;
}

/**
 * Records a job inside the caller's transaction. `dedupeKey` makes writing the same logical
 * job twice a no-op (e.g. the receipt for one donation). Returns the row, for the committer to
 * relay right after its commit, or null when it existed.
 */
export async function writeOutbox<N extends JobName>(
  db: Queryable,
  jobName: N,
  payload: JobPayloads[N],
  dedupeKey?: string,
): Promise<OutboxRow | null> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ($1, $2, $3)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [jobName, JSON.stringify(payload), dedupeKey ?? null],
  );
  const row = rows[0];
  return row ? { id: row.id, job_name: jobName, payload } : null;
}

/** Oldest undispatched rows, locked so two relays never hand out the same row. */
export async function claimUndispatched(db: Queryable, limit: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<OutboxRow>(
    `SELECT id, job_name, payload FROM outbox WHERE dispatched_at IS NULL
     ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows;
}

export async function markDispatched(db: Queryable, ids: number[]): Promise<void> {
  await db.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[]) AND dispatched_at IS NULL`, [ids]);
}
