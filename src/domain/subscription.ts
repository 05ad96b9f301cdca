/**
 * A monthly donation's life, as pure functions of what Stripe has told us about it.
 *
 * Like the ledger, nothing here depends on the order events arrive in. The donor-facing status
 * is derived from facts that only move forward:
 * - canceled: a cancellation was seen (customer.subscription.deleted, or a snapshot saying so);
 *   it is final.
 * - paused: the newest snapshot (by event time) has pause_collection set.
 * - past_due: the newest payment outcome is a failure of an invoice that is still unpaid
 *   (a later successful retry of that invoice, or a newer paid invoice, recovers it).
 * - active otherwise.
 * Amount, pause and next payment come from the newest snapshot; an older one arriving late
 * changes nothing.
 */
export type SubscriptionStatus = 'active' | 'past_due' | 'paused' | 'canceled';

export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['active', 'past_due', 'paused', 'canceled'];

/** Stripe's statuses that mean the subscription has ended for good. */
const ENDED_STRIPE_STATUSES = new Set(['canceled', 'incomplete_expired']);

export interface SubscriptionFacts {
  canceledAt: Date | null;
  stripeStatus: string | null;
  paused: boolean;
  /** Newest paid invoice's payment time. */
  lastPaidAt: Date | null;
  /** Failed invoices that are still unpaid, with their newest failed attempt. */
  unpaidFailures: readonly { lastFailedAt: Date }[];
}

export function subscriptionStatus(facts: SubscriptionFacts): SubscriptionStatus {
  if (facts.canceledAt || (facts.stripeStatus && ENDED_STRIPE_STATUSES.has(facts.stripeStatus))) return 'canceled';
  if (facts.paused || facts.stripeStatus === 'paused') return 'paused';
  const newestFailure = Math.max(-Infinity, ...facts.unpaidFailures.map((failure) => failure.lastFailedAt.getTime()));
  // A tie is past due: an unpaid failure is of a later invoice than the last one paid, and Stripe
  // stamps both to the second (a renewal can fail within the second of the previous payment).
  if (facts.unpaidFailures.length && newestFailure >= (facts.lastPaidAt?.getTime() ?? -Infinity)) return 'past_due';
  return 'active';
}

/**
 * The status donor and admin are shown. A cancellation already recorded shows as `canceled`
 * even while the stored status is still what it was: the donor's own cancellation records
 * canceled_at at once, and the stored status follows with Stripe's event. (db/subscriptions.ts
 * filters the admin list by the same rule.)
 */
export function shownStatus(subscription: { status: SubscriptionStatus; canceledAt: Date | null }): SubscriptionStatus {
  return subscription.canceledAt ? 'canceled' : subscription.status;
}

/** A snapshot (customer.subscription.created/updated/deleted) applies unless a newer one already did. */
export function isNewerSnapshot(appliedAt: Date | null, incomingAt: Date): boolean {
  return !appliedAt || incomingAt.getTime() >= appliedAt.getTime();
}

/** What a Stripe subscription object says about the monthly donation. */
export interface SubscriptionSnapshot {
  /** The monthly donation, covered fee excluded. */
  amount: number;
  fee: number;
  stripeStatus: string;
  paused: boolean;
  startedAt: Date | null;
  nextPaymentAt: Date | null;
  canceledAt: Date | null;
}

export interface StripeSubscriptionLike {
  status: string;
  start_date?: number | null;
  created?: number | null;
  canceled_at?: number | null;
  ended_at?: number | null;
  pause_collection?: { behavior?: string | null } | null;
  items?: { data?: { quantity?: number | null; current_period_end?: number | null; price?: { unit_amount?: number | null } | null }[] } | null;
}

const fromUnix = (seconds: number | null | undefined): Date | null => (seconds ? new Date(seconds * 1000) : null);

/**
 * Reads a subscription snapshot. What the donor is charged is the items' total; the covered fee
 * (our metadata, kept up to date by Goalpost's own changes) comes out of it. A price changed
 * elsewhere (the Stripe dashboard) is read the same way.
 */
export function snapshotOf(subscription: StripeSubscriptionLike, terms: { fee: number }): SubscriptionSnapshot {
  const items = subscription.items?.data ?? [];
  const charged = items.reduce((sum, item) => sum + (item.price?.unit_amount ?? 0) * (item.quantity ?? 1), 0);
  const fee = Math.min(terms.fee, charged);
  const ended = ENDED_STRIPE_STATUSES.has(subscription.status);
  const canceledAt = ended ? (fromUnix(subscription.canceled_at) ?? fromUnix(subscription.ended_at)) : null;
  return {
    amount: charged - fee,
    fee,
    stripeStatus: subscription.status,
    paused: Boolean(subscription.pause_collection),
    startedAt: fromUnix(subscription.start_date) ?? fromUnix(subscription.created),
    nextPaymentAt: ended ? null : fromUnix(items[0]?.current_period_end),
    canceledAt,
  };
}

/** A failed renewal as an invoice.payment_failed reports it. Attempts only grow. */
export interface FailedRenewal {
  invoiceId: string;
  amount: number;
  attempts: number;
  failedAt: Date;
  nextAttemptAt: Date | null;
}

/** The failure's mail goes out once per invoice, never per retry (the dedupe key says which invoice). */
export function failedRenewalMailKey(invoiceId: string): string {
  return `payment_failed:${invoiceId}`;
}

/** What the donor may change, and to what: the new amount must fit the campaign's limits. */
export function changeProblem(status: SubscriptionStatus): string | null {
  return status === 'canceled' ? 'This monthly donation has been stopped and can no longer be changed.' : null;
}
