import { defineJob } from '../src/queue/define-job.js';
import { fanOutEvent } from '../src/services/webhook-delivery.js';

/** One delivery per enabled endpoint subscribed to the event, and the first attempt of each. */
export const fanOutWebhookEvent = defineJob({
  name: 'webhook.fan-out',
  async handle(ctx, { eventId }) {
    await fanOutEvent(ctx, eventId);
  },
});
