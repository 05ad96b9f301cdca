import type Stripe from 'stripe';
import { lockDonationBy } from '../../db/donations.js';
import { findSubscription } from '../../db/subscriptions.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { invoiceDonationAmounts } from '../../domain/ledger.js';
import { DonationDraft } from '../ledger/donation-draft.js';
import { EventEffects, ignored, processed } from '../ledger/effects.js';
import { settle } from '../ledger/settle.js';
import { assertCampaignCurrency, paidIn } from './payments.js';
import { handler, idOf, requireCampaign, type LedgerRead } from './types.js';

/**
 * The subscription an invoice bills. The SDK's pinned API version has it only under
 * invoice.parent.subscription_details; older versions had invoice.subscription.
 */
function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
  return idOf(invoice.parent?.subscription_details?.subscription ?? legacy ?? null);
}

/** An event about a subscription we do not know (yet): deferred if it is ours, else ignored. */
async function unknownSubscription(read: LedgerRead, subscriptionId: string, metadata: Stripe.Metadata | null | undefined): Promise<EventEffects> {
  const goalpost = readGoalpostMetadata(metadata);
  if (!goalpost || !(await read.campaign(goalpost.campaignId))) return ignored('not a Goalpost subscription (no goalpost metadata)');
  return new EventEffects().deferred({ subscription_id: subscriptionId }, 'waiting for the checkout that started this monthly donation');
}

/**
 * invoice.paid (and invoice.payment_succeeded, Stripe's twin event for the same payment): each
 * paid invoice of a monthly donation is one donation, in the month it was paid. The first
 * invoice is the checkout's payment: it becomes the donation the checkout left pending, so it
 * counts once. An invoice whose subscription's checkout has not arrived yet is deferred until it
 * does (the checkout row says who the donor is and whether they asked to stay anonymous).
 */
export const invoicePaid = handler<Stripe.Invoice>({
  lockIds: (invoice) => [invoice.id, subscriptionOfInvoice(invoice)],
  async decide(read, event) {
    const invoice = event.object;
    const subscriptionId = subscriptionOfInvoice(invoice);
    if (!subscriptionId) return ignored('not a subscription invoice');
    const subscription = await findSubscription(read.db, subscriptionId);
    if (!subscription) return unknownSubscription(read, subscriptionId, invoice.parent?.subscription_details?.metadata);
    if (invoice.amount_paid <= 0) return ignored('nothing was paid on this invoice');
    const campaign = await requireCampaign(read, subscription.campaign_id);
    assertCampaignCurrency(campaign, invoice.currency, `invoice ${invoice.id}`);
    const paidAt = invoice.status_transitions?.paid_at ? new Date(invoice.status_transitions.paid_at * 1000) : event.created;
    const paid = paidIn(campaign, paidAt);
    const amounts = invoiceDonationAmounts(invoice.amount_paid, { amount: subscription.amount, fee: subscription.fee_amount });
    const found = await lockDonationBy(read.db, { invoiceId: invoice.id });
    const draft = found
      ? DonationDraft.of(found).advance('succeeded', paid, amounts)
      : DonationDraft.create({
          campaign_id: campaign.id,
          status: 'succeeded',
          frequency: 'monthly',
          amount: amounts.amount,
          fee_amount: amounts.fee,
          currency: campaign.currency,
          donor_email: subscription.donor_email ?? invoice.customer_email,
          donor_name: subscription.donor_name,
          anonymous: subscription.anonymous,
          message: null,
          checkout_session_id: invoice.id === subscription.first_invoice_id ? subscription.checkout_session_id : null,
          subscription_id: subscription.id,
          payment_intent_id: null,
          invoice_id: invoice.id,
          paid,
        });
    const fx = processed();
    await settle(read.db, fx, draft, { campaign, stripeEventId: event.id, at: event.created });
    const write = draft.write();
    if (write) fx.donations.push(write);
    fx.arrived.push({ invoice_id: invoice.id, payment_intent_id: draft.row.payment_intent_id, charge_id: draft.row.charge_id });
    return fx;
  },
});

const paymentIdsOf = (payment: Stripe.InvoicePayment) => ({
  invoiceId: idOf(payment.invoice),
  paymentIntentId: idOf(payment.payment?.payment_intent ?? null),
  chargeId: idOf(payment.payment?.charge ?? null),
});

/**
 * invoice_payment.paid: the only place the pinned API version names an invoice's payment
 * intent. Linking it lets refunds and disputes (which name the payment intent and charge) find
 * the invoice's donation; an invoice not counted yet defers this until invoice.paid arrives.
 */
export const invoicePaymentPaid = handler<Stripe.InvoicePayment>({
  lockIds: (payment) => Object.values(paymentIdsOf(payment)),
  async decide(read, event) {
    const { invoiceId, paymentIntentId, chargeId } = paymentIdsOf(event.object);
    if (!invoiceId || (!paymentIntentId && !chargeId)) return ignored('the invoice payment names no invoice or payment');
    const found = await lockDonationBy(read.db, { invoiceId });
    if (!found) return new EventEffects().deferred({ invoice_id: invoiceId }, 'waiting for the invoice it pays');
    const draft = DonationDraft.of(found).link({ payment_intent_id: paymentIntentId, charge_id: chargeId });
    const fx = processed();
    const write = draft.write();
    if (write) fx.donations.push(write);
    fx.arrived.push({ payment_intent_id: draft.row.payment_intent_id, charge_id: draft.row.charge_id });
    return fx;
  },
});

/** customer.subscription.deleted: the monthly donation stops; money already given stays. */
export const subscriptionDeleted = handler<Stripe.Subscription>({
  lockIds: (subscription) => [subscription.id],
  async decide(read, event) {
    const stripeSubscription = event.object;
    const subscription = await findSubscription(read.db, stripeSubscription.id);
    if (!subscription) return unknownSubscription(read, stripeSubscription.id, stripeSubscription.metadata);
    const canceledAt = stripeSubscription.canceled_at ?? stripeSubscription.ended_at;
    const fx = processed();
    fx.subscription = { cancel: subscription.id, at: canceledAt ? new Date(canceledAt * 1000) : event.created };
    return fx;
  },
});
