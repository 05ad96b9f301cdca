import { findSubscription, unpaidFailuresOf, type NewSubscription, type SubscriptionRow } from '../../db/subscriptions.js';
import type { Queryable } from '../../db/pool.js';
import { subscriptionStatus, type FailedRenewal, type SubscriptionSnapshot } from '../../domain/subscription.js';
import type { SubscriptionChange, SubscriptionWrite } from './effects.js';

const later = (a: Date | null, b: Date | null) => (a && b ? (a >= b ? a : b) : (a ?? b));
const earlier = (a: Date | null, b: Date | null) => (a && b ? (a <= b ? a : b) : (a ?? b));

/**
 * A monthly donation as an event leaves it, in memory, like DonationDraft for a donation: the
 * row read before (the event holds its Stripe id's lock) and its unpaid failures. Each change
 * is made here exactly as its statement in db/subscriptions.ts makes it in the database, so the
 * donor-facing status derived from these facts (domain/subscription.ts) is the one the row ends
 * with; `change()` lists the writes for the apply step.
 */
export class SubscriptionDraft {
  private readonly writes: SubscriptionWrite[] = [];

  private constructor(
    /** The row before this event, or null for one this event records. */
    readonly before: SubscriptionRow | null,
    public row: SubscriptionRow,
    /** Failed invoices not paid since, with their newest failed attempt. */
    private readonly unpaid: Map<string, Date>,
  ) {}

  /** `paidSince` names invoices counted since the database's rows were written (a batch's writes not flushed yet). */
  static async read(db: Queryable, id: string, paidSince: (invoiceId: string) => boolean = () => false): Promise<SubscriptionDraft | null> {
    const row = await findSubscription(db, id);
    if (!row) return null;
    const failures = (await unpaidFailuresOf(db, id)).filter((failure) => !paidSince(failure.invoice_id));
    return new SubscriptionDraft(row, row, new Map(failures.map((failure) => [failure.invoice_id, failure.last_failed_at])));
  }

  /** A monthly donation's checkout: recorded, or (recorded before) only what was missing filled in. */
  static record(existing: SubscriptionDraft | null, recorded: NewSubscription): SubscriptionDraft {
    const draft =
      existing ??
      new SubscriptionDraft(
        null,
        {
          ...recorded,
          status: 'active',
          canceled_at: null,
          next_payment_at: null,
          snapshot_at: null,
          stripe_status: null,
          paused: false,
          last_paid_at: null,
          created_at: new Date(),
        },
        new Map(),
      );
    const row = draft.row;
    draft.row = {
      ...row,
      checkout_session_id: row.checkout_session_id ?? recorded.checkout_session_id,
      first_invoice_id: row.first_invoice_id ?? recorded.first_invoice_id,
      started_at: earlier(row.started_at, recorded.started_at),
    };
    draft.writes.push({ insert: recorded });
    return draft;
  }

  /** The newest snapshot (by event time) wins; a cancellation it carries is kept whatever its age. */
  snapshot(snapshot: SubscriptionSnapshot, at: Date): this {
    const row = this.row;
    this.writes.push({ snapshot, at });
    if (row.snapshot_at && row.snapshot_at > at) {
      if (snapshot.canceledAt) this.cancelRow(snapshot.canceledAt);
      return this;
    }
    this.row = {
      ...row,
      amount: snapshot.amount,
      fee_amount: snapshot.fee,
      stripe_status: snapshot.stripeStatus,
      paused: snapshot.paused,
      started_at: earlier(row.started_at, snapshot.startedAt),
      next_payment_at: row.canceled_at === null && snapshot.canceledAt === null ? snapshot.nextPaymentAt : null,
      canceled_at: row.canceled_at ?? snapshot.canceledAt,
      snapshot_at: at,
    };
    return this;
  }

  /** A cancellation is final; the first time seen is kept. */
  cancel(at: Date): this {
    this.writes.push({ cancel: at });
    this.cancelRow(at);
    return this;
  }

  /**
   * An invoice was paid: the newest payment time moves on, and the invoice (when its donation
   * now counts) is no longer an unpaid failure.
   */
  paid(at: Date, counted: { invoiceId: string } | null): this {
    this.writes.push({ paid: at });
    this.row = { ...this.row, last_paid_at: later(this.row.last_paid_at, at) };
    if (counted) this.unpaid.delete(counted.invoiceId);
    return this;
  }

  /** A renewal failed; it stays unpaid unless its invoice was paid already. */
  failed(failure: FailedRenewal, paidSince: boolean): this {
    this.writes.push({ failure });
    if (!paidSince) this.unpaid.set(failure.invoiceId, later(this.unpaid.get(failure.invoiceId) ?? null, failure.failedAt)!);
    return this;
  }

  /** The status the facts give now, and the writes that leave the row so. */
  change(): SubscriptionChange {
    const status = subscriptionStatus({
      canceledAt: this.row.canceled_at,
      stripeStatus: this.row.stripe_status,
      paused: this.row.paused,
      lastPaidAt: this.row.last_paid_at,
      unpaidFailures: [...this.unpaid.values()].map((lastFailedAt) => ({ lastFailedAt })),
    });
    const writes = [...this.writes];
    if (status !== this.row.status) {
      writes.push({ status });
      this.row = { ...this.row, status };
    }
    return { id: this.row.id, currency: this.row.currency, campaignId: this.row.campaign_id, writes };
  }

  private cancelRow(at: Date): void {
    this.row = { ...this.row, canceled_at: this.row.canceled_at ?? at, next_payment_at: null };
  }
}
