import type Stripe from 'stripe';
import type { CampaignRow } from '../../db/campaigns.js';
import { currencyRefusal, deploymentRefusal } from '../../domain/foreign-money.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { failedRenewalMailKey, snapshotOf, type FailedRenewal } from '../../domain/subscription.js';
import type { SubscriptionRow } from '../../db/subscriptions.js';
import { donationFailedData, subscriptionEventData } from '../consumer-payloads.js';
import { deferred, ignored, processed, refused, type EventEffects } from '../ledger/effects.js';
import { SubscriptionDraft } from '../ledger/subscription-draft.js';
import { handler, idOf, requireCampaign, type EventInput, type LedgerRead } from './types.js';

/**
 * The subscription an invoice bills. The SDK's pinned API version has it only under
 * invoice.parent.subscription_details; older versions had invoice.subscription.
 */
export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
  return idOf(invoice.parent?.subscription_details?.subscription ?? legacy ?? null);
}

/**
 * An event about a subscription we have no row for: ours (our metadata, a campaign of ours) is
 * deferred until the checkout that starts it (which says who the donor is); anything else is ignored.
 */
export async function deferUntilCheckout(
  read: LedgerRead,
  subscriptionId: string,
  metadata: Record<string, string> | null | undefined,
): Promise<EventEffects> {
  const ours = readGoalpostMetadata(metadata);
  if (!ours) return ignored('not a Goalpost subscription (no goalpost metadata)');
  // Another deployment on the same Stripe account (staging, production) writes the same metadata:
  // only ours, by its deployment id, is deferred until a checkout.
  const foreign = deploymentRefusal(`subscription ${subscriptionId}`, ours.deploymentId, await read.deploymentId());
  if (foreign) return refused(foreign);
  if (!(await read.campaign(ours.campaignId))) return ignored('not a Goalpost subscription (no campaign of ours)');
  return deferred({ subscription_id: subscriptionId }, 'waiting for the checkout that started this monthly donation');
}

/**
 * After any change to a subscription's facts: its donor-facing status is derived again
 * (domain/subscription.ts, in SubscriptionDraft) and consumers hear about a change of status or
 * amount. Both event kinds are keyed so a duplicate, twin or replay of the same change announces
 * nothing new. Returns the row as the event leaves it.
 */
export function refreshSubscription(fx: EventEffects, event: EventInput, draft: SubscriptionDraft, campaign: CampaignRow): SubscriptionRow {
  fx.subscriptions.push(draft.change());
  const before = draft.before!;
  const after = draft.row;
  const data = subscriptionEventData(after, campaign);
  if (after.status === 'canceled' && before.status !== 'canceled') {
    fx.consumerEvents.push({ type: 'subscription.canceled', data, dedupeKey: `subscription.canceled:${after.id}`, at: event.created });
  } else if (after.status !== before.status || after.amount !== before.amount) {
    fx.consumerEvents.push({ type: 'subscription.updated', data, dedupeKey: `subscription.updated:${after.id}:${event.id}`, at: event.created });
  }
  return after;
}

/**
 * customer.subscription.created / updated / deleted: the newest snapshot gives the amount (a
 * change from the manage page, the portal or the Stripe dashboard), the pause
 * (pause_collection) and the next payment; a deletion stops the monthly donation for good.
 * Money already given stays.
 */
export function subscriptionSnapshotHandler(kind: 'created' | 'updated' | 'deleted') {
  return handler<Stripe.Subscription>({
    lockIds: (subscription) => [subscription.id],
    async decide(read, event) {
      const stripeSubscription = event.object;
      const draft = await read.subscription(stripeSubscription.id);
      if (!draft) return deferUntilCheckout(read, stripeSubscription.id, stripeSubscription.metadata);
      const campaign = await requireCampaign(read, draft.row.campaign_id);
      const terms = readGoalpostMetadata(stripeSubscription.metadata);
      const snapshot = snapshotOf(stripeSubscription, { fee: terms?.feeAmount ?? draft.row.fee_amount });
      draft.snapshot(snapshot, event.created);
      if (kind === 'deleted') draft.cancel(snapshot.canceledAt ?? event.created);
      const fx = processed();
      refreshSubscription(fx, event, draft, campaign);
      return fx;
    },
  });
}

/** The failed renewal an invoice.payment_failed reports. */
function failedRenewalOf(invoice: Stripe.Invoice, at: Date): FailedRenewal {
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
export const invoicePaymentFailed = handler<Stripe.Invoice>({
  lockIds: (invoice) => [invoice.id, subscriptionOfInvoice(invoice)],
  async decide(read, event) {
    const invoice = event.object;
    const subscriptionId = subscriptionOfInvoice(invoice);
    if (!subscriptionId) return ignored('not a subscription invoice');
    const draft = await read.subscription(subscriptionId);
    if (!draft) return deferUntilCheckout(read, subscriptionId, invoice.parent?.subscription_details?.metadata);
    const wrongCurrency = currencyRefusal(`invoice ${invoice.id}`, invoice.currency, draft.row.currency);
    if (wrongCurrency) return refused(wrongCurrency);
    const campaign = await requireCampaign(read, draft.row.campaign_id);
    const failure = failedRenewalOf(invoice, event.created);
    const paidSince = (await read.donation({ invoiceId: invoice.id }))?.status === 'succeeded';
    draft.failed(failure, paidSince);
    const fx = processed();
    const after = refreshSubscription(fx, event, draft, campaign);
    if (after.donor_email && !paidSince && after.status !== 'canceled') {
      fx.mails.push({
        kind: 'payment_failed',
        donationId: null,
        dedupeKey: failedRenewalMailKey(invoice.id),
        toEmail: after.donor_email,
        payload: { subscription_id: after.id, invoice_id: invoice.id, amount: failure.amount, currency: after.currency },
      });
    }
    fx.consumerEvents.push({
      type: 'donation.failed',
      data: donationFailedData(after, campaign, failure),
      dedupeKey: `donation.failed:${invoice.id}`,
      at: event.created,
    });
    return fx;
  },
});
