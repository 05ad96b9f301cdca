import { withTransaction, type Db } from '../db/pool.js';
import { claimUndispatched, markDispatched, type OutboxRow } from '../db/outbox.js';
import type { JobName, JobPayloads } from './jobs.js';
import type { Queues } from './queues.js';

/** Job id derived from the row id, so a row relayed twice (a crash between add and mark) is still one job. */
function enqueueRow(queues: Queues, row: OutboxRow): Promise<void> {
  return queues.enqueue(row.job_name, row.payload as JobPayloads[JobName], { jobId: `outbox-${row.id}` });
}

/** Moves committed outbox rows into BullMQ. Returns how many moved. */
export async function relayOutbox(db: Db, queues: Queues, batchSize = 200): Promise<number> {
  let moved = 0;
  for (;;) {
    const count = await withTransaction(db, async (client) => {
      const rows = await claimUndispatched(client, batchSize);
      for (const row of rows) await enqueueRow(queues, row);
      if (rows.length) await markDispatched(client, rows.map((row) => row.id));
      return rows.length;
    });
    moved += count;
    if (count < batchSize) return moved;
  }
}

const pendingMarks = new Map<Db, { ids: number[]; timer: NodeJS.Timeout }>();

/** Marks gathered for `everyMs` (OUTBOX_MARK_EVERY_MS) share one UPDATE (and one commit) instead of one each. */
function markSoon(db: Db, ids: readonly number[], everyMs: number): void {
  let pending = pendingMarks.get(db);
  if (!pending) {
    const timer = setTimeout(() => {
      const batch = pendingMarks.get(db)!;
      pendingMarks.delete(db);
      // A mark that never lands leaves the row to the sweeper, which adds the same job id again.
      markDispatched(db, batch.ids).catch(() => {});
    }, everyMs);
    pending = { ids: [], timer };
    pendingMarks.set(db, pending);
  }
  pending.ids.push(...ids);
}

/**
 * Relays the rows one transaction wrote, right after its commit, without scanning the table or
 * locking anything: the rows are known. Should the mark not land (this process dies first), the
 * sweeper relays them again under the same job ids, as after a crash between add and mark.
 */
export async function relayOutboxRows(db: Db, queues: Queues, rows: readonly OutboxRow[], markEveryMs: number): Promise<void> {
  if (!rows.length) return;
  // One Redis round trip per job name (a batch writes receipts and consumer events).
  const byName = new Map<JobName, OutboxRow[]>();
  for (const row of rows) byName.set(row.job_name, [...(byName.get(row.job_name) ?? []), row]);
  await Promise.all(
    [...byName].map(([name, named]) =>
      queues.enqueueMany(name, named.map((row) => ({ data: row.payload as JobPayloads[JobName], options: { jobId: `outbox-${row.id}` } }))),
    ),
  );
  markSoon(db, rows.map((row) => row.id), markEveryMs);
}
