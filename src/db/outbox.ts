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

/**
 * Maintenance: deletes up to `limit` rows dispatched more than `olderThanMs` ago. Kept: a row
 * whose receipts are still to send, since the sweeper finds a stranded receipt's job through it
 * (strandedReceipts). Returns how many were deleted. No ORDER BY: which old rows go first does
 * not matter, and a sort would read every old row before the LIMIT; ANY(ARRAY(…)) deletes by key
 * instead of joining the whole table to the chosen ids.
 */
export async function deleteDispatchedOutbox(db: Queryable, olderThanMs: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM outbox WHERE id = ANY(ARRAY(
       SELECT o.id FROM outbox o
       WHERE o.dispatched_at < now() - make_interval(secs => $1 / 1000.0)
         AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.outbox_id = o.id AND r.status IN ('pending', 'sending'))
       LIMIT $2))`,
    [olderThanMs, limit],
  );
  return rowCount ?? 0;
}
