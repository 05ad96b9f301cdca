import type Stripe from 'stripe';
import { currencyRefusal } from '../../domain/foreign-money.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { invoiceDonationAmounts } from '../../domain/ledger.js';
import { DonationDraft } from '../ledger/donation-draft.js';
import { deferred, ignored, processed, refused } from '../ledger/effects.js';
import { attributionOf } from './checkout-sessions.js';
import { paidIn, settleDraft } from './payments.js';
import { deferUntilCheckout, refreshSubscription, subscriptionOfInvoice } from './subscriptions.js';
import { handler, idOf, requireCampaign } from './types.js';

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
    const subscription = await read.subscription(subscriptionId);
    if (!subscription) return deferUntilCheckout(read, subscriptionId, invoice.parent?.subscription_details?.metadata);
    if (invoice.amount_paid <= 0) return ignored('nothing was paid on this invoice');
    const terms = subscription.row;
    const wrongCurrency = currencyRefusal(`invoice ${invoice.id}`, invoice.currency, terms.currency);
    if (wrongCurrency) return refused(wrongCurrency);
    const campaign = await requireCampaign(read, terms.campaign_id);
    const paidAt = invoice.status_transitions?.paid_at ? new Date(invoice.status_transitions.paid_at * 1000) : event.created;
    const paid = paidIn(campaign, paidAt);
    // The terms the invoice was made under (Stripe copies the subscription's metadata onto it when
    // it is created): a changed amount counts from the first invoice at the new amount, whatever
    // order this and the subscription's update arrive in.
    const invoiceTerms = readGoalpostMetadata(invoice.parent?.subscription_details?.metadata);
    const amounts = invoiceDonationAmounts(invoice.amount_paid, {
      amount: invoiceTerms?.amount ?? terms.amount,
      fee: invoiceTerms?.feeAmount ?? terms.fee_amount,
    });
    const found = await read.donation({ invoiceId: invoice.id });
    // A renewal was brought by what brought the monthly donation: its checkout's source and utm_*.
    const checkout = found || !terms.checkout_session_id ? null : await read.checkout(terms.checkout_session_id);
    const draft = found
      ? DonationDraft.of(found).advance('succeeded', paid, amounts)
      : DonationDraft.create({
          campaign_id: campaign.id,
          status: 'succeeded',
          frequency: 'monthly',
          amount: amounts.amount,
          fee_amount: amounts.fee,
          currency: campaign.currency,
          donor_email: terms.donor_email ?? invoice.customer_email,
          donor_name: terms.donor_name,
          anonymous: terms.anonymous,
          message: null,
          checkout_session_id: invoice.id === terms.first_invoice_id ? terms.checkout_session_id : null,
          subscription_id: terms.id,
          payment_intent_id: null,
          invoice_id: invoice.id,
          paid,
          attribution: checkout ? attributionOf(checkout) : undefined,
        });
    const fx = processed();
    await settleDraft(read, fx, draft, event, campaign);
    // A paid invoice (a retry of a failed one, too) makes the subscription current again.
    subscription.paid(paid.at, draft.row.status === 'succeeded' ? { invoiceId: invoice.id } : null);
    refreshSubscription(fx, event, subscription, campaign);
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
    const found = await read.donation({ invoiceId });
    if (!found) return deferred({ invoice_id: invoiceId }, 'waiting for the invoice it pays');
    const draft = DonationDraft.of(found).link({ payment_intent_id: paymentIntentId, charge_id: chargeId });
    const fx = processed().write(draft);
    fx.arrived.push({ payment_intent_id: draft.row.payment_intent_id, charge_id: draft.row.charge_id });
    return fx;
  },
});
