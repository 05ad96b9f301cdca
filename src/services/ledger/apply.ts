import { advanceCheckoutStatuses } from '../../db/checkouts.js';
import { deferEvents, forgetDeferrals, takeDeferredEvents, type StripeIds } from '../../db/deferred-events.js';
import type { DonationRow } from '../../db/donations.js';
import type { OutboxRow } from '../../db/outbox.js';
import type { Queryable } from '../../db/pool.js';
import { insertReceiptsWithJob, numberReceipts, type MailRequest } from '../../db/receipts.js';
import { recordStripeEventOutcomes, requeueDeferredEvents } from '../../db/stripe-events.js';
import {
  applySubscriptionSnapshot,
  cancelSubscription,
  recordPaymentFailure,
  recordSubscriptionPaid,
  setSubscriptionStatus,
  upsertSubscription,
} from '../../db/subscriptions.js';
import { insertWebhookEventsWithJobs } from '../../db/webhooks.js';
import { consumerEventRow } from '../consumer-events.js';
import { DirectLedgerState, type LedgerState } from './batch-state.js';
import type { EventEffects, Outcome, PeriodChange, SubscriptionChange } from './effects.js';
import { foldPeriodChanges } from './period-totals.js';

/** What a committed batch leaves to do: nothing here may be lost if it fails (the sweeper redoes it). */
export interface AfterCommit {
  /** Campaigns whose money (or monthly pledges) changed: caches dropped and listeners told. */
  campaigns: Set<number>;
  /** Outbox rows the batch wrote, relayed to the queue at once. */
  outbox: OutboxRow[];
  /** Donations that started counting (metrics). */
  succeeded: DonationRow[];
}

type ConsumerEventRow = ReturnType<typeof consumerEventRow>;
type RecordedOutcome = Omit<Outcome, 'status'> & { status: Outcome['status'] | 'received' };

/**
 * The one place the ledger writes, for a batch of events applied in one transaction.
 *
 * `applyEffects` writes a monthly donation's rows at once (in a savepoint of their own, so a
 * failing write fails its event alone; later events read them from the database) and hands the
 * donations and ledger entries to the batch's `state`, where later events of the batch read
 * them. A batch's state (BatchLedgerState) keeps them for `flushWrites`, a few statements for
 * the whole batch; without one (an admin's change, a batch applied one event at a time in
 * savepoints) they are written at once, in the caller's transaction or savepoint. The rest of
 * the event's effects are gathered — only once those writes succeeded, so an event that fails
 * leaves nothing behind — and `finish` writes them for the whole batch right before the commit,
 * a few statements in all, in a fixed order: the donations and entries not written yet (the rest
 * references them); checkout statuses; deferrals, and the events deferred until an id that
 * arrived (requeued); the events' outcomes; mails (with one `receipt.send` job for them all); the
 * period aggregates (donor rows, then period rows, in key order, with the tiers and goal
 * crossed); consumer events; receipt numbers (one counter update per year, years in order). The campaign-wide rows are locked last and once
 * per batch. `finish` returns the after-commit work.
 */
export class LedgerBatch {
  private readonly outcomes = new Map<string, RecordedOutcome>();
  private readonly checkouts: NonNullable<EventEffects['checkout']>[] = [];
  private readonly deferrals: { eventId: string; until: StripeIds }[] = [];
  private readonly undeferred: string[] = [];
  private readonly arrived: StripeIds[] = [];
  private readonly mails: MailRequest[] = [];
  private readonly consumerEvents: ConsumerEventRow[] = [];
  private readonly periods: PeriodChange[] = [];
  private readonly receiptNumbers: { donationId: string; year: number }[] = [];
  private readonly succeeded: DonationRow[] = [];
  private readonly touched = new Set<number>();

  private readonly deferWrites: boolean;
  readonly state: LedgerState;

  /** With a batch's `state`, donation and ledger writes wait for `flushWrites`; without, they are written as each event applies. */
  constructor(
    private readonly db: Queryable,
    state?: LedgerState,
  ) {
    this.deferWrites = Boolean(state);
    this.state = state ?? new DirectLedgerState(db);
  }

  /** An event whose type Goalpost does not use: only its outcome is recorded. */
  skip(eventId: string, outcome: Outcome): void {
    this.outcomes.set(eventId, outcome);
  }

  /**
   * Writes one event's effects; `wasDeferred` when the event may have a deferral to forget. An
   * admin's money change (an offline donation, a void, an import's chunk) has no Stripe event.
   */
  async applyEffects(fx: EventEffects, event: { id: string; wasDeferred: boolean } | null): Promise<void> {
    // Built first, so a payload that breaks the size rule fails this event alone, before any write.
    const consumerEvents = fx.consumerEvents.map(consumerEventRow);
    if (fx.subscriptions.length) await this.writeSubscriptions(fx.subscriptions);
    this.state.record(fx);
    if (!this.deferWrites) await this.state.flush();

    if (event) {
      this.outcomes.set(event.id, fx.outcome);
      if (fx.deferredUntil) this.deferrals.push({ eventId: event.id, until: fx.deferredUntil });
      else if (event.wasDeferred) this.undeferred.push(event.id);
    }
    if (fx.checkout) this.checkouts.push(fx.checkout);
    this.arrived.push(...fx.arrived);
    this.mails.push(...fx.mails);
    this.consumerEvents.push(...consumerEvents);
    this.periods.push(...fx.periods);
    this.receiptNumbers.push(...fx.receiptNumbers);
    this.succeeded.push(...fx.succeeded);
    for (const { campaign } of fx.periods) this.touched.add(campaign.id);
    for (const { campaignId } of fx.subscriptions) this.touched.add(campaignId);
  }

  /** Writes the donations and ledger entries the batch's events recorded and that are not written yet. */
  flushWrites(): Promise<void> {
    return this.state.flush();
  }

  /** The gathered writes of the whole batch, in lock order; then the after-commit work. */
  async finish(): Promise<AfterCommit> {
    const db = this.db;
    await this.flushWrites();
    await advanceCheckoutStatuses(db, this.checkouts);
    await forgetDeferrals(db, this.undeferred);
    await deferEvents(db, this.deferrals);
    await this.requeueArrived();
    await recordStripeEventOutcomes(db, [...this.outcomes].map(([id, outcome]) => ({ id, ...outcome })));
    const receiptJob = await insertReceiptsWithJob(db, this.mails);
    const outbox = receiptJob ? [receiptJob.outbox] : [];
    const reached = await foldPeriodChanges(db, this.periods);
    outbox.push(...(await insertWebhookEventsWithJobs(db, uniqueByKey([...this.consumerEvents, ...reached.map(consumerEventRow)]))));
    // Last, so the counter row is held the shortest time. This second write of each new paid
    // donation is on purpose: writing its number in the insert needs the counter before the
    // insert and the donations, their entries and mails after it, four more round trips with
    // the counter and period rows held. Measured (P3, 8,000 events), batches then spent 46-62%
    // of their time between the fold and the commit instead of 24-36%, and waited on row locks
    // two to four times as much: a cost above the ~0.04 ms/event of PostgreSQL time it takes.
    await numberReceipts(db, this.receiptNumbers);
    return { campaigns: this.touched, outbox, succeeded: this.succeeded };
  }

  /** A monthly donation's rows, in a savepoint: a write that fails rolls back alone and fails its event. */
  private async writeSubscriptions(changes: readonly SubscriptionChange[]): Promise<void> {
    await this.db.query('SAVEPOINT ledger_subscriptions');
    try {
      for (const change of changes) await writeSubscription(this.db, change);
    } catch (error) {
      await this.db.query('ROLLBACK TO SAVEPOINT ledger_subscriptions');
      throw error;
    }
    await this.db.query('RELEASE SAVEPOINT ledger_subscriptions');
  }

  /**
   * Events deferred until an id that arrived in this batch run again: those deferred in an
   * earlier batch go back to 'received'; one deferred in this very batch records 'received' as
   * its outcome instead of 'deferred'. Either way the next claim takes it.
   */
  private async requeueArrived(): Promise<void> {
    const waiting = await takeDeferredEvents(this.db, this.arrived);
    const earlier: string[] = [];
    for (const eventId of waiting) {
      const outcome = this.outcomes.get(eventId);
      if (outcome?.status === 'deferred') this.outcomes.set(eventId, { status: 'received', note: 'requeued: what it was deferred until has arrived' });
      else earlier.push(eventId);
    }
    await requeueDeferredEvents(this.db, earlier);
  }
}

/** A monthly donation's writes, in the order its event made them (each is a forward-only statement). */
async function writeSubscription(db: Queryable, { id, currency, writes }: SubscriptionChange): Promise<void> {
  for (const write of writes) {
    if ('insert' in write) await upsertSubscription(db, write.insert);
    else if ('snapshot' in write) await applySubscriptionSnapshot(db, id, write.snapshot, write.at);
    else if ('cancel' in write) await cancelSubscription(db, id, write.cancel);
    else if ('paid' in write) await recordSubscriptionPaid(db, id, write.paid);
    else if ('failure' in write) await recordPaymentFailure(db, { id, currency }, write.failure);
    else await setSubscriptionStatus(db, id, write.status);
  }
}

/** A consumer event named twice in one batch (two events about one change) is recorded once. */
function uniqueByKey(rows: ConsumerEventRow[]): ConsumerEventRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.dedupeKey) && seen.add(row.dedupeKey));
}
