import type { Config } from '../config.js';
import type { Queues } from './queues.js';
import { JOB_QUEUE, type JobName } from './jobs.js';

/** Recurring jobs, registered idempotently by every worker process (BullMQ job schedulers). */
export async function registerSchedules(queues: Queues, config: Config): Promise<void> {
  const every: [JobName, number][] = [
    ['maintenance.sweep', config.SWEEP_EVERY_MS],
    ['stripe.reconcile', config.RECONCILE_EVERY_MS],
    ['period.close', 60_000],
  ];
  for (const [name, ms] of every) {
    await queues.queue(JOB_QUEUE[name]).upsertJobScheduler(name, { every: ms }, { name, data: {} });
  }
}
