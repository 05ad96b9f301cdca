import type Stripe from 'stripe';
import type { CampaignRow } from '../../db/campaigns.js';
import { advanceCheckoutStatus, findCheckout, type CheckoutRow } from '../../db/checkouts.js';
import { findDonationBy, insertDonation, updateDonation, type DonationRow } from '../../db/donations.js';
import { lockStripeIds } from '../../db/locks.js';
import { upsertSubscription } from '../../db/subscriptions.js';
import type { Attribution } from '../../domain/donation.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import type { DonationStatus } from '../../domain/ledger.js';
import { currencyRefusal, unknownSessionRefusal } from '../../domain/foreign-money.js';
import { emitConsumerEvent } from '../consumer-events.js';
import { subscriptionEventData } from '../consumer-payloads.js';
import { advanceDonation, paidIn, settle } from './payments.js';
import { idOf, ignored, processed, refused, type EventHandler, type EventInput, type LedgerTx, type Outcome } from './types.js';

type SessionEvent = 'completed' | 'async_payment_succeeded' | 'async_payment_failed' | 'expired';

interface CheckoutContext {
  tx: LedgerTx;
  event: EventInput;
  session: Stripe.Checkout.Session;
  campaign: CampaignRow;
  request: CheckoutRow;
  amount: number;
  feeAmount: number;
}

/** Who gave, as the donor asked at checkout; Stripe's copy of the email only fills a gap. */
function donorOf(context: CheckoutContext) {
  const { request, session } = context;
  return {
    donor_email: request.donor_email ?? session.customer_details?.email ?? session.customer_email ?? null,
    donor_name: request.donor_name,
    anonymous: request.anonymous,
    message: request.message,
  };
}

/** What brought the donor, as the checkout recorded it (nothing without our checkout row). */
function attributionOf(request: CheckoutRow | null): Attribution | undefined {
  if (!request) return undefined;
  return { source: request.source, utm_source: request.utm_source, utm_medium: request.utm_medium, utm_campaign: request.utm_campaign };
}

/** One-time payments: paid at completion (card) or later (delayed methods). */
function oneTimeStatus(kind: SessionEvent, session: Stripe.Checkout.Session): DonationStatus {
  switch (kind) {
    case 'completed':
      return session.payment_status === 'paid' || session.payment_status === 'no_payment_required' ? 'succeeded' : 'pending';
    case 'async_payment_succeeded':
      return 'succeeded';
    case 'async_payment_failed':
      return 'failed';
    case 'expired':
      return 'expired';
  }
}

/**
 * checkout.session.completed / async_payment_succeeded / async_payment_failed / expired.
 * Sessions without Goalpost metadata belong to another integration; sessions this deployment did
 * not create (no checkout row: another deployment on the account, or forged metadata) never
 * count. The checkout row, not the metadata, says which campaign and how much.
 */
export function checkoutSessionHandler(kind: SessionEvent): EventHandler {
  return async (tx, event) => {
    const session = event.object as Stripe.Checkout.Session;
    if (!readGoalpostMetadata(session.metadata)) return ignored('not a Goalpost checkout (no goalpost metadata)');
    await lockStripeIds(tx.client, [session.id, idOf(session.payment_intent), idOf(session.subscription), idOf(session.invoice)]);
    const request = await findCheckout(tx.client, session.id);
    if (!request) return refused(unknownSessionRefusal(session.id));
    const wrongCurrency = currencyRefusal(`checkout ${session.id}`, session.currency, request.currency);
    if (wrongCurrency) return refused(wrongCurrency);
    const campaign = await tx.campaign(request.campaign_id);
    if (!campaign) return ignored(`campaign ${request.campaign_id} does not exist in this Goalpost`);
    const campaignCurrency = currencyRefusal(`checkout ${session.id}`, request.currency, campaign.currency);
    if (campaignCurrency) return refused(campaignCurrency);
    await advanceCheckoutStatus(tx.client, session.id, kind === 'expired' ? 'expired' : 'complete');
    // Fees excluded: the amount the donor gives, never what Stripe charged.
    const context: CheckoutContext = { tx, event, session, campaign, request, amount: request.amount, feeAmount: request.fee_amount };
    if (context.amount <= 0) return ignored('the checkout carries no donation amount');
    return session.mode === 'subscription' ? monthlyCheckout(context, kind) : oneTimeCheckout(context, kind);
  };
}

async function oneTimeCheckout(context: CheckoutContext, kind: SessionEvent): Promise<Outcome> {
  const { tx, event, session, campaign } = context;
  const client = tx.client;
  const paymentIntentId = idOf(session.payment_intent);
  const incoming = oneTimeStatus(kind, session);
  const paid = paidIn(campaign, event.created);
  let donation =
    (await findDonationBy(client, { checkoutSessionId: session.id })) ??
    (await findDonationBy(client, { paymentIntentId }));
  if (!donation) {
    if (incoming === 'expired') return processed('the checkout expired without a payment');
    donation = await insertDonation(client, {
      campaign_id: campaign.id,
      status: incoming,
      frequency: 'one_time',
      amount: context.amount,
      fee_amount: context.feeAmount,
      currency: campaign.currency,
      ...donorOf(context),
      checkout_session_id: session.id,
      subscription_id: null,
      payment_intent_id: paymentIntentId,
      invoice_id: null,
      paid: incoming === 'succeeded' ? paid : null,
      attribution: attributionOf(context.request),
    });
    if (!donation) throw new Error(`a donation for checkout ${session.id} appeared concurrently`);
  } else {
    donation = await advanceDonation(client, donation, incoming, paid);
    donation = await updateDonation(client, donation.id, { links: { payment_intent_id: paymentIntentId, checkout_session_id: session.id } });
  }
  await settleAndRelease(context, donation);
  return processed();
}

/**
 * A monthly donation's checkout records the subscription. Its money is counted by invoice.paid
 * (the first invoice is this checkout's payment: counted once, in the month it was paid); until
 * then the first invoice's donation waits here as pending, or failed if the payment failed.
 */
async function monthlyCheckout(context: CheckoutContext, kind: SessionEvent): Promise<Outcome> {
  const { tx, session, campaign } = context;
  const subscriptionId = idOf(session.subscription);
  const firstInvoiceId = idOf(session.invoice);
  if (!subscriptionId) return processed(kind === 'expired' ? 'the checkout expired without a payment' : 'no subscription on the session yet');
  const donor = donorOf(context);
  const { row: subscription, inserted } = await upsertSubscription(tx.client, {
    id: subscriptionId,
    campaign_id: campaign.id,
    checkout_session_id: session.id,
    first_invoice_id: firstInvoiceId,
    amount: context.amount,
    fee_amount: context.feeAmount,
    currency: campaign.currency,
    donor_email: donor.donor_email,
    donor_name: donor.donor_name,
    anonymous: donor.anonymous,
    started_at: context.event.created,
  });
  // A new monthly donation is pledged until its first invoice is paid.
  tx.touched.add(campaign.id);
  if (inserted) {
    await emitConsumerEvent(tx.client, {
      type: 'subscription.created',
      data: subscriptionEventData(subscription, campaign),
      dedupeKey: `subscription.created:${subscription.id}`,
      at: context.event.created,
    });
  }
  if (firstInvoiceId) {
    const incoming: DonationStatus = kind === 'async_payment_failed' ? 'failed' : kind === 'expired' ? 'expired' : 'pending';
    let donation = await findDonationBy(tx.client, { invoiceId: firstInvoiceId });
    if (!donation) {
      donation = await insertDonation(tx.client, {
        campaign_id: campaign.id,
        status: incoming,
        frequency: 'monthly',
        amount: subscription.amount,
        fee_amount: subscription.fee_amount,
        currency: campaign.currency,
        ...donor,
        checkout_session_id: session.id,
        subscription_id: subscription.id,
        payment_intent_id: null,
        invoice_id: firstInvoiceId,
        paid: null,
        attribution: attributionOf(context.request),
      });
      if (!donation) throw new Error(`a donation for invoice ${firstInvoiceId} appeared concurrently`);
    } else {
      donation = await advanceDonation(tx.client, donation, incoming, paidIn(campaign, context.event.created));
      await updateDonation(tx.client, donation.id, { links: { checkout_session_id: session.id } });
    }
  }
  await tx.landed({ subscription_id: subscription.id, invoice_id: firstInvoiceId });
  return processed();
}

async function settleAndRelease(context: CheckoutContext, donation: DonationRow): Promise<void> {
  const settled = await settle(context.tx, context.event, context.campaign, donation.id);
  await context.tx.landed({ payment_intent_id: settled.payment_intent_id, charge_id: settled.charge_id });
}
