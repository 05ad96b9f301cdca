import type Stripe from 'stripe';
import type { EmulatorCore } from '../core.js';
import { invalidRequest } from '../errors.js';
import { requireOpenSession } from './checkout.js';
import { completeSession, failPayment, paymentOf, startPayment, succeedPayment, type Donor, type PaymentMethodKind } from './payments.js';
import { announceInvoicePaid, latestAttempt, settleInvoice, startSubscription, subscriptionStatusChange } from './subscriptions.js';

export interface PayOptions {
  method?: PaymentMethodKind;
  email?: string;
  name?: string;
}

function donorFor(session: Stripe.Checkout.Session, options: PayOptions): Donor {
  const email = options.email?.trim() || session.customer_email || 'donor@example.com';
  return { email, name: options.name?.trim() || null };
}

function payOneTime(core: EmulatorCore, session: Stripe.Checkout.Session, donor: Donor, method: PaymentMethodKind): void {
  const extras = core.store.checkoutExtras.get(session.id)!;
  const existing = session.payment_intent ? core.store.get('payment_intent', session.payment_intent as string) : undefined;
  const payment = startPayment(
    core,
    {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? 'usd',
      customer: null,
      description: extras.paymentIntentData.description,
      metadata: extras.paymentIntentData.metadata,
      donor,
      method,
      at: core.now(),
    },
    existing,
  );
  session.payment_intent = payment.paymentIntent.id;
  if (method === 'delayed') {
    completeSession(session, donor, false);
    core.emit('checkout.session.completed', session);
    return;
  }
  succeedPayment(payment);
  completeSession(session, donor, true);
  core.emit('charge.succeeded', payment.charge);
  core.emit('payment_intent.succeeded', payment.paymentIntent);
  core.emit('checkout.session.completed', session);
}

function paySubscription(core: EmulatorCore, session: Stripe.Checkout.Session, donor: Donor, method: PaymentMethodKind): void {
  const started = startSubscription(core, session, donor, method);
  completeSession(session, donor, method === 'card');
  core.emit('checkout.session.completed', session);
  core.emit('customer.subscription.created', started.subscription);
  if (method === 'card') announceInvoicePaid(core, started, core.now());
}

/**
 * The hosted page's Pay (card: paid now) and Pay with a delayed method (bank debit: the session
 * completes unpaid; `settleDelayedPayment` decides later).
 */
export function payCheckoutSession(core: EmulatorCore, id: string, options: PayOptions = {}): Stripe.Checkout.Session {
  const session = requireOpenSession(core, id);
  const donor = donorFor(session, options);
  const method = options.method ?? 'card';
  core.store.checkoutExtras.get(id)!.delayed = method === 'delayed';
  if (session.mode === 'subscription') paySubscription(core, session, donor, method);
  else payOneTime(core, session, donor, method);
  return session;
}

/**
 * A declined card: in payment mode the attempt fails (charge.failed, payment_intent.payment_failed)
 * and the session stays open for another try; in subscription mode Checkout creates nothing.
 */
export function declineCheckoutSession(core: EmulatorCore, id: string, options: PayOptions = {}): Stripe.Checkout.Session {
  const session = requireOpenSession(core, id);
  if (session.mode !== 'payment') return session;
  const extras = core.store.checkoutExtras.get(id)!;
  const existing = session.payment_intent ? core.store.get('payment_intent', session.payment_intent as string) : undefined;
  const payment = startPayment(
    core,
    {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? 'usd',
      customer: null,
      description: extras.paymentIntentData.description,
      metadata: extras.paymentIntentData.metadata,
      donor: donorFor(session, options),
      method: 'card',
      at: core.now(),
    },
    existing,
  );
  session.payment_intent = payment.paymentIntent.id;
  failPayment(payment);
  core.emit('charge.failed', payment.charge);
  core.emit('payment_intent.payment_failed', payment.paymentIntent);
  return session;
}

function settleOneTime(core: EmulatorCore, session: Stripe.Checkout.Session, succeeded: boolean): void {
  const payment = paymentOf(core, session.payment_intent as string);
  if (succeeded) {
    succeedPayment(payment);
    session.payment_status = 'paid';
    core.emit('charge.succeeded', payment.charge);
    core.emit('payment_intent.succeeded', payment.paymentIntent);
    core.emit('checkout.session.async_payment_succeeded', session);
  } else {
    failPayment(payment);
    core.emit('charge.failed', payment.charge);
    core.emit('payment_intent.payment_failed', payment.paymentIntent);
    core.emit('checkout.session.async_payment_failed', session);
  }
}

function settleSubscription(core: EmulatorCore, session: Stripe.Checkout.Session, succeeded: boolean): void {
  const subscription = core.store.require('subscription', session.subscription as string);
  const at = core.now();
  settleInvoice(core, latestAttempt(core, subscription), succeeded, at);
  if (succeeded) session.payment_status = 'paid';
  subscriptionStatusChange(core, subscription, succeeded ? 'active' : 'incomplete_expired', at);
  core.emit(succeeded ? 'checkout.session.async_payment_succeeded' : 'checkout.session.async_payment_failed', session, { at });
}

/** Test control: the bank debit started with "Pay with a delayed method" clears or fails. */
export function settleDelayedPayment(core: EmulatorCore, id: string, outcome: 'succeeded' | 'failed'): Stripe.Checkout.Session {
  const session = core.store.require('checkout.session', id);
  const extras = core.store.checkoutExtras.get(id);
  if (session.status !== 'complete' || session.payment_status !== 'unpaid' || !extras?.delayed) {
    throw invalidRequest('This Checkout Session has no delayed payment waiting to settle.', 'session');
  }
  extras.delayed = false;
  if (session.mode === 'subscription') settleSubscription(core, session, outcome === 'succeeded');
  else settleOneTime(core, session, outcome === 'succeeded');
  return session;
}
