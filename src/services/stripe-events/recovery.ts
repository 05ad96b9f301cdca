import type { AppContext } from '../../context.js';
import { expireDeferredStripeEvents, hasOverdueStripeEvents, insertStripeEvent, newestStripeEventCreated } from '../../db/stripe-events.js';
import { wakeEventWorkers } from './ingest.js';
import { HANDLED_EVENT_TYPES } from './process.js';

/** Due this long with no worker taking it: its wake-up never reached a worker. */
const OVERDUE_AFTER_MS = 2_000;
/** Stripe keeps events 30 days; nothing of ours waits longer for its payment. */
const DEFERRED_FOR_AT_MOST_MS = 30 * 24 * 3600_000;

type Deps = Pick<AppContext, 'db' | 'queues' | 'config' | 'logger'>;

/**
 * The stored events' safety net (part of the maintenance sweep): events due for a while — stored
 * or replayed while the queue store was away, or whose retry wake-up was lost, or left by a worker that
 * died mid-batch (its transaction rolled back) — get a worker woken for them; deferred events no
 * payment ever claimed are set aside as ignored.
 */
export async function sweepStripeEvents(deps: Deps, now = new Date()): Promise<{ woken: boolean; expired: number }> {
  const overdue = await hasOverdueStripeEvents(deps.db, new Date(now.getTime() - OVERDUE_AFTER_MS));
  const woken = overdue && (await wakeEventWorkers(deps.queues, 'sweep'));
  const expired = await expireDeferredStripeEvents(deps.db, new Date(now.getTime() - DEFERRED_FOR_AT_MOST_MS));
  return { woken, expired };
}

/** Reconciliation looks back this far before the newest stored event, for deliveries that failed in between. */
const RECONCILE_OVERLAP_SECONDS = 3600;
/** With nothing stored yet, it looks back over Stripe's own retry window. */
const RECONCILE_FIRST_LOOKBACK_SECONDS = 3 * 24 * 3600;
const RECONCILE_MAX_EVENTS = 10_000;

/**
 * Pages through Stripe's events list (newest first) from a little before the newest event we
 * stored, and stores and queues every event of a type we handle that we do not have: a webhook
 * that never arrived still counts. Stored events go through the same path as webhooks.
 */
export async function reconcileStripeEvents(deps: Deps & Pick<AppContext, 'stripe'>): Promise<{ seen: number; stored: number }> {
  const newest = await newestStripeEventCreated(deps.db);
  const since = newest !== null
    ? newest - RECONCILE_OVERLAP_SECONDS
    : Math.floor(Date.now() / 1000) - RECONCILE_FIRST_LOOKBACK_SECONDS;
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
