import type Stripe from 'stripe';
import { customerDetails } from '../builders/checkout-session.js';
import { approvedOutcome, buildCharge, buildPaymentIntent, declinedOutcome, declineError } from '../builders/payments.js';
import type { EmulatorCore } from '../core.js';
import { newId } from '../ids.js';

export type PaymentMethodKind = 'card' | 'delayed';

export interface Donor {
  email: string;
  name: string | null;
}

export interface PaymentInit {
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  donor: Donor;
  method: PaymentMethodKind;
  at: number;
}

export interface Payment {
  paymentIntent: Stripe.PaymentIntent;
  charge: Stripe.Charge;
}

/** A confirmed PaymentIntent with its (not yet settled) charge. */
export function startPayment(core: EmulatorCore, init: PaymentInit, existing?: Stripe.PaymentIntent): Payment {
  const paymentMethod = newId('pm');
  const paymentIntent =
    existing ??
    core.store.insert(
      'payment_intent',
      buildPaymentIntent({
        id: newId('pi'),
        created: init.at,
        amount: init.amount,
        currency: init.currency,
        customer: init.customer,
        description: init.description,
        metadata: init.metadata,
        receiptEmail: null,
        paymentMethod,
      }),
    );
  const charge = core.store.insert(
    'charge',
    buildCharge({
      id: newId('ch'),
      created: init.at,
      amount: init.amount,
      currency: init.currency,
      customer: init.customer,
      description: init.description,
      paymentIntent: paymentIntent.id,
      paymentMethod,
      email: init.donor.email,
      name: init.donor.name,
      method: init.method === 'card' ? 'card' : 'us_bank_account',
    }),
  );
  paymentIntent.payment_method = paymentMethod;
  paymentIntent.payment_method_types = [init.method === 'card' ? 'card' : 'us_bank_account'];
  paymentIntent.latest_charge = charge.id;
  paymentIntent.last_payment_error = null;
  paymentIntent.status = 'processing';
  return { paymentIntent, charge };
}

export function succeedPayment({ paymentIntent, charge }: Payment): void {
  charge.status = 'succeeded';
  charge.paid = true;
  charge.captured = true;
  charge.amount_captured = charge.amount;
  charge.outcome = approvedOutcome();
  charge.balance_transaction = newId('txn');
  paymentIntent.status = 'succeeded';
  paymentIntent.amount_received = paymentIntent.amount;
}

export function failPayment({ paymentIntent, charge }: Payment): void {
  charge.status = 'failed';
  charge.failure_code = 'card_declined';
  charge.failure_message = 'Your card was declined.';
  charge.outcome = declinedOutcome();
  paymentIntent.status = 'requires_payment_method';
  paymentIntent.last_payment_error = declineError(charge);
}

/** The payment behind a PaymentIntent's latest charge. */
export function paymentOf(core: EmulatorCore, paymentIntentId: string): Payment {
  const paymentIntent = core.store.require('payment_intent', paymentIntentId);
  const charge = core.store.require('charge', paymentIntent.latest_charge as string);
  return { paymentIntent, charge };
}

/** Completing the hosted page: what the donor entered becomes the session's customer details. */
export function completeSession(session: Stripe.Checkout.Session, donor: Donor, paid: boolean): void {
  session.status = 'complete';
  session.payment_status = paid ? 'paid' : 'unpaid';
  session.customer_details = customerDetails(donor.email, donor.name);
  session.url = null;
}
