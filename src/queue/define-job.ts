import type { Job } from 'bullmq';
import type { AppContext } from '../context.js';
import type { JobName, JobPayloads } from './jobs.js';

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  /** Jobs at most this many at once per worker process. */
  concurrency?: number;
  handle(ctx: AppContext, data: JobPayloads[N], job: Job<JobPayloads[N]>): Promise<void>;
}

export function defineJob<N extends JobName>(definition: JobDefinition<N>): JobDefinition<N> {
  return definition;
}

/** Any one job's definition (a union, so each keeps its own payload type). */
export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];
