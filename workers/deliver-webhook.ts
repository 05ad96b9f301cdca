import { defineJob } from '../src/queue/define-job.js';
import { attemptDelivery } from '../src/services/webhook-delivery.js';

/**
 * One signed POST of one event to one endpoint. Receiver failures are recorded and answered
 * with the next scheduled attempt (a new job), not by throwing: BullMQ's own retries are left
 * for our failures (database away), which the sweeper picks up.
 */
export const deliverWebhook = defineJob({
  name: 'webhook.deliver',
  // Attempts mostly wait on receivers; slow ones must not hold up the rest.
  concurrency: 20,
  async handle(ctx, { deliveryId, attempt }) {
    await attemptDelivery(ctx, deliveryId, attempt);
  },
});
