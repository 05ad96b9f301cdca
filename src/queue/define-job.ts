import type { Job } from 'bullmq';
import type { AppContext } from '../context.js';
import type { JobName, JobPayloads } from './jobs.js';

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  /** Jobs at most this many at once per worker process. */
  concurrency?: number;
  /**
   * A recurring job (sweep, reconciliation, month closing) simply fails while the database is
   * away: its next run comes anyway. Every other job waits the outage out without using up an
   * attempt, so no stored work runs out of retries during a long outage.
   */
  recurring?: boolean;
  /**
   * `shutdown` aborts when the worker process shuts down: a job that works through many items (a
   * batch of receipts) stops starting new ones and hands the rest back, rather than being cut
   * off by SHUTDOWN_TIMEOUT_MS in the middle.
   */
  handle(ctx: AppContext, data: JobPayloads[N], job: Job<JobPayloads[N]>, shutdown: AbortSignal): Promise<void>;
}

export function defineJob<N extends JobName>(definition: JobDefinition<N>): JobDefinition<N> {
  return definition;
}

/** Any one job's definition (a union, so each keeps its own payload type). */
export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];
