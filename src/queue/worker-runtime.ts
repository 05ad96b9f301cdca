import { DelayedError, type Job } from 'bullmq';
import type { AppContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/pool.js';
import { jobDuration } from '../metrics.js';
import type { AnyJobDefinition } from './define-job.js';
import { JOB_QUEUE, QUEUES, type JobName, type QueueName } from './jobs.js';
import type { AnyWorker } from './queues.js';

/** Every job name has exactly one handler, or the process refuses to start. */
export function buildRegistry(definitions: readonly AnyJobDefinition[]): Map<JobName, AnyJobDefinition> {
  const registry = new Map<JobName, AnyJobDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.name)) throw new Error(`Two handlers for job "${definition.name}"`);
    registry.set(definition.name, definition);
  }
  const missing = (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => !registry.has(name));
  if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
  return registry;
}

/**
 * A job that failed because the database is away goes back to the delayed set without counting
 * as an attempt (BullMQ counts only failures, not DelayedError), so an outage longer than the
 * job's whole retry schedule does not leave it failed with its work still undone. It looks
 * again after DATABASE_OUTAGE_RETRY_MS.
 */
async function postponeForOutage(job: Job, token: string | undefined, retryMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + retryMs, token);
  throw new DelayedError();
}

/** For a job BullMQ handed no signal (it always does to a processor that takes one): never aborted. */
const NEVER_STOPPED = new AbortController().signal;

export interface RunningWorkers {
  workers: AnyWorker[];
  /** Finishes the jobs in hand (or gives them back to the queue) and disconnects. */
  close(): Promise<void>;
}

export function startWorkers(
  ctx: AppContext,
  registry: Map<JobName, AnyJobDefinition>,
  options: { queues?: QueueName[] } = {},
): RunningWorkers {
  const queueNames = options.queues ?? Object.values(QUEUES);
  let closing = false;
  const retries = new Set<NodeJS.Timeout>();
  const workers: AnyWorker[] = [];
  const open = (queueName: QueueName, index: number): AnyWorker => {
    const definitions = [...registry.values()].filter((definition) => JOB_QUEUE[definition.name] === queueName);
    const concurrency = Math.max(1, ...definitions.map((definition) => definition.concurrency ?? 1));
    const worker = ctx.queues.transport.createWorker(
      queueName,
      // Declaring the third parameter is what makes BullMQ hand each job an abort signal (cancelAllJobs, at close).
      async (job: Job, token?: string, signal?: AbortSignal) => {
        const definition = registry.get(job.name as JobName);
        if (!definition) throw new Error(`No handler for job "${job.name}" on queue ${queueName}`);
        const stop = jobDuration.startTimer({ job: job.name });
        try {
          // The registry keyed this definition by job.name, so the payload is the one it expects.
          await (definition.handle as (c: AppContext, d: unknown, j: Job, shutdown: AbortSignal) => Promise<void>)(ctx, job.data, job, signal ?? NEVER_STOPPED);
          stop({ outcome: 'completed' });
        } catch (error) {
          if (!definition.recurring && isDatabaseUnavailable(error)) {
            stop({ outcome: 'postponed' });
            ctx.logger.debug({ err: error, job: job.name, jobId: job.id }, 'database unavailable; job postponed without using an attempt');
            return postponeForOutage(job, token, ctx.config.DATABASE_OUTAGE_RETRY_MS);
          }
          stop({ outcome: 'failed' });
          throw error;
        }
      },
      concurrency,
    );
    worker.on('failed', (job, error) =>
      ctx.logger.warn({ err: error, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade }, 'job failed'),
    );
    worker.on('error', (error) => ctx.logger.debug({ err: error, queue: queueName }, 'worker connection error'));
    // BullMQ's PostgreSQL worker checks its schema once, at its start, and keeps a failure for
    // good: one whose start met an outage (the database stopped right after it answered) would
    // never take a job, silently. It is replaced after DATABASE_OUTAGE_RETRY_MS, until one starts.
    if (ctx.queues.transport.kind === 'postgres') {
      worker.waitUntilReady().catch((error: unknown) => {
        if (closing) return;
        ctx.logger.warn({ err: error, queue: queueName }, 'worker could not start (database away?); starting it again');
        const retry = setTimeout(() => {
          retries.delete(retry);
          if (closing) return;
          workers[index] = open(queueName, index);
          worker.close().catch(() => {});
        }, ctx.config.DATABASE_OUTAGE_RETRY_MS);
        retries.add(retry);
      });
    }
    return worker;
  };
  queueNames.forEach((queueName, index) => workers.push(open(queueName, index)));
  return {
    workers,
    async close() {
      closing = true;
      for (const retry of retries) clearTimeout(retry);
      // Jobs in hand are told to wrap up (see JobDefinition.handle); close waits for them.
      for (const worker of workers) worker.cancelAllJobs('the worker is shutting down');
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
