import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Queues } from './queues.js';
import { JOB_QUEUE, type JobName } from './jobs.js';

function schedules(config: Config): [JobName, number][] {
  return [
    ['maintenance.sweep', config.SWEEP_EVERY_MS],
    ['stripe.reconcile', config.RECONCILE_EVERY_MS],
    ['period.close', config.PERIOD_CLOSE_EVERY_MS],
  ];
}

/** Recurring jobs, registered idempotently by every worker process (BullMQ job schedulers). */
export async function registerSchedules(queues: Queues, config: Config): Promise<void> {
  for (const [name, ms] of schedules(config)) {
    await (await queues.ready(JOB_QUEUE[name])).upsertJobScheduler(name, { every: ms }, { name, data: {} });
  }
}

/**
 * Registers again any recurring job Redis no longer holds (it lost its data: FLUSHALL, a restart
 * without persistence, a failover to an empty replica). Only missing ones: upserting a present
 * scheduler would move its next run. Returns the names it registered.
 */
async function restoreMissingSchedules(queues: Queues, config: Config): Promise<JobName[]> {
  const restored: JobName[] = [];
  for (const [name, ms] of schedules(config)) {
    const queue = await queues.ready(JOB_QUEUE[name]);
    if (await queue.getJobScheduler(name)) continue;
    await queue.upsertJobScheduler(name, { every: ms }, { name, data: {} });
    restored.push(name);
  }
  return restored;
}

/**
 * Each worker process checks its recurring jobs as often as the sweep runs, so a Redis that
 * lost its data gets them back without a restart (and one that was down at start gets them at all).
 * On PostgreSQL the queues are taken through `ready`: a queue built while the database was away
 * keeps that failure, so checking through it would fail for good and leave the sweep unregistered.
 */
export function keepSchedules(queues: Queues, config: Config, logger: Logger): () => void {
  const timer = setInterval(() => {
    restoreMissingSchedules(queues, config)
      .then((restored) => {
        // With Redis: its data was lost. On PostgreSQL: the queue's start met an outage.
        if (restored.length) logger.warn({ restored }, 'recurring jobs were missing from the queue store; registered again');
      })
      .catch((error: unknown) => logger.debug({ err: error }, 'could not check recurring jobs (queue store away?)'));
  }, config.SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
