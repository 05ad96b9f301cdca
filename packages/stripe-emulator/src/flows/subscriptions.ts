import type Stripe from 'stripe';
import { buildInvoice, buildInvoicePayment, buildSubscription, finalizeInvoice } from '../builders/billing.js';
import type { EmulatorCore, EventOrigin } from '../core.js';
import { invalidRequest, missingParam } from '../errors.js';
import { addMonths, newId } from '../ids.js';
import type { Params } from '../params.js';
import { buildPrice, planOf } from '../builders/prices.js';
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
  if (subscription.pause_collection) {
    throw invalidRequest('This subscription\'s collection is paused (pause_collection): no invoice is collected.', 'subscription');
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
  // A declining card (failNextRenewal) fails the renewal unless the test says otherwise.
  const declines = core.store.decliningCustomers.has(subscription.customer as string);
  const succeeded = options.outcome ? options.outcome === 'paid' : !declines;
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

const PRORATION_BEHAVIORS = ['none', 'create_prorations', 'always_invoice'] as const;
const PAUSE_BEHAVIORS = ['keep_as_draft', 'mark_uncollectible', 'void'] as const;

function requireLive(subscription: Stripe.Subscription): void {
  if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.', 'subscription');
  }
}

/** items[0] of an update: a new ad-hoc price (price_data) for the subscription's one item. */
function readItemPrice(core: EmulatorCore, subscription: Stripe.Subscription, params: Params): Stripe.Price | null {
  const items = params.list('items');
  if (items.length === 0) return null;
  if (items.length > 1) throw invalidRequest('The Goalpost Stripe emulator updates one subscription item at a time.', 'items');
  const item = items[0]!.allowOnly(['id', 'price_data', 'quantity']);
  const current = subscription.items.data[0]!;
  if (item.requiredString('id') !== current.id) throw invalidRequest(`No such subscription item: '${item.string('id')}'`, item.name('id'), 'resource_missing');
  if (item.has('quantity') && item.integer('quantity', 1) !== 1) throw invalidRequest('Only a quantity of 1 is supported.', item.name('quantity'));
  const data = item.object('price_data').allowOnly(['currency', 'product', 'unit_amount', 'recurring']);
  const currency = data.requiredString('currency').toLowerCase();
  if (currency !== subscription.currency) {
    throw invalidRequest(`The price's currency (${currency}) must match the subscription's (${subscription.currency}).`, data.name('currency'));
  }
  const unitAmount = data.integer('unit_amount', 1);
  if (unitAmount === undefined) throw missingParam(data.name('unit_amount'));
  const recurring = data.object('recurring').allowOnly(['interval', 'interval_count']);
  const interval = recurring.oneOf('interval', ['day', 'week', 'month', 'year'] as const);
  if (!interval) throw missingParam(recurring.name('interval'));
  return buildPrice({
    id: newId('price'),
    productId: data.requiredString('product'),
    created: core.now(),
    currency,
    unitAmount,
    interval,
    intervalCount: recurring.integer('interval_count', 1) ?? 1,
  });
}

/**
 * POST /v1/subscriptions/:id: a new price for the item (from the next invoice: the emulator never
 * prorates, as with proration_behavior=none), metadata (merged), pause_collection (set, or ''
 * to resume). One customer.subscription.updated with the previous values, as Stripe sends.
 */
export function updateSubscription(core: EmulatorCore, id: string, params: Params, origin?: EventOrigin): Stripe.Subscription {
  params.allowOnly(['items', 'proration_behavior', 'metadata', 'pause_collection', 'payment_behavior', 'expand']);
  const subscription = core.store.require('subscription', id);
  requireLive(subscription);
  params.oneOf('proration_behavior', PRORATION_BEHAVIORS);
  const price = readItemPrice(core, subscription, params);
  const previous: Partial<Stripe.Subscription> = {};
  if (price) {
    previous.items = structuredClone(subscription.items);
    const item = subscription.items.data[0]!;
    item.price = price;
    item.plan = planOf(price);
  }
  if (params.has('metadata')) {
    previous.metadata = { ...subscription.metadata };
    subscription.metadata = { ...subscription.metadata, ...params.metadata() };
  }
  if (params.has('pause_collection')) {
    previous.pause_collection = subscription.pause_collection;
    if (!params.isObject('pause_collection') && params.string('pause_collection') === '') {
      subscription.pause_collection = null;
    } else {
      const pause = params.object('pause_collection').allowOnly(['behavior', 'resumes_at']);
      const behavior = pause.oneOf('behavior', PAUSE_BEHAVIORS);
      if (!behavior) throw missingParam(pause.name('behavior'));
      subscription.pause_collection = { behavior, resumes_at: pause.integer('resumes_at') ?? null };
    }
  }
  if (Object.keys(previous).length) core.emit('customer.subscription.updated', subscription, { previous, origin });
  return subscription;
}

/**
 * Test control: the subscription's card declines from now on (card_declined), so its next renewal
 * fails. A card updated in the Billing Portal, or a retry told to succeed, ends it.
 */
export function failNextRenewal(core: EmulatorCore, id: string): Stripe.Subscription {
  const subscription = core.store.require('subscription', id);
  requireLive(subscription);
  core.store.decliningCustomers.add(subscription.customer as string);
  return subscription;
}

/**
 * Test control: Stripe's Smart Retries try a failed invoice again — the same invoice and
 * PaymentIntent, a new charge, attempt_count + 1. Paid: the invoice events, then the
 * subscription back to active; failed again: another invoice.payment_failed.
 */
export function retryInvoice(core: EmulatorCore, invoiceId: string, outcome: 'paid' | 'failed' = 'paid', at = core.now()): Stripe.Invoice {
  const invoice = core.store.require('invoice', invoiceId);
  if (invoice.status !== 'open' || !invoice.attempted) throw invalidRequest('Only an open invoice whose payment failed can be retried.', 'invoice');
  const subscriptionId = invoice.parent?.subscription_details?.subscription as string;
  const subscription = core.store.require('subscription', subscriptionId);
  requireLive(subscription);
  const invoicePayment = core.store.list('invoice_payment', (payment) => payment.invoice === invoice.id)[0]!;
  const paymentIntent = core.store.require('payment_intent', invoicePayment.payment.payment_intent as string);
  const payment = startPayment(
    core,
    {
      amount: invoice.amount_due,
      currency: invoice.currency,
      customer: subscription.customer as string,
      description: 'Subscription update',
      metadata: {},
      donor: { email: invoice.customer_email ?? 'donor@example.com', name: invoice.customer_name },
      method: 'card',
      at,
    },
    paymentIntent,
  );
  invoice.attempt_count += 1;
  if (outcome === 'paid') core.store.decliningCustomers.delete(subscription.customer as string);
  settleInvoice(core, { invoice, invoicePayment, payment }, outcome === 'paid', at);
  if (outcome === 'paid') {
    invoice.next_payment_attempt = null;
    if (subscription.status === 'past_due') subscriptionStatusChange(core, subscription, 'active', at);
  }
  return invoice;
}
