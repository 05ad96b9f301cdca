import type { CampaignRow } from '../db/campaigns.js';
import type { DonationRow } from '../db/donations.js';
import { TOTAL_PERIOD } from '../db/periods.js';
import type { SubscriptionRow } from '../db/subscriptions.js';
import type { FailedRenewal } from '../domain/subscription.js';
import type { DisputeStatus } from '../domain/ledger.js';
import { periodLabel } from '../domain/period.js';
import type { Tier } from '../domain/progress.js';
import { attributionOf, donationMoney, offlineOf } from '../domain/donation.js';

/**
 * The `data` of each consumer webhook event. Payloads are small and self-contained, carry money
 * as integer minor units with the currency, and never name an anonymous donor.
 */

function periodOf(periodKey: string) {
  return periodKey === TOTAL_PERIOD
    ? { type: 'total' as const, key: TOTAL_PERIOD, label: 'ALL TIME' }
    : { type: 'monthly' as const, key: periodKey, label: periodLabel(periodKey) };
}

export function donationData(donation: DonationRow, campaign: Pick<CampaignRow, 'slug'>) {
  return {
    id: donation.id,
    campaign: campaign.slug,
    ...donationMoney(donation),
    month: donation.period_key,
    paid_at: donation.paid_at?.toISOString() ?? null,
    anonymous: donation.anonymous,
    donor: donation.anonymous ? null : { name: donation.donor_name, email: donation.donor_email },
    message: donation.message,
    origin: donation.origin,
    offline: offlineOf(donation),
    attribution: attributionOf(donation),
  };
}

/** donation.voided: an admin voided an offline donation; it no longer counts. */
export function donationVoidedData(donation: DonationRow, campaign: Pick<CampaignRow, 'slug'>) {
  return { donation: donationData(donation, campaign) };
}

/** donation.succeeded */
export function donationSucceededData(donation: DonationRow, campaign: Pick<CampaignRow, 'slug'>) {
  return { donation: donationData(donation, campaign) };
}

/**
 * donation.refunded: `refund.amount` is what the donor got back (covered fee included);
 * `refund.id` is Stripe's refund id, or null when Stripe reported only the charge's running total.
 */
export function donationRefundedData(
  donation: DonationRow,
  campaign: Pick<CampaignRow, 'slug'>,
  refund: { id: string | null; amount: number },
) {
  return {
    donation: donationData(donation, campaign),
    refund: { id: refund.id, amount: refund.amount, currency: donation.currency },
  };
}

/** donation.disputed: sent when the dispute opens and again when it is won or lost. */
export function donationDisputedData(
  donation: DonationRow,
  campaign: Pick<CampaignRow, 'slug'>,
  dispute: { id: string; amount: number; status: DisputeStatus; reason: string | null },
) {
  return {
    donation: donationData(donation, campaign),
    dispute: { id: dispute.id, amount: dispute.amount, currency: donation.currency, status: dispute.status, reason: dispute.reason },
  };
}

/** tier.reached: once per campaign, period and tier. */
export function tierReachedData(
  campaign: Pick<CampaignRow, 'slug' | 'currency'>,
  periodKey: string,
  tier: Tier,
  figures: { raised: number; goal: number; reachedAt: Date },
) {
  return {
    campaign: campaign.slug,
    currency: campaign.currency,
    period: periodOf(periodKey),
    tier: { amount: tier.amount, label: tier.label, description: tier.description },
    goal: figures.goal,
    raised: figures.raised,
    reached_at: figures.reachedAt.toISOString(),
  };
}

/** goal.reached: once per campaign and period. */
export function goalReachedData(
  campaign: Pick<CampaignRow, 'slug' | 'currency'>,
  periodKey: string,
  figures: { raised: number; goal: number; reachedAt: Date },
) {
  return {
    campaign: campaign.slug,
    currency: campaign.currency,
    period: periodOf(periodKey),
    goal: figures.goal,
    raised: figures.raised,
    reached_at: figures.reachedAt.toISOString(),
  };
}

/** A monthly donation as consumers see it: no card data, and no name or email when anonymous. */
export function subscriptionData(subscription: SubscriptionRow, campaign: Pick<CampaignRow, 'slug'>) {
  return {
    id: subscription.id,
    campaign: campaign.slug,
    amount: subscription.amount,
    currency: subscription.currency,
    status: subscription.status,
    started_at: subscription.started_at?.toISOString() ?? null,
    next_payment_at: subscription.next_payment_at?.toISOString() ?? null,
    canceled_at: subscription.canceled_at?.toISOString() ?? null,
    anonymous: subscription.anonymous,
    donor: subscription.anonymous ? null : { name: subscription.donor_name, email: subscription.donor_email },
  };
}

/** subscription.created / subscription.updated / subscription.canceled */
export function subscriptionEventData(subscription: SubscriptionRow, campaign: Pick<CampaignRow, 'slug'>) {
  return { subscription: subscriptionData(subscription, campaign) };
}

/** donation.failed: a monthly renewal failed (once per invoice); it never counts. */
export function donationFailedData(
  subscription: SubscriptionRow,
  campaign: Pick<CampaignRow, 'slug'>,
  failure: FailedRenewal,
) {
  return {
    subscription: subscriptionData(subscription, campaign),
    invoice: {
      id: failure.invoiceId,
      amount: failure.amount,
      currency: subscription.currency,
      attempts: failure.attempts,
      failed_at: failure.failedAt.toISOString(),
      next_attempt_at: failure.nextAttemptAt?.toISOString() ?? null,
    },
  };
}
