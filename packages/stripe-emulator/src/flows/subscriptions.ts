import type Stripe from 'stripe';
import { buildInvoice, buildInvoicePayment, buildSubscription, finalizeInvoice } from '../builders/billing.js';
import type { EmulatorCore, EventOrigin } from '../core.js';
import { invalidRequest } from '../errors.js';
import { addMonths, newId } from '../ids.js';
import { failPayment, startPayment, succeedPayment, type Donor, type Payment, type PaymentMethodKind } from './payments.js';

/** An invoice with the payment attempt made for it. */
export interface InvoiceAttempt {
  invoice: Stripe.Invoice;
  invoicePayment: Stripe.InvoicePayment;
  payment: Payment;
}

function periodOf(subscription: Stripe.Subscription) {
  const item = subscription.items.data[0]!;
  return { start: item.current_period_start, end: item.current_period_end, months: item.price.recurring?.interval_count ?? 1 };
}

/** Creates, finalizes and starts paying a subscription invoice for the current period. */
function attemptInvoice(
  core: EmulatorCore,
  subscription: Stripe.Subscription,
  options: { reason: 'subscription_create' | 'subscription_cycle'; donor: Donor; method: PaymentMethodKind; at: number; announceDraft: boolean },
): InvoiceAttempt {
  const invoice = core.store.insert(
    'invoice',
    buildInvoice({
      id: newId('in'),
      lineId: newId('il'),
      created: options.at,
      subscription,
      billingReason: options.reason,
      customerEmail: options.donor.email,
      customerName: options.donor.name,
      number: '',
    }),
  );
  if (options.announceDraft) core.emit('invoice.created', invoice, { at: options.at });
  finalizeInvoice(invoice, core.store.nextInvoiceNumber(), options.at);
  if (options.announceDraft) core.emit('invoice.finalized', invoice, { at: options.at });
  const payment = startPayment(core, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: subscription.customer as string,
    description: options.reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
    // Stripe copies neither subscription nor invoice metadata onto an invoice's PaymentIntent.
    metadata: {},
    donor: options.donor,
    method: options.method,
    at: options.at,
  });
  const invoicePayment = core.store.insert('invoice_payment', buildInvoicePayment(newId('inpay'), invoice, payment.paymentIntent.id, options.at));
  invoice.attempted = true;
  invoice.attempt_count = 1;
  subscription.latest_invoice = invoice.id;
  return { invoice, invoicePayment, payment };
}

function markInvoicePaid({ invoice, invoicePayment, payment }: InvoiceAttempt, at: number): void {
  succeedPayment(payment);
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.status_transitions.paid_at = at;
  invoicePayment.status = 'paid';
  invoicePayment.amount_paid = invoice.amount_due;
  invoicePayment.status_transitions.paid_at = at;
}

function markInvoiceFailed({ invoice, payment }: InvoiceAttempt, at: number): void {
  failPayment(payment);
  invoice.next_payment_attempt = at + 3 * 24 * 3600;
}

/** The events Stripe sends when a subscription invoice is paid, in the order Goalpost relies on. */
export function announceInvoicePaid(core: EmulatorCore, attempt: InvoiceAttempt, at: number): void {
  core.emit('invoice.paid', attempt.invoice, { at });
  core.emit('invoice.payment_succeeded', attempt.invoice, { at });
  core.emit('invoice_payment.paid', attempt.invoicePayment, { at });
  core.emit('charge.succeeded', attempt.payment.charge, { at });
  core.emit('payment_intent.succeeded', attempt.payment.paymentIntent, { at });
}

function announceInvoiceFailed(core: EmulatorCore, attempt: InvoiceAttempt, at: number): void {
  core.emit('invoice.payment_failed', attempt.invoice, { at });
  core.emit('charge.failed', attempt.payment.charge, { at });
  core.emit('payment_intent.payment_failed', attempt.payment.paymentIntent, { at });
}

export function settleInvoice(core: EmulatorCore, attempt: InvoiceAttempt, succeeded: boolean, at: number): void {
  if (succeeded) {
    markInvoicePaid(attempt, at);
    announceInvoicePaid(core, attempt, at);
  } else {
    markInvoiceFailed(attempt, at);
    announceInvoiceFailed(core, attempt, at);
  }
}

/** The subscription and first invoice Checkout creates in `subscription` mode. */
export function startSubscription(
  core: EmulatorCore,
  session: Stripe.Checkout.Session,
  donor: Donor,
  method: PaymentMethodKind,
): InvoiceAttempt & { subscription: Stripe.Subscription } {
  const extras = core.store.checkoutExtras.get(session.id)!;
  const price = extras.lineItems.find((item) => item.price?.recurring)!.price!;
  const at = core.now();
  const customer = newId('cus');
  const subscription = core.store.insert(
    'subscription',
    buildSubscription({
      id: newId('sub'),
      itemId: newId('si'),
      created: at,
      customer,
      price,
      periodStart: at,
      periodEnd: addMonths(at, price.recurring?.interval_count ?? 1),
      description: extras.subscriptionData.description,
      metadata: extras.subscriptionData.metadata,
      // A bank debit leaves the first invoice processing; Stripe holds the subscription incomplete.
      status: method === 'card' ? 'active' : 'incomplete',
    }),
  );
  const attempt = attemptInvoice(core, subscription, { reason: 'subscription_create', donor, method, at, announceDraft: false });
  if (method === 'card') markInvoicePaid(attempt, at);
  session.customer = customer;
  session.subscription = subscription.id;
  session.invoice = attempt.invoice.id;
  return { ...attempt, subscription };
}

export function latestAttempt(core: EmulatorCore, subscription: Stripe.Subscription): InvoiceAttempt {
  const invoice = core.store.require('invoice', subscription.latest_invoice as string);
  const invoicePayment = core.store.list('invoice_payment', (payment) => payment.invoice === invoice.id)[0]!;
  const paymentIntent = core.store.require('payment_intent', invoicePayment.payment.payment_intent as string);
  const charge = core.store.require('charge', paymentIntent.latest_charge as string);
  return { invoice, invoicePayment, payment: { paymentIntent, charge } };
}

export function subscriptionStatusChange(
  core: EmulatorCore,
  subscription: Stripe.Subscription,
  status: Stripe.Subscription.Status,
  at: number,
): void {
  const previous = { status: subscription.status };
  subscription.status = status;
  core.emit('customer.subscription.updated', subscription, { previous, at });
}

/**
 * Test control: the subscription moves to its next period and the renewal invoice is paid (or
 * fails). `at` sets when that happens (unix seconds; default now), so tests can put a renewal in
 * a given month.
 */
export function advanceSubscription(
  core: EmulatorCore,
  id: string,
  options: { outcome?: 'paid' | 'failed'; at?: number } = {},
): InvoiceAttempt {
  const subscription = core.store.require('subscription', id);
  if (subscription.status !== 'active' && subscription.status !== 'past_due') {
    throw invalidRequest(`Only active or past_due subscriptions renew; this one is ${subscription.status}.`, 'subscription');
  }
  const at = options.at ?? core.now();
  const item = subscription.items.data[0]!;
  const previous = periodOf(subscription);
  item.current_period_start = previous.end;
  item.current_period_end = addMonths(previous.end, previous.months);
  const latest = latestAttempt(core, subscription);
  const attempt = attemptInvoice(core, subscription, {
    reason: 'subscription_cycle',
    donor: { email: latest.invoice.customer_email ?? 'donor@example.com', name: latest.invoice.customer_name },
    method: 'card',
    at,
    announceDraft: true,
  });
  const succeeded = options.outcome !== 'failed';
  settleInvoice(core, attempt, succeeded, at);
  const previousItems = structuredClone(subscription.items);
  previousItems.data[0]!.current_period_start = previous.start;
  previousItems.data[0]!.current_period_end = previous.end;
  const previousStatus = subscription.status;
  if (!succeeded) subscription.status = 'past_due';
  if (succeeded && subscription.status === 'past_due') subscription.status = 'active';
  core.emit('customer.subscription.updated', subscription, {
    previous: { items: previousItems, latest_invoice: latest.invoice.id, ...(previousStatus !== subscription.status && { status: previousStatus }) },
    at,
  });
  return attempt;
}

/** DELETE /v1/subscriptions/:id: cancels now, as the donor's "stop my monthly donation" would. */
export function cancelSubscription(core: EmulatorCore, id: string, origin?: EventOrigin): Stripe.Subscription {
  const subscription = core.store.require('subscription', id);
  if (subscription.status === 'canceled') {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.', 'subscription');
  }
  const at = core.now();
  subscription.status = 'canceled';
  subscription.canceled_at = at;
  subscription.ended_at = at;
  subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: 'cancellation_requested' };
  core.emit('customer.subscription.deleted', subscription, { origin, at });
  return subscription;
}
