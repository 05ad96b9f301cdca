import type { AppContext } from '../../context.js';
import { findCampaignById, type CampaignRow } from '../../db/campaigns.js';
import { deferEvent, forgetWaitingEvent, takeWaitingEvents } from '../../db/deferred-events.js';
import { withOutboxWrites, type OutboxRow } from '../../db/outbox.js';
import { withTransaction, type DbClient } from '../../db/pool.js';
import {
  claimStripeEvent,
  recordStripeEventFailure,
  recordStripeEventOutcome,
  releaseDeferredEvents,
  rerunJobId,
  type StoredStripeEvent,
} from '../../db/stripe-events.js';
import { livemodeRefusal } from '../../domain/foreign-money.js';
import { stripeEventsFailed, stripeEventsProcessed } from '../../metrics.js';
import { relayOutboxRows } from '../../queue/outbox-relay.js';
import { chargeRefunded, chargeSucceeded, disputeHandler, refundUpdated } from './charges.js';
import { checkoutSessionHandler } from './checkout-sessions.js';
import { invoicePaid, invoicePaymentPaid } from './invoices.js';
import { invoicePaymentFailed, subscriptionSnapshotHandler } from './subscriptions.js';
import { enqueueStripeEvent } from './ingest.js';
import { ignored, refused, type EventHandler, type EventInput, type LedgerTx, type Outcome } from './types.js';

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
  'invoice.payment_failed': invoicePaymentFailed,
  'customer.subscription.created': subscriptionSnapshotHandler('created'),
  'customer.subscription.updated': subscriptionSnapshotHandler('updated'),
  'customer.subscription.deleted': subscriptionSnapshotHandler('deleted'),
  'charge.succeeded': chargeSucceeded,
  'charge.refunded': chargeRefunded,
  // One refund by id: a failed or canceled one gives its amount back.
  'refund.created': refundUpdated,
  'refund.updated': refundUpdated,
  'refund.failed': refundUpdated,
  'charge.refund.updated': refundUpdated,
  'charge.dispute.created': disputeHandler(false),
  'charge.dispute.closed': disputeHandler(true),
};

export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

function inputOf(stored: StoredStripeEvent): EventInput {
  return { id: stored.id, type: stored.type, created: stored.created, livemode: stored.livemode, object: stored.payload.data?.object };
}

function runEvent(tx: LedgerTx, event: EventInput, deploymentLive: boolean): Promise<Outcome> {
  const handler = HANDLERS[event.type];
  if (!handler) return Promise.resolve(ignored('Goalpost does not use this event type'));
  const wrongMode = livemodeRefusal(event.livemode, deploymentLive);
  if (wrongMode) return Promise.resolve(refused(wrongMode));
  return handler(tx, event);
}

/** The transaction's LedgerTx, and the campaign-wide work it queued for right before the commit. */
function ledgerTx(client: DbClient): { tx: LedgerTx; runLocked(): Promise<void> } {
  const campaigns = new Map<number, CampaignRow | null>();
  const released: LedgerTx['released'] = [];
  const lockedWork: (() => Promise<void>)[] = [];
  const tx: LedgerTx = {
    client,
    touched: new Set(),
    released,
    async campaign(id) {
      if (!campaigns.has(id)) campaigns.set(id, await findCampaignById(client, id));
      return campaigns.get(id)!;
    },
    async locked(work) {
      lockedWork.push(work);
    },
    async defer(event, waitingFor, note) {
      await deferEvent(client, event.id, waitingFor);
      return { status: 'deferred', note };
    },
    async landed(ids) {
      // The waiting events run in their own transactions: running them here would take their
      // Stripe ids while holding ours, and two such transactions could wait on each other.
      const waiting = await takeWaitingEvents(client, ids);
      released.push(...(await releaseDeferredEvents(client, waiting)));
    },
  };
  return {
    tx,
    async runLocked() {
      for (const work of lockedWork) await work();
    },
  };
}

export type ProcessDeps = Pick<AppContext, 'db' | 'queues' | 'changes' | 'progress' | 'config' | 'logger'>;

interface Applied {
  type: string;
  outcome: Outcome;
  tx: LedgerTx;
  outbox: readonly OutboxRow[];
}

/**
 * Applies one stored event in one transaction: its claim (the attempt), the handler's changes,
 * the release of events that waited for what it brought, and the event's new status. The
 * campaign-wide locks (aggregate rows, receipt counter) are taken last, so the next donation
 * of the campaign waits for little more than this commit. Returns null when the event was
 * finished already (a duplicate job). A failure rolls all of it back, is recorded on the event
 * (as 'failed' after the last attempt) and is rethrown so the queue retries it with backoff.
 */
export async function processStoredEvent(
  deps: ProcessDeps,
  eventId: string,
  options: { finalAttempt: boolean },
): Promise<Outcome | null> {
  let type = 'unknown';
  let applied: Applied | null;
  try {
    applied = await withTransaction(deps.db, (client) =>
      withOutboxWrites(client, async (outbox): Promise<Applied | null> => {
        const stored = await claimStripeEvent(client, eventId);
        if (!stored) return null;
        type = stored.type;
        const { tx, runLocked } = ledgerTx(client);
        const outcome = await runEvent(tx, inputOf(stored), deps.config.stripeLivemode);
        if (outcome.status !== 'deferred') await forgetWaitingEvent(client, stored.id);
        await recordStripeEventOutcome(client, stored.id, outcome);
        await runLocked();
        return { type, outcome, tx, outbox };
      }),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordStripeEventFailure(deps.db, eventId, message, options.finalAttempt).catch((recordError: unknown) =>
      deps.logger.warn({ err: recordError, eventId }, 'could not record the failed attempt'),
    );
    stripeEventsFailed.inc({ type });
    throw error;
  }
  if (!applied) return null;
  stripeEventsProcessed.inc({ type: applied.type, outcome: applied.outcome.status });
  await afterCommit(deps, applied);
  return applied.outcome;
}

/**
 * After the commit: cached progress is dropped here and in every API process, released events
 * are queued again, and the receipts and consumer events this transaction recorded reach the
 * queue. Whatever the queue store refuses now, the sweeper queues later.
 */
async function afterCommit(deps: ProcessDeps, { tx, outbox }: Applied): Promise<void> {
  for (const campaignId of tx.touched) deps.progress.invalidate(campaignId);
  await Promise.all([
    ...[...tx.touched].map((campaignId) => deps.changes.publish(campaignId)),
    ...tx.released.map((event) => enqueueStripeEvent(deps.queues, event.id, rerunJobId(event))),
    relayOutboxRows(deps.db, deps.queues, outbox).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'outbox relay failed; the sweeper will relay'),
    ),
  ]);
}
