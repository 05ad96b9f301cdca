import type { Queryable } from './pool.js';
import type { JobName, JobPayloads } from '../queue/jobs.js';

export interface OutboxRow {
  id: number;
  job_name: JobName;
  payload: unknown;
}

/**
 * Records a job inside the caller's transaction. `dedupeKey` makes writing the same logical
 * job twice a no-op (e.g. the receipt for one donation).
 */
export async function writeOutbox<N extends JobName>(
  db: Queryable,
  jobName: N,
  payload: JobPayloads[N],
  dedupeKey?: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ($1, $2, $3)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [jobName, JSON.stringify(payload), dedupeKey ?? null],
  );
  return rowCount === 1;
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
  await db.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
}
