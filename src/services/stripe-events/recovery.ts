import type { AppContext } from '../../context.js';
import { expireDeferredStripeEvents, hasOverdueStripeEvents, insertStripeEvent, newestStripeEventCreated } from '../../db/stripe-events.js';
import { wakeEventWorkers } from './ingest.js';
import { HANDLED_EVENT_TYPES } from './process.js';

type Deps = Pick<AppContext, 'db' | 'queues' | 'config' | 'logger'>;

/**
 * The stored events' safety net (part of the maintenance sweep): events due for a while — stored
 * or replayed while the queue store was away, or whose retry wake-up was lost, or left by a worker that
 * died mid-batch (its transaction rolled back) — get a worker woken for them; deferred events no
 * payment ever claimed are set aside as ignored (STRIPE_EVENT_OVERDUE_GRACE_MS and
 * STRIPE_EVENT_DEFERRED_MAX_MS say when).
 */
export async function sweepStripeEvents(deps: Deps, now = new Date()): Promise<{ woken: boolean; expired: number }> {
  const overdue = await hasOverdueStripeEvents(deps.db, new Date(now.getTime() - deps.config.STRIPE_EVENT_OVERDUE_GRACE_MS));
  const woken = overdue && (await wakeEventWorkers(deps.queues, 'sweep'));
  const expired = await expireDeferredStripeEvents(deps.db, new Date(now.getTime() - deps.config.STRIPE_EVENT_DEFERRED_MAX_MS));
  return { woken, expired };
}

const RECONCILE_MAX_EVENTS = 10_000;

/**
 * Pages through Stripe's events list (newest first) from a little before the newest event we
 * stored (RECONCILE_OVERLAP_MS; RECONCILE_FIRST_LOOKBACK_MS before now when nothing is stored),
 * and stores and queues every event of a type we handle that we do not have: a webhook that never
 * arrived still counts. Stored events go through the same path as webhooks.
 */
export async function reconcileStripeEvents(deps: Deps & Pick<AppContext, 'stripe'>): Promise<{ seen: number; stored: number }> {
  const newest = await newestStripeEventCreated(deps.db);
  // Stripe's `created` is in seconds; rounding the look-back up only looks further.
  const since = newest !== null
    ? newest - Math.ceil(deps.config.RECONCILE_OVERLAP_MS / 1000)
    : Math.floor(Date.now() / 1000) - Math.ceil(deps.config.RECONCILE_FIRST_LOOKBACK_MS / 1000);
  let seen = 0;
  const stored: string[] = [];
  for await (const event of deps.stripe.events.list({ created: { gt: since }, limit: 100 })) {
    seen += 1;
    if (seen > RECONCILE_MAX_EVENTS) break;
    if (!HANDLED_EVENT_TYPES.has(event.type)) continue;
    const inserted = await insertStripeEvent(
      deps.db,
      { id: event.id, type: event.type, api_version: event.api_version ?? null, livemode: event.livemode, created: event.created },
      JSON.stringify(event),
      'reconciliation',
    );
    if (inserted) stored.push(event.id);
  }
  if (stored.length) await wakeEventWorkers(deps.queues, 'reconcile');
  if (stored.length) deps.logger.info({ stored: stored.length, seen }, 'reconciliation stored events the webhooks missed');
  return { seen: Math.min(seen, RECONCILE_MAX_EVENTS), stored: stored.length };
}
