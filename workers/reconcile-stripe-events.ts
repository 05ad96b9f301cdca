import { defineJob } from '../src/queue/define-job.js';

// PLACEHOLDER: replaced by the issue that implements this job.
export const reconcileStripeEvents = defineJob({
  name: 'stripe.reconcile',
  async handle() {
    throw new Error('stripe.reconcile is not implemented yet');
  },
});
