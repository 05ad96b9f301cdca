import type { AppContext } from '../../context.js';
import { findCampaignById, type CampaignRow } from '../../db/campaigns.js';
import { lockStripeIds } from '../../db/locks.js';
import { withTransaction, type DbClient } from '../../db/pool.js';
import { claimStripeEvents, recordStripeEventFailure, type StoredStripeEvent } from '../../db/stripe-events.js';
import { countDonation, stripeEventsFailed, stripeEventsProcessed } from '../../metrics.js';
import { relayOutboxRows } from '../../queue/outbox-relay.js';
import { LedgerBatch, type AfterCommit } from '../ledger/apply.js';
import { ignored, type EventEffects } from '../ledger/effects.js';
import { publishProgressChange } from '../progress-events.js';
import { chargeRefunded, chargeSucceeded, disputeHandler } from './charges.js';
import { checkoutSessionHandler } from './checkout-sessions.js';
import { invoicePaid, invoicePaymentPaid, subscriptionDeleted } from './invoices.js';
import { wakeEventWorkers } from './ingest.js';
import type { EventHandler, EventInput, LedgerRead } from './types.js';

/** Event type → handler. Anything else Stripe sends is stored and marked ignored. */
const HANDLERS: Readonly<Record<string, EventHandler>> = {
  'checkout.session.completed': checkoutSessionHandler('completed'),
  'checkout.session.async_payment_succeeded': checkoutSessionHandler('async_payment_succeeded'),
  'checkout.session.async_payment_failed': checkoutSessionHandler('async_payment_failed'),
  'checkout.session.expired': checkoutSessionHandler('expired'),
  'invoice.paid': invoicePaid,
  // Stripe sends both for one payment; the invoice id makes the second a no-op.
  'invoice.payment_succeeded': invoicePaid,
  'invoice_payment.paid': invoicePaymentPaid,
  'customer.subscription.deleted': subscriptionDeleted,
  'charge.succeeded': chargeSucceeded,
  'charge.refunded': chargeRefunded,
  'charge.dispute.created': disputeHandler(false),
  'charge.dispute.closed': disputeHandler(true),
};

export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

function inputOf(stored: StoredStripeEvent): EventInput {
  return { id: stored.id, type: stored.type, created: stored.created, object: stored.payload.data?.object };
}

function lockIdsOf(stored: StoredStripeEvent): (string | null | undefined)[] {
  const handler = HANDLERS[stored.type];
  const object = stored.payload.data?.object;
  return handler && object ? handler.lockIds(object) : [];
}

function decide(read: LedgerRead, stored: StoredStripeEvent): Promise<EventEffects> {
  const handler = HANDLERS[stored.type];
  if (!handler) return Promise.resolve(ignored('Goalpost does not use this event type'));
  return handler.decide(read, inputOf(stored));
}

function ledgerRead(client: DbClient): LedgerRead {
  const campaigns = new Map<number, CampaignRow | null>();
  return {
    db: client,
    async campaign(id) {
      if (!campaigns.has(id)) campaigns.set(id, await findCampaignById(client, id));
      return campaigns.get(id)!;
    },
  };
}

/** A deadlock or serialization failure is no fault of the event: it is taken again at once. */
function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '40P01' || code === '40001';
}

/** Exponential, like a queue's retries: 1 s, 2 s, 4 s, … after the 1st, 2nd, 3rd failed attempt. */
const retryDelayMs = (attempt: number) => 1_000 * 2 ** (attempt - 1);

export type ProcessDeps = Pick<AppContext, 'db' | 'queues' | 'redis' | 'progress' | 'config' | 'logger'>;

interface BatchResult {
  claimed: number;
  after: AfterCommit;
  tally: { type: string; status: string }[];
  /** When the earliest failed event may run again, if one will. */
  retryInMs: number | null;
}

/**
 * Applies one batch of stored events in one transaction: claims up to `limit` due events (other
 * workers skip them), locks the Stripe ids of all of them in sorted order, then decides and
 * applies each in its own savepoint — a failing event rolls back alone and is recorded (to be
 * retried after a backoff, or 'failed' after its last attempt) — and writes the campaign-wide
 * parts once for the batch (ledger/apply.ts) before the one commit. Returns how many events it
 * claimed (0: nothing was due).
 */
export async function applyEventBatch(deps: ProcessDeps, limit: number): Promise<number> {
  const result = await withTransaction(deps.db, async (client): Promise<BatchResult | null> => {
    const events = await claimStripeEvents(client, limit);
    if (!events.length) return null;
    await lockStripeIds(client, events.flatMap(lockIdsOf));
    const read = ledgerRead(client);
    const batch = new LedgerBatch(client);
    const tally: BatchResult['tally'] = [];
    let retryInMs: number | null = null;
    for (const stored of events) {
      await client.query('SAVEPOINT stripe_event');
      try {
        const fx = await decide(read, stored);
        await batch.applyEffects(stored.id, fx, { wasDeferred: stored.reruns > 0 });
        await client.query('RELEASE SAVEPOINT stripe_event');
        tally.push({ type: stored.type, status: fx.outcome.status });
      } catch (error) {
        // Should the rollback itself fail (the connection is gone), the whole batch fails.
        await client.query('ROLLBACK TO SAVEPOINT stripe_event');
        if (isLockConflict(error)) continue;
        const attempt = stored.attempts + 1;
        const final = attempt >= deps.config.STRIPE_EVENT_ATTEMPTS;
        const message = error instanceof Error ? error.message : String(error);
        const delay = final ? null : retryDelayMs(attempt);
        await recordStripeEventFailure(client, stored.id, { error: message, retryAt: delay === null ? null : new Date(Date.now() + delay) });
        if (delay !== null) retryInMs = Math.min(retryInMs ?? delay, delay);
        deps.logger.warn({ err: error, eventId: stored.id, type: stored.type, attempt, final }, 'Stripe event failed');
        tally.push({ type: stored.type, status: 'failed' });
      }
    }
    return { claimed: events.length, after: await batch.finish(), tally, retryInMs };
  });
  if (!result) return 0;
  for (const { type, status } of result.tally) {
    if (status === 'failed') stripeEventsFailed.inc({ type });
    else stripeEventsProcessed.inc({ type, outcome: status });
  }
  await afterCommit(deps, result);
  return result.claimed;
}

/** Applies batches until nothing is due: what a worker does each time it is woken. */
export async function drainStoredEvents(deps: ProcessDeps): Promise<number> {
  let applied = 0;
  for (;;) {
    const claimed = await applyEventBatch(deps, deps.config.LEDGER_BATCH_SIZE);
    if (!claimed) return applied;
    applied += claimed;
  }
}

/**
 * After the commit: cached progress is dropped here and in every API process, the receipts and
 * consumer events the batch recorded reach the queue, and a wake-up is scheduled for the
 * earliest retry. Whatever Redis refuses now, the sweeper redoes later.
 */
async function afterCommit(deps: ProcessDeps, { after, retryInMs }: BatchResult): Promise<void> {
  for (const donation of after.succeeded) countDonation(donation);
  for (const campaignId of after.campaigns) deps.progress.invalidate(campaignId);
  await Promise.all([
    ...[...after.campaigns].map((campaignId) => publishProgressChange(deps.redis, deps.config.REDIS_PREFIX, campaignId)),
    relayOutboxRows(deps.db, deps.queues, after.outbox).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'outbox relay failed; the sweeper will relay'),
    ),
    retryInMs === null ? null : wakeEventWorkers(deps.queues, deps.redis, 'retry', retryInMs),
  ]);
}
