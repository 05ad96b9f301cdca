import type Stripe from 'stripe';
import type { CampaignRow } from '../../db/campaigns.js';
import type { CheckoutRow } from '../../db/checkouts.js';
import type { Attribution } from '../../domain/donation.js';
import { currencyRefusal, unknownSessionRefusal } from '../../domain/foreign-money.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import type { DonationStatus } from '../../domain/ledger.js';
import { subscriptionEventData } from '../consumer-payloads.js';
import { DonationDraft } from '../ledger/donation-draft.js';
import { ignored, processed, refused, type EventEffects } from '../ledger/effects.js';
import { SubscriptionDraft } from '../ledger/subscription-draft.js';
import { paidIn, settleDraft } from './payments.js';
import { handler, idOf, type EventInput, type LedgerRead } from './types.js';

type SessionEvent = 'completed' | 'async_payment_succeeded' | 'async_payment_failed' | 'expired';

interface CheckoutContext {
  read: LedgerRead;
  fx: EventEffects;
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

/** What brought the donor, as the checkout recorded it. */
export function attributionOf(request: CheckoutRow): Attribution {
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
export function checkoutSessionHandler(kind: SessionEvent) {
  return handler<Stripe.Checkout.Session>({
    lockIds: (session) => [session.id, idOf(session.payment_intent), idOf(session.subscription), idOf(session.invoice)],
    async decide(read, event) {
      const session = event.object;
      if (!readGoalpostMetadata(session.metadata)) return ignored('not a Goalpost checkout (no goalpost metadata)');
      const request = await read.checkout(session.id);
      if (!request) return refused(unknownSessionRefusal(session.id));
      const wrongCurrency = currencyRefusal(`checkout ${session.id}`, session.currency, request.currency);
      if (wrongCurrency) return refused(wrongCurrency);
      const campaign = await read.campaign(request.campaign_id);
      if (!campaign) return ignored(`campaign ${request.campaign_id} does not exist in this Goalpost`);
      const campaignCurrency = currencyRefusal(`checkout ${session.id}`, request.currency, campaign.currency);
      if (campaignCurrency) return refused(campaignCurrency);
      const fx = processed();
      fx.checkout = { sessionId: session.id, status: kind === 'expired' ? 'expired' : 'complete' };
      // Fees excluded: the amount the donor gives, never what Stripe charged.
      const context: CheckoutContext = { read, fx, event, session, campaign, request, amount: request.amount, feeAmount: request.fee_amount };
      if (context.amount <= 0) return fx.ignored('the checkout carries no donation amount');
      return session.mode === 'subscription' ? monthlyCheckout(context, kind) : oneTimeCheckout(context, kind);
    },
  });
}

async function oneTimeCheckout(context: CheckoutContext, kind: SessionEvent): Promise<EventEffects> {
  const { read, fx, event, session, campaign } = context;
  const paymentIntentId = idOf(session.payment_intent);
  const incoming = oneTimeStatus(kind, session);
  const paid = paidIn(campaign, event.created);
  const found =
    (await read.donation({ checkoutSessionId: session.id })) ?? (await read.donation({ paymentIntentId }));
  let draft: DonationDraft;
  if (!found) {
    if (incoming === 'expired') return fx.processed('the checkout expired without a payment');
    draft = DonationDraft.create({
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
  } else {
    draft = DonationDraft.of(found).advance(incoming, paid).link({ payment_intent_id: paymentIntentId, checkout_session_id: session.id });
  }
  await settleDraft(read, fx, draft, event, campaign);
  fx.arrived.push({ payment_intent_id: draft.row.payment_intent_id, charge_id: draft.row.charge_id });
  return fx;
}

/**
 * A monthly donation's checkout records the subscription. Its money is counted by invoice.paid
 * (the first invoice is this checkout's payment: counted once, in the month it was paid); until
 * then the first invoice's donation waits here as pending, or failed if the payment failed.
 */
async function monthlyCheckout(context: CheckoutContext, kind: SessionEvent): Promise<EventEffects> {
  const { read, fx, event, session, campaign } = context;
  const subscriptionId = idOf(session.subscription);
  const firstInvoiceId = idOf(session.invoice);
  if (!subscriptionId) return fx.processed(kind === 'expired' ? 'the checkout expired without a payment' : 'no subscription on the session yet');
  const donor = donorOf(context);
  const existing = await read.subscription(subscriptionId);
  // A subscription recorded before keeps its terms; this checkout only fills in what was missing.
  const draft = SubscriptionDraft.record(existing, {
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
    started_at: event.created,
  });
  fx.subscriptions.push(draft.change());
  const subscription = draft.row;
  if (!existing) {
    fx.consumerEvents.push({
      type: 'subscription.created',
      data: subscriptionEventData(subscription, campaign),
      dedupeKey: `subscription.created:${subscription.id}`,
      at: event.created,
    });
  }
  if (firstInvoiceId) {
    const incoming: DonationStatus = kind === 'async_payment_failed' ? 'failed' : kind === 'expired' ? 'expired' : 'pending';
    const found = await read.donation({ invoiceId: firstInvoiceId });
    const donation = found
      ? DonationDraft.of(found).advance(incoming, paidIn(campaign, event.created)).link({ checkout_session_id: session.id })
      : DonationDraft.create({
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
    fx.write(donation);
  }
  fx.arrived.push({ subscription_id: subscription.id, invoice_id: firstInvoiceId });
  return fx;
}
