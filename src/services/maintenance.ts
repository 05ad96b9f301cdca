import type { AppContext } from '../context.js';
import { purgeExpiredIdempotencyKeys } from '../db/idempotency-keys.js';
import { deleteDispatchedOutbox } from '../db/outbox.js';
import type { Queryable } from '../db/pool.js';
import { deleteEndedRateLimits } from '../db/rate-limits.js';
import { relayOutbox } from '../queue/outbox-relay.js';
import { requeueStrandedReceipts } from './receipts.js';
import { sweepStripeEvents } from './stripe-events/recovery.js';
import { requeueOverdueDeliveries } from './webhook-delivery.js';

interface OutboxRetention {
  readonly keptMs: number;
  readonly batch: number;
  readonly statements: number;
}

/**
 * How long a dispatched outbox row is kept, and how the sweep deletes older ones. After dispatch a
 * row's work is a BullMQ job, so the row is only a record for an operator looking into what was
 * queued lately. Rows go `batch` per DELETE, so each statement stays short however far behind
 * the sweep is, and at most `statements` DELETEs per sweep: 100,000 rows every SWEEP_EVERY_MS
 * (30 s) outpaces any event rate, and the first sweep after an upgrade, facing the deployment's
 * whole history, does not hold back the next sweeps' relay and requeues for minutes: it takes
 * several.
 */
export const OUTBOX_RETENTION: OutboxRetention = { keptMs: 24 * 3_600_000, batch: 5_000, statements: 20 };

/** Deletes outbox rows dispatched over `keptMs` ago, within the sweep's limits; returns how many went. */
export async function pruneDispatchedOutbox(db: Queryable, limits: OutboxRetention = OUTBOX_RETENTION): Promise<number> {
  let deleted = 0;
  for (let statement = 0; statement < limits.statements; statement += 1) {
    const count = await deleteDispatchedOutbox(db, limits.keptMs, limits.batch);
    deleted += count;
    if (count < limits.batch) break;
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
  const pruned = await pruneDispatchedOutbox(ctx.db);
  if (pruned) ctx.logger.debug({ pruned }, 'outbox rows dispatched over a day ago deleted');
}
