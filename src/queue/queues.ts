import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { JOB_QUEUE, QUEUES, type JobName, type JobPayloads, type QueueName } from './jobs.js';

/**
 * Producers fail fast when Redis is away (no offline queue, one retry), so a web request
 * never hangs on it: stored work is swept into the queue once Redis is back.
 */
export function createProducerConnection(redisUrl: string, extra: RedisOptions = {}): Redis {
  return new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
    ...extra,
  });
}

/**
 * Connection options for a BullMQ worker, which then owns (and on close, ends) its connection.
 * Workers block on Redis and retry for ever (BullMQ requires maxRetriesPerRequest: null).
 */
export function workerConnectionOptions(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

export interface Queues {
  readonly prefix: string;
  queue(name: QueueName): Queue;
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: JobsOptions): Promise<void>;
  /**
   * Makes sure a live job (waiting, delayed, active…) exists under `jobId`. A finished job under
   * that id, failed or completed, is removed first: BullMQ ignores an add whose id it still
   * holds, so stored work whose job used up its attempts would otherwise never run again.
   * Returns true when it added a job.
   */
  ensure<N extends JobName>(name: N, data: JobPayloads[N], options: JobsOptions & { jobId: string }): Promise<boolean>;
  /** Whether any of these job ids is a live job (waiting, delayed, active…) of that kind's queue. */
  hasLiveJob(name: JobName, jobIds: readonly string[]): Promise<boolean>;
  /** Several jobs of one kind in one Redis round trip. */
  enqueueMany<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; options?: JobsOptions }[]): Promise<void>;
  close(): Promise<void>;
}

const FINISHED_STATES = new Set(['failed', 'completed']);

export function createQueues(
  connection: Redis,
  prefix: string,
  defaults: Partial<Record<JobName, JobsOptions>> = {},
): Queues {
  const queues = new Map<QueueName, Queue>();
  for (const name of Object.values(QUEUES)) {
    const queue = new Queue(name, { connection, prefix });
    // Errors surface on the add() call; without a listener an idle reconnect error would be unhandled.
    queue.on('error', () => {});
    queues.set(name, queue);
  }
  return {
    prefix,
    queue: (name) => queues.get(name)!,
    async enqueue(name, data, options) {
      await queues.get(JOB_QUEUE[name])!.add(name, data, { ...defaults[name], ...options });
    },
    async ensure(name, data, options) {
      const queue = queues.get(JOB_QUEUE[name])!;
      const state = await queue.getJobState(options.jobId);
      if (state !== 'unknown' && !FINISHED_STATES.has(state)) return false;
      if (state !== 'unknown') await queue.remove(options.jobId);
      await queue.add(name, data, { ...defaults[name], ...options });
      return true;
    },
    async hasLiveJob(name, jobIds) {
      const queue = queues.get(JOB_QUEUE[name])!;
      for (const jobId of jobIds) {
        const state = await queue.getJobState(jobId);
        if (state !== 'unknown' && !FINISHED_STATES.has(state)) return true;
      }
      return false;
    },
    async enqueueMany(name, jobs) {
      await queues
        .get(JOB_QUEUE[name])!
        .addBulk(jobs.map(({ data, options }) => ({ name, data, opts: { ...defaults[name], ...options } })));
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
