import type { Bench } from '../lib/bench.js';
import { benchEndToEnd } from './end-to-end.js';

/** P3 with neither Redis for the service nor for its baseline: the queues on PostgreSQL (issue 15). */
export function benchEndToEndPostgresOnly(bench: Bench): Promise<void> {
  return benchEndToEnd(bench, { queues: 'postgres' });
}
