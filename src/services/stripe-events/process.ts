import type { AppContext } from '../../context.js';
import { findCampaignById, type CampaignRow } from '../../db/campaigns.js';
import { deferEvent, forgetWaitingEvent, takeWaitingEvents } from '../../db/deferred-events.js';
import { withTransaction, type DbClient } from '../../db/pool.js';
import {
  claimStripeEvent,
  findStoredStripeEvent,
  recordStripeEventFailure,
  recordStripeEventOutcome,
  type StoredStripeEvent,
} from '../../db/stripe-events.js';
import { relayOutbox } from '../../queue/outbox-relay.js';
import { publishProgressChange } from '../progress-events.js';
import { chargeRefunded, chargeSucceeded, disputeHandler } from './charges.js';
import { checkoutSessionHandler } from './checkout-sessions.js';
import { invoicePaid, invoicePaymentPaid, subscriptionDeleted } from './invoices.js';
import { ignored, type EventHandler, type EventInput, type LedgerTx, type Outcome } from './types.js';

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

/** How many waiting events one event may release in a chain (invoice → its payment → a refund). */
const MAX_RELEASE_DEPTH = 8;

function inputOf(stored: StoredStripeEvent): EventInput {
  return { id: stored.id, type: stored.type, created: stored.created, object: stored.payload.data?.object };
}

function runEvent(tx: LedgerTx, event: EventInput): Promise<Outcome> {
  const handler = HANDLERS[event.type];
  if (!handler) return Promise.resolve(ignored('Goalpost does not use this event type'));
  return handler(tx, event);
}

function ledgerTx(client: DbClient): LedgerTx {
  const campaigns = new Map<number, CampaignRow | null>();
  let depth = 0;
  const tx: LedgerTx = {
    client,
    touched: new Set(),
    async campaign(id) {
      if (!campaigns.has(id)) campaigns.set(id, await findCampaignById(client, id));
      return campaigns.get(id)!;
    },
    async defer(event, waitingFor, note) {
      await deferEvent(client, event.id, waitingFor);
      return { status: 'deferred', note };
    },
    async landed(ids) {
      const waiting = await takeWaitingEvents(client, ids);
      if (!waiting.length) return;
      if (depth >= MAX_RELEASE_DEPTH) throw new Error('waiting events released each other too deep; giving up this attempt');
      depth += 1;
      try {
        for (const id of waiting) {
          const stored = await findStoredStripeEvent(client, id);
          if (!stored) continue;
          await recordStripeEventOutcome(client, id, await runEvent(tx, inputOf(stored)));
        }
      } finally {
        depth -= 1;
      }
    },
  };
  return tx;
}

export type ProcessDeps = Pick<AppContext, 'db' | 'queues' | 'redis' | 'progress' | 'config' | 'logger'>;

/**
 * Applies one stored event: the handler, every waiting event it releases, and the event's new
 * status commit together. Returns null when the event was finished already (a duplicate job).
 * A failure is recorded on the event (as 'failed' after the last attempt) and rethrown so the
 * queue retries it with backoff.
 */
export async function processStoredEvent(
  deps: ProcessDeps,
  eventId: string,
  options: { finalAttempt: boolean },
): Promise<Outcome | null> {
  const stored = await claimStripeEvent(deps.db, eventId);
  if (!stored) return null;
  let result: { outcome: Outcome; touched: Set<number> };
  try {
    result = await withTransaction(deps.db, async (client) => {
      const tx = ledgerTx(client);
      const outcome = await runEvent(tx, inputOf(stored));
      if (outcome.status !== 'deferred') await forgetWaitingEvent(client, stored.id);
      await recordStripeEventOutcome(client, stored.id, outcome);
      return { outcome, touched: tx.touched };
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordStripeEventFailure(deps.db, eventId, message, options.finalAttempt).catch((recordError: unknown) =>
      deps.logger.warn({ err: recordError, eventId }, 'could not record the failed attempt'),
    );
    throw error;
  }
  await afterCommit(deps, result.touched);
  return result.outcome;
}

/**
 * After the commit: cached progress is dropped here and in every API process, then receipts and
 * consumer events reach the queue (the sweeper relays them if Redis is away).
 */
async function afterCommit(deps: ProcessDeps, touched: ReadonlySet<number>): Promise<void> {
  for (const campaignId of touched) {
    deps.progress.invalidate(campaignId);
    await publishProgressChange(deps.redis, deps.config.REDIS_PREFIX, campaignId);
  }
  await relayOutbox(deps.db, deps.queues).catch((error: unknown) =>
    deps.logger.warn({ err: error }, 'outbox relay failed; the sweeper will relay'),
  );
}
