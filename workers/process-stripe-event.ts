import { defineJob } from '../src/queue/define-job.js';
import { processStoredEvent } from '../src/services/stripe-events/process.js';

/**
 * Applies one stored Stripe event to the ledger (src/services/stripe-events/process.ts). The job
 * id is the event id; a duplicate or replayed job for a finished event is a no-op, and a job
 * killed mid-way rolls back and is redone without counting anything twice.
 */
export const processStripeEvent = defineJob({
  name: 'stripe-event.process',
  // Events for different payments run side by side (row and advisory locks order the rest),
  // each holding one database connection of the process's pool for its transaction.
  concurrency: 4,
  async handle(ctx, { eventId }, job) {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await processStoredEvent(ctx, eventId, { finalAttempt });
  },
});
