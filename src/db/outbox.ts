import type { Queryable } from './pool.js';
import type { JobName } from '../queue/jobs.js';

export interface OutboxRow {
  id: number;
  job_name: JobName;
  payload: unknown;
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
  await db.query(
    `UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[]) AND dispatched_at IS NULL`,
    [ids],
  );
}
