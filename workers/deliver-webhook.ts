import { defineJob } from '../src/queue/define-job.js';

// PLACEHOLDER: replaced by the issue that implements this job.
export const deliverWebhook = defineJob({
  name: 'webhook.deliver',
  async handle() {
    throw new Error('webhook.deliver is not implemented yet');
  },
});
