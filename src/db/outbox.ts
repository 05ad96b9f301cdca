import type { Queryable } from './pool.js';
import type { JobName, JobPayloads } from '../queue/jobs.js';

export interface OutboxRow {
  id: number;
  job_name: JobName;
  payload: unknown;
}

/** Rows written through a transaction's client, for relaying exactly those after its commit. */
const written = new WeakMap<object, OutboxRow[]>();

/**
 * Runs `work` with the rows `writeOutbox` writes through this client listed in `rows`, so the
 * committer can relay its own rows without scanning the table for them.
 */
export async function withOutboxWrites<T>(db: Queryable, work: (rows: readonly OutboxRow[]) => Promise<T>): Promise<T> {
  const rows: OutboxRow[] = [];
  written.set(db, rows);
  try {
    return await work(rows);
  } finally {
    written.delete(db);
  }
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
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ($1, $2, $3)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [jobName, JSON.stringify(payload), dedupeKey ?? null],
  );
  const row = rows[0];
  if (row) written.get(db)?.push({ id: row.id, job_name: jobName, payload });
  return row !== undefined;
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
