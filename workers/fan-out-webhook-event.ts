import { defineJob } from '../src/queue/define-job.js';

// PLACEHOLDER: replaced by the issue that implements this job.
export const fanOutWebhookEvent = defineJob({
  name: 'webhook.fan-out',
  async handle() {
    throw new Error('webhook.fan-out is not implemented yet');
  },
});
