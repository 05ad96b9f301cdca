import type Stripe from 'stripe';
import type { CampaignRow } from '../../db/campaigns.js';
import { findDonationBy } from '../../db/donations.js';
import { lockStripeIds } from '../../db/locks.js';
import {
  applySubscriptionSnapshot,
  cancelSubscription,
  findSubscription,
  recordPaymentFailure,
  setSubscriptionStatus,
  subscriptionFacts,
  type SubscriptionRow,
} from '../../db/subscriptions.js';
import { readDeploymentId } from '../../db/deployment.js';
import { currencyRefusal, deploymentRefusal } from '../../domain/foreign-money.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { failedRenewalMailKey, snapshotOf, subscriptionStatus, type FailedRenewal } from '../../domain/subscription.js';
import { emitConsumerEvent } from '../consumer-events.js';
import { donationFailedData, subscriptionEventData } from '../consumer-payloads.js';
import { queueMail } from '../receipts.js';
import { idOf, ignored, processed, refused, requireCampaign, type EventHandler, type EventInput, type LedgerTx, type Outcome } from './types.js';

/**
 * The subscription an invoice bills. The SDK's pinned API version has it only under
 * invoice.parent.subscription_details; older versions had invoice.subscription.
 */
export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
  return idOf(invoice.parent?.subscription_details?.subscription ?? legacy ?? null);
}

/**
 * An event about a subscription we have no row for: ours (our metadata, a campaign of ours)
 * waits for the checkout that starts it (which says who the donor is); anything else is ignored.
 */
export async function waitForCheckout(
  tx: LedgerTx,
  event: EventInput,
  subscriptionId: string,
  metadata: Record<string, string> | null | undefined,
): Promise<Outcome> {
  const ours = readGoalpostMetadata(metadata);
  if (!ours) return ignored('not a Goalpost subscription (no goalpost metadata)');
  // Another deployment on the same Stripe account (staging, production) writes the same metadata:
  // only ours, by its deployment id, waits for a checkout.
  const foreign = deploymentRefusal(`subscription ${subscriptionId}`, ours.deploymentId, await readDeploymentId(tx.client));
  if (foreign) return refused(foreign);
  if (!(await tx.campaign(ours.campaignId))) return ignored('not a Goalpost subscription (no campaign of ours)');
  return tx.defer(event, { subscription_id: subscriptionId }, 'waiting for the checkout that started this monthly donation');
}

/**
 * After any change to a subscription's facts: its donor-facing status is derived again
 * (domain/subscription.ts) and consumers hear about a change of status or amount. Both event
 * kinds are keyed so a duplicate, twin or replay of the same change announces nothing new.
 */
export async function refreshSubscription(
  tx: LedgerTx,
  event: EventInput,
  before: SubscriptionRow,
  campaign: CampaignRow,
): Promise<SubscriptionRow> {
  // Any change of a monthly donation (amount, pause, failure, cancellation) moves pledged.
  tx.touched.add(campaign.id);
  const current = (await findSubscription(tx.client, before.id))!;
  const status = subscriptionStatus(await subscriptionFacts(tx.client, current));
  if (status !== current.status) await setSubscriptionStatus(tx.client, current.id, status);
  const after: SubscriptionRow = { ...current, status };
  const data = subscriptionEventData(after, campaign);
  if (status === 'canceled' && before.status !== 'canceled') {
    await emitConsumerEvent(tx.client, { type: 'subscription.canceled', data, dedupeKey: `subscription.canceled:${after.id}`, at: event.created });
  } else if (status !== before.status || after.amount !== before.amount) {
    await emitConsumerEvent(tx.client, {
      type: 'subscription.updated',
      data,
      dedupeKey: `subscription.updated:${after.id}:${event.id}`,
      at: event.created,
    });
  }
  return after;
}

/**
 * customer.subscription.created / updated / deleted: the newest snapshot gives the amount (a
 * change from the manage page, the portal or the Stripe dashboard), the pause
 * (pause_collection) and the next payment; a deletion stops the monthly donation for good.
 * Money already given stays.
 */
export function subscriptionSnapshotHandler(kind: 'created' | 'updated' | 'deleted'): EventHandler {
  return async (tx, event) => {
    const stripeSubscription = event.object as Stripe.Subscription;
    await lockStripeIds(tx.client, [stripeSubscription.id]);
    const before = await findSubscription(tx.client, stripeSubscription.id);
    if (!before) return waitForCheckout(tx, event, stripeSubscription.id, stripeSubscription.metadata);
    const campaign = await requireCampaign(tx, before.campaign_id);
    const terms = readGoalpostMetadata(stripeSubscription.metadata);
    const snapshot = snapshotOf(stripeSubscription, { fee: terms?.feeAmount ?? before.fee_amount });
    await applySubscriptionSnapshot(tx.client, before.id, snapshot, event.created);
    if (kind === 'deleted') await cancelSubscription(tx.client, before.id, snapshot.canceledAt ?? event.created);
    await refreshSubscription(tx, event, before, campaign);
    return processed();
  };
}

/** The failed renewal an invoice.payment_failed reports. */
export function failedRenewalOf(invoice: Stripe.Invoice, at: Date): FailedRenewal {
  return {
    invoiceId: invoice.id,
    amount: invoice.amount_due,
    attempts: Math.max(1, invoice.attempt_count ?? 1),
    failedAt: at,
    nextAttemptAt: invoice.next_payment_attempt ? new Date(invoice.next_payment_attempt * 1000) : null,
  };
}

/**
 * invoice.payment_failed: the attempt is recorded and never counted; the subscription shows
 * past_due until the invoice (or a newer one) is paid. The donor gets one mail per failed
 * invoice — Stripe's retries of it raise the attempt count but send nothing more — and
 * consumers one donation.failed. A failure reported after its invoice was paid tells the donor
 * nothing: the money arrived.
 */
export const invoicePaymentFailed: EventHandler = async (tx, event) => {
  const invoice = event.object as Stripe.Invoice;
  const subscriptionId = subscriptionOfInvoice(invoice);
  if (!subscriptionId) return ignored('not a subscription invoice');
  await lockStripeIds(tx.client, [invoice.id, subscriptionId]);
  const before = await findSubscription(tx.client, subscriptionId);
  if (!before) return waitForCheckout(tx, event, subscriptionId, invoice.parent?.subscription_details?.metadata);
  const wrongCurrency = currencyRefusal(`invoice ${invoice.id}`, invoice.currency, before.currency);
  if (wrongCurrency) return refused(wrongCurrency);
  const campaign = await requireCampaign(tx, before.campaign_id);
  const failure = failedRenewalOf(invoice, event.created);
  await recordPaymentFailure(tx.client, before, failure);
  const after = await refreshSubscription(tx, event, before, campaign);
  const paidSince = (await findDonationBy(tx.client, { invoiceId: invoice.id }))?.status === 'succeeded';
  if (after.donor_email && !paidSince && after.status !== 'canceled') {
    await queueMail(tx.client, {
      kind: 'payment_failed',
      donationId: null,
      dedupeKey: failedRenewalMailKey(invoice.id),
      toEmail: after.donor_email,
      payload: { subscription_id: after.id, invoice_id: invoice.id, amount: failure.amount, currency: after.currency },
    });
  }
  await emitConsumerEvent(tx.client, {
    type: 'donation.failed',
    data: donationFailedData(after, campaign, failure),
    dedupeKey: `donation.failed:${invoice.id}`,
    at: event.created,
  });
  return processed();
};
