import { withTransaction, type Db } from '../db/pool.js';
import { claimUndispatched, markDispatched } from '../db/outbox.js';
import type { JobName, JobPayloads } from './jobs.js';
import type { Queues } from './queues.js';

/**
 * Moves committed outbox rows into BullMQ. The job id is derived from the row id, so a row
 * relayed twice (a crash between add and mark) is still one job. Returns how many moved.
 */
export async function relayOutbox(db: Db, queues: Queues, batchSize = 200): Promise<number> {
  let moved = 0;
  for (;;) {
    const count = await withTransaction(db, async (client) => {
      const rows = await claimUndispatched(client, batchSize);
      for (const row of rows) {
        await queues.enqueue(row.job_name, row.payload as JobPayloads[JobName], { jobId: `outbox-${row.id}` });
      }
      if (rows.length) await markDispatched(client, rows.map((row) => row.id));
      return rows.length;
    });
    moved += count;
    if (count < batchSize) return moved;
  }
}
