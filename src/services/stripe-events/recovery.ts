import type { AppContext } from '../../context.js';
import {
  expireDeferredStripeEvents,
  findStalledStripeEvents,
  findRerunsToQueue,
  findUnqueuedStripeEvents,
  insertStripeEvent,
  markStripeEventFailed,
  newestStripeEventCreated,
  rerunJobId,
} from '../../db/stripe-events.js';
import { enqueueStripeEvent } from './ingest.js';
import { HANDLED_EVENT_TYPES } from './process.js';

/** Left to the queue this long before the sweeper assumes it never got there. */
const UNQUEUED_AFTER_MS = 2_000;
/**
 * An attempt started this long ago that has not finished, with no live job left to run it
 * again (Redis lost its data, or the job was removed), is restarted. One with a live job is
 * its job's business: waiting out a backoff, or taken back by BullMQ from a dead worker.
 */
const STALLED_AFTER_MS = 60_000;
/** Stripe keeps events 30 days; nothing of ours waits longer for its payment. */
const DEFERRED_FOR_AT_MOST_MS = 30 * 24 * 3600_000;
const SWEEP_BATCH = 500;

type Deps = Pick<AppContext, 'db' | 'queues' | 'config' | 'logger'>;

/**
 * The stored events' safety net (part of the maintenance sweep): events stored, released or
 * replayed while Redis was away reach the queue, and so do events whose job ended without
 * taking them (it failed on every attempt while the database was away, so nothing recorded
 * it): that finished job is replaced. Events whose worker died get a new job, or are failed
 * once they used all their attempts; deferred events no payment ever claimed are set aside as ignored.
 */
export async function sweepStripeEvents(deps: Deps, now = new Date()): Promise<{ queued: number; restarted: number; expired: number }> {
  let queued = 0;
  for (const id of await findUnqueuedStripeEvents(deps.db, new Date(now.getTime() - UNQUEUED_AFTER_MS), SWEEP_BATCH)) {
    if (await requeue(deps, id, id)) queued += 1;
  }
  for (const event of await findRerunsToQueue(deps.db, SWEEP_BATCH)) {
    if (await requeue(deps, event.id, rerunJobId(event))) queued += 1;
  }
  let restarted = 0;
  for (const { id, attempts, reruns } of await findStalledStripeEvents(deps.db, new Date(now.getTime() - STALLED_AFTER_MS), SWEEP_BATCH)) {
    if (await deps.queues.hasLiveJob('stripe-event.process', jobIdsOf({ id, attempts, reruns }))) continue;
    if (attempts >= deps.config.STRIPE_EVENT_ATTEMPTS) {
      await markStripeEventFailed(deps.db, id, 'stopped mid-way on its last attempt (worker killed?)');
    } else if (await requeue(deps, id, sweepJobId(id, attempts))) {
      restarted += 1;
    }
  }
  const expired = await expireDeferredStripeEvents(deps.db, new Date(now.getTime() - DEFERRED_FOR_AT_MOST_MS));
  return { queued, restarted, expired };
}

function sweepJobId(id: string, attempts: number): string {
  return `${id}-sweep-${attempts}`;
}

/** Every job id an event's current run may have: its first job, its rerun's, earlier sweeps'. */
function jobIdsOf(event: { id: string; attempts: number; reruns: number }): string[] {
  const ids = [event.id, ...Array.from({ length: event.attempts }, (_, n) => sweepJobId(event.id, n + 1))];
  return event.reruns > 0 ? [rerunJobId(event), ...ids] : ids;
}

function requeue(deps: Deps, eventId: string, jobId: string): Promise<boolean> {
  return deps.queues.ensure('stripe-event.process', { eventId }, { jobId });
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
  for (const id of stored) await enqueueStripeEvent(deps.queues, id);
  if (stored.length) deps.logger.info({ stored: stored.length, seen }, 'reconciliation stored events the webhooks missed');
  return { seen: Math.min(seen, RECONCILE_MAX_EVENTS), stored: stored.length };
}
