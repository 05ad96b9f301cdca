import { defineJob } from '../src/queue/define-job.js';
import { drainStoredEvents } from '../src/services/stripe-events/process.js';

/**
 * A wake-up: applies the stored Stripe events that are due, in batches of LEDGER_BATCH_SIZE
 * events per transaction, until none is left (src/services/stripe-events/process.ts). Any number
 * of wake-ups may arrive for the same events; each claim skips what another batch holds, and a
 * worker killed mid-batch rolls back, leaving its events to the next claim.
 */
export const processStripeEvent = defineJob({
  name: 'stripe-event.process',
  // Two batches side by side per process: one applies while the other waits on its commit.
  concurrency: 2,
  async handle(ctx) {
    await drainStoredEvents(ctx);
  },
});
