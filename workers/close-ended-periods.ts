import { defineJob } from '../src/queue/define-job.js';

// PLACEHOLDER: replaced by the issue that implements this job.
export const closeEndedPeriods = defineJob({
  name: 'period.close',
  async handle() {
    throw new Error('period.close is not implemented yet');
  },
});
