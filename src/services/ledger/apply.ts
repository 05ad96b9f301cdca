import { advanceCheckoutStatus } from '../../db/checkouts.js';
import { deferEvent, forgetDeferral, takeDeferredEvents } from '../../db/deferred-events.js';
import type { DonationRow } from '../../db/donations.js';
import { writeDonation } from '../../db/donations.js';
import { appendLedgerEntries } from '../../db/ledger.js';
import type { OutboxRow } from '../../db/outbox.js';
import type { Queryable } from '../../db/pool.js';
import { numberReceipts } from '../../db/receipts.js';
import { recordStripeEventOutcome, requeueDeferredEvents } from '../../db/stripe-events.js';
import { cancelSubscription, upsertSubscription } from '../../db/subscriptions.js';
import { recordConsumerEvent, type ConsumerEventRequest } from '../consumer-events.js';
import { recordMail } from '../receipts.js';
import type { EventEffects, PeriodChange } from './effects.js';
import { foldPeriodChanges } from './period-totals.js';

/** What a committed batch leaves to do: nothing here may be lost if it fails (the sweeper redoes it). */
export interface AfterCommit {
  /** Campaigns whose money changed: caches dropped and listeners told. */
  campaigns: Set<number>;
  /** Outbox rows the batch wrote, relayed to the queue at once. */
  outbox: OutboxRow[];
  /** Donations that started counting (metrics). */
  succeeded: DonationRow[];
  /** Deferred events put back to 'received' because what they waited for arrived. */
  requeued: number;
}

/**
 * The one place the ledger writes. `applyEffects` writes one event's effects, inside that event's
 * savepoint, in a fixed order: checkout and subscription, donations, ledger entries, mails and
 * consumer events, the deferral or the arrivals, the event's outcome. The parts every writer of
 * a campaign shares — the period aggregates and the receipt counter — are only gathered there,
 * and `finish` writes them once for the whole batch, last, right before the commit: aggregates
 * (donor rows, then period rows, in key order), tier and goal crossings, receipt numbers (years
 * in order). `finish` returns the after-commit work.
 */
export class LedgerBatch {
  private readonly periods: PeriodChange[] = [];
  private readonly receiptNumbers: { donationId: string; year: number }[] = [];
  private readonly after: AfterCommit = { campaigns: new Set(), outbox: [], succeeded: [], requeued: 0 };

  constructor(private readonly db: Queryable) {}

  /** Writes one event's effects; `wasDeferred` when the event may have a deferral to forget. */
  async applyEffects(eventId: string, fx: EventEffects, options: { wasDeferred: boolean }): Promise<void> {
    const db = this.db;
    if (fx.checkout) await advanceCheckoutStatus(db, fx.checkout.sessionId, fx.checkout.status);
    if (fx.subscription && 'upsert' in fx.subscription) await upsertSubscription(db, fx.subscription.upsert);
    if (fx.subscription && 'cancel' in fx.subscription) await cancelSubscription(db, fx.subscription.cancel, fx.subscription.at);
    for (const write of fx.donations) await writeDonation(db, write);
    await appendLedgerEntries(db, fx.ledger);
    const outbox: OutboxRow[] = [];
    for (const mail of fx.mails) {
      const recorded = await recordMail(db, mail);
      if (recorded?.outbox) outbox.push(recorded.outbox);
    }
    outbox.push(...(await this.recordConsumerEvents(fx.consumerEvents)));
    if (fx.deferredUntil) await deferEvent(db, eventId, fx.deferredUntil);
    else if (options.wasDeferred) await forgetDeferral(db, eventId);
    const requeued = await requeueDeferredEvents(db, await takeDeferredEvents(db, fx.arrived));
    await recordStripeEventOutcome(db, eventId, fx.outcome);

    // Written: the event's share of the batch-wide work counts from here on.
    this.periods.push(...fx.periods);
    this.receiptNumbers.push(...fx.receiptNumbers);
    for (const change of fx.periods) this.after.campaigns.add(change.campaign.id);
    this.after.outbox.push(...outbox);
    this.after.succeeded.push(...fx.succeeded);
    this.after.requeued += requeued.length;
  }

  /** The campaign-wide writes of the whole batch, in lock order; then the after-commit work. */
  async finish(): Promise<AfterCommit> {
    const reached = await foldPeriodChanges(this.db, this.periods);
    this.after.outbox.push(...(await this.recordConsumerEvents(reached)));
    await numberReceipts(this.db, this.receiptNumbers);
    return this.after;
  }

  private async recordConsumerEvents(events: readonly ConsumerEventRequest[]): Promise<OutboxRow[]> {
    const rows: OutboxRow[] = [];
    for (const event of events) {
      const recorded = await recordConsumerEvent(this.db, event);
      if (recorded?.outbox) rows.push(recorded.outbox);
    }
    return rows;
  }
}
