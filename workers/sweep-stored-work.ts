import { relayOutbox } from '../src/queue/outbox-relay.js';
import { defineJob } from '../src/queue/define-job.js';
import { purgeExpiredIdempotencyKeys } from '../src/db/idempotency-keys.js';
import { requeueStrandedReceipts } from '../src/services/receipts.js';
import { requeueOverdueDeliveries } from '../src/services/webhook-delivery.js';
import { sweepStripeEvents } from '../src/services/stripe-events/recovery.js';

/**
 * Safety net for "enqueue after commit": anything committed while Redis was away, or by a
 * process that died before enqueueing, reaches the queue here.
 */
export const sweepStoredWork = defineJob({
  name: 'maintenance.sweep',
  async handle(ctx) {
    const relayed = await relayOutbox(ctx.db, ctx.queues);
    if (relayed) ctx.logger.info({ relayed }, 'outbox rows swept into the queue');
    const stripeEvents = await sweepStripeEvents(ctx);
    if (stripeEvents.woken || stripeEvents.expired) ctx.logger.info(stripeEvents, 'a worker woken for overdue Stripe events, or deferred ones set aside');
    const deliveries = await requeueOverdueDeliveries(ctx);
    if (deliveries) ctx.logger.info({ deliveries }, 'overdue webhook attempts queued again');
    const receipts = await requeueStrandedReceipts(ctx);
    if (receipts) ctx.logger.info({ receipts }, 'pending receipts whose job was lost queued again');
    await purgeExpiredIdempotencyKeys(ctx.db);
  },
});
