import type Stripe from 'stripe';
import type { ReceivedWebhook } from '../src/testing/index.js';

export const METADATA = {
  goalpost_campaign_id: '7',
  goalpost_campaign: 'support',
  goalpost_frequency: 'one_time',
  goalpost_amount: '2500',
  goalpost_fee_amount: '0',
};

const SUCCESS_URL = 'https://news.example/thanks?session_id={CHECKOUT_SESSION_ID}';

export function oneTimeSession(stripe: Stripe, amount = 2500) {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    submit_type: 'donate',
    line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: amount, product_data: { name: 'Donation to Support' } } }],
    metadata: METADATA,
    payment_intent_data: { metadata: METADATA },
    customer_email: 'donor@example.org',
    success_url: SUCCESS_URL,
    cancel_url: 'https://news.example/donate',
  });
}

export function monthlySession(stripe: Stripe, amount = 1000) {
  const metadata = { ...METADATA, goalpost_frequency: 'monthly', goalpost_amount: String(amount) };
  return stripe.checkout.sessions.create({
    mode: 'subscription',
    submit_type: 'donate',
    line_items: [
      { quantity: 1, price_data: { currency: 'usd', unit_amount: amount, recurring: { interval: 'month' }, product_data: { name: 'Donation to Support' } } },
    ],
    metadata,
    subscription_data: { metadata },
    success_url: SUCCESS_URL,
    cancel_url: 'https://news.example/donate',
  });
}

/** Verifies each delivery the way Goalpost's webhook endpoint does, and returns the events. */
export function verifiedEvents(stripe: Stripe, received: ReceivedWebhook[], secret: string): Stripe.Event[] {
  return received.map((webhook) => stripe.webhooks.constructEvent(webhook.body, String(webhook.headers['stripe-signature']), secret));
}

export const typesOf = (events: Stripe.Event[]) => events.map((event) => event.type);
