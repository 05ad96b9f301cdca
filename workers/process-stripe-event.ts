import { defineJob } from '../src/queue/define-job.js';

// PLACEHOLDER: replaced by the issue that implements this job.
export const processStripeEvent = defineJob({
  name: 'stripe-event.process',
  async handle() {
    throw new Error('stripe-event.process is not implemented yet');
  },
});
