import { defineJob } from '../src/queue/define-job.js';
import { reconcileStripeEvents as reconcile } from '../src/services/stripe-events/recovery.js';

/** Every RECONCILE_EVERY_MS: Stripe's events list, for any event the webhooks never delivered. */
export const reconcileStripeEvents = defineJob({
  name: 'stripe.reconcile',
  recurring: true,
  async handle(ctx) {
    await reconcile(ctx);
  },
});
