import { defineJob } from '../src/queue/define-job.js';
import { sweepStoredWork as sweep } from '../src/services/maintenance.js';

/** Every SWEEP_EVERY_MS: stored work whose job never reached the queue gets one (see sweepStoredWork). */
export const sweepStoredWork = defineJob({
  name: 'maintenance.sweep',
  recurring: true,
  async handle(ctx) {
    await sweep(ctx);
  },
});
