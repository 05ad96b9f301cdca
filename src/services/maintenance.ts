import type { AppContext } from '../context.js';
import { purgeExpiredIdempotencyKeys } from '../db/idempotency-keys.js';
import { deleteDispatchedOutbox } from '../db/outbox.js';
import { deleteEndedRateLimits } from '../db/rate-limits.js';
import { relayOutbox } from '../queue/outbox-relay.js';
import { requeueStrandedReceipts } from './receipts.js';
import { sweepStripeEvents } from './stripe-events/recovery.js';
import { requeueOverdueDeliveries } from './webhook-delivery.js';

/**
 * How long a dispatched outbox row is kept: its work is a BullMQ job from then on, so the row is
 * only a record for an operator looking into what was queued lately.
 */
const OUTBOX_KEPT_MS = 24 * 3_600_000;
/** Rows per DELETE, so each statement stays short however far behind the sweep is. */
const OUTBOX_DELETE_BATCH = 5_000;
/**
 * DELETEs per sweep: 100,000 rows every SWEEP_EVERY_MS (30 s) outpaces any event rate, and the
 * first sweep after an upgrade, facing the deployment's whole history, does not hold back the
 * next sweeps' relay and requeues for minutes: it takes several.
 */
const OUTBOX_DELETES_PER_SWEEP = 20;

async function pruneDispatchedOutbox(ctx: AppContext): Promise<number> {
  let deleted = 0;
  for (let statement = 0; statement < OUTBOX_DELETES_PER_SWEEP; statement += 1) {
    const count = await deleteDispatchedOutbox(ctx.db, OUTBOX_KEPT_MS, OUTBOX_DELETE_BATCH);
    deleted += count;
    if (count < OUTBOX_DELETE_BATCH) break;
  }
  return deleted;
}

/**
 * Safety net for "enqueue after commit": anything committed while Redis was away, or by a
 * process that died before enqueueing, reaches the queue here.
 */
export async function sweepStoredWork(ctx: AppContext): Promise<void> {
  const relayed = await relayOutbox(ctx.db, ctx.queues);
  if (relayed) ctx.logger.info({ relayed }, 'outbox rows swept into the queue');
  const stripeEvents = await sweepStripeEvents(ctx);
  if (stripeEvents.woken || stripeEvents.expired) ctx.logger.info(stripeEvents, 'a worker woken for overdue Stripe events, or deferred ones set aside');
  const deliveries = await requeueOverdueDeliveries(ctx);
  if (deliveries) ctx.logger.info({ deliveries }, 'overdue webhook attempts queued again');
  const receipts = await requeueStrandedReceipts(ctx);
  if (receipts) ctx.logger.info({ receipts }, 'pending receipts whose job was lost queued again');
  await purgeExpiredIdempotencyKeys(ctx.db);
  // Rate-limit windows kept in PostgreSQL (no REDIS_URL) that have ended.
  await deleteEndedRateLimits(ctx.db);
  const pruned = await pruneDispatchedOutbox(ctx);
  if (pruned) ctx.logger.debug({ pruned }, 'outbox rows dispatched over a day ago deleted');
}
