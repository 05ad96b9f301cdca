import type Stripe from 'stripe';
import { findDonationBy, insertDonation, updateDonation } from '../../db/donations.js';
import { lockStripeIds } from '../../db/locks.js';
import { findSubscription, recordSubscriptionPaid } from '../../db/subscriptions.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { invoiceDonationAmounts } from '../../domain/ledger.js';
import { currencyRefusal } from '../../domain/foreign-money.js';
import { advanceDonation, paidIn, settle } from './payments.js';
import { refreshSubscription, subscriptionOfInvoice, waitForCheckout } from './subscriptions.js';
import { idOf, ignored, processed, refused, requireCampaign, type EventHandler } from './types.js';

/**
 * invoice.paid (and invoice.payment_succeeded, Stripe's twin event for the same payment): each
 * paid invoice of a monthly donation is one donation, in the month it was paid. The first
 * invoice is the checkout's payment: it becomes the donation the checkout left pending, so it
 * counts once. An invoice whose subscription's checkout has not arrived yet waits for it (the
 * checkout row says who the donor is and whether they asked to stay anonymous).
 */
export const invoicePaid: EventHandler = async (tx, event) => {
  const invoice = event.object as Stripe.Invoice;
  const subscriptionId = subscriptionOfInvoice(invoice);
  if (!subscriptionId) return ignored('not a subscription invoice');
  await lockStripeIds(tx.client, [invoice.id, subscriptionId]);
  const subscription = await findSubscription(tx.client, subscriptionId);
  if (!subscription) return waitForCheckout(tx, event, subscriptionId, invoice.parent?.subscription_details?.metadata);
  if (invoice.amount_paid <= 0) return ignored('nothing was paid on this invoice');
  const wrongCurrency = currencyRefusal(`invoice ${invoice.id}`, invoice.currency, subscription.currency);
  if (wrongCurrency) return refused(wrongCurrency);
  const campaign = await requireCampaign(tx, subscription.campaign_id);
  const paidAt = invoice.status_transitions?.paid_at ? new Date(invoice.status_transitions.paid_at * 1000) : event.created;
  const paid = paidIn(campaign, paidAt);
  // The terms the invoice was made under (Stripe copies the subscription's metadata onto it when
  // it is created): a changed amount counts from the first invoice at the new amount, whatever
  // order this and the subscription's update arrive in.
  const terms = readGoalpostMetadata(invoice.parent?.subscription_details?.metadata);
  const amounts = invoiceDonationAmounts(invoice.amount_paid, {
    amount: terms?.amount ?? subscription.amount,
    fee: terms?.feeAmount ?? subscription.fee_amount,
  });
  let donation = await findDonationBy(tx.client, { invoiceId: invoice.id });
  if (!donation) {
    donation = await insertDonation(tx.client, {
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
    if (!donation) throw new Error(`a donation for invoice ${invoice.id} appeared concurrently`);
  } else {
    donation = await advanceDonation(tx.client, donation, 'succeeded', paid, amounts);
  }
  const settled = await settle(tx, event, campaign, donation.id);
  // A paid invoice (a retry of a failed one, too) makes the subscription current again.
  await recordSubscriptionPaid(tx.client, subscription.id, paid.at);
  await refreshSubscription(tx, event, subscription, campaign);
  await tx.landed({ invoice_id: invoice.id, payment_intent_id: settled.payment_intent_id, charge_id: settled.charge_id });
  return processed();
};

/**
 * invoice_payment.paid: the only place the pinned API version names an invoice's payment
 * intent. Linking it lets refunds and disputes (which name the payment intent and charge) find
 * the invoice's donation; an invoice not counted yet keeps this waiting for invoice.paid.
 */
export const invoicePaymentPaid: EventHandler = async (tx, event) => {
  const payment = event.object as Stripe.InvoicePayment;
  const invoiceId = idOf(payment.invoice);
  const paymentIntentId = idOf(payment.payment?.payment_intent ?? null);
  const chargeId = idOf(payment.payment?.charge ?? null);
  if (!invoiceId || (!paymentIntentId && !chargeId)) return ignored('the invoice payment names no invoice or payment');
  await lockStripeIds(tx.client, [invoiceId, paymentIntentId, chargeId]);
  const donation = await findDonationBy(tx.client, { invoiceId });
  if (!donation) return tx.defer(event, { invoice_id: invoiceId }, 'waiting for the invoice it pays');
  const linked = await updateDonation(tx.client, donation.id, { links: { payment_intent_id: paymentIntentId, charge_id: chargeId } });
  await tx.landed({ payment_intent_id: linked.payment_intent_id, charge_id: linked.charge_id });
  return processed();
};
