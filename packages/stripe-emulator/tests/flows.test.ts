import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStripeEmulator, startWebhookReceiver, type TestStripeEmulator, type WebhookReceiver } from '../src/testing/index.js';
import { METADATA, monthlySession, oneTimeSession, typesOf, verifiedEvents } from './support.js';

let emulator: TestStripeEmulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  receiver = await startWebhookReceiver();
  emulator.sendWebhooksTo(receiver.url);
});
afterEach(async () => {
  await emulator.controls.waitForDeliveries();
  await receiver.close();
});

async function eventsAfter(work: () => unknown): Promise<Stripe.Event[]> {
  await emulator.controls.waitForDeliveries();
  const before = receiver.received.length;
  await work();
  await emulator.controls.waitForDeliveries();
  return verifiedEvents(emulator.stripe, receiver.received.slice(before), emulator.webhookSecret);
}

function objectOf<T>(events: Stripe.Event[], type: string): T {
  const event = events.find((candidate) => candidate.type === type);
  if (!event) throw new Error(`no ${type} among ${typesOf(events).join(', ')}`);
  return event.data.object as T;
}

describe('the hosted Checkout page', () => {
  it('Pay redirects to the success URL and sends signed one-time payment events in Stripe order', async () => {
    const session = await oneTimeSession(emulator.stripe);
    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('development tool');
    expect(html).toContain('$25.00');

    const events = await eventsAfter(async () => {
      const paid = await fetch(session.url!, {
        method: 'POST',
        body: new URLSearchParams({ action: 'pay', email: 'jenny@example.org', name: 'Jenny Rosen' }),
        redirect: 'manual',
      });
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe(`https://news.example/thanks?session_id=${session.id}`);
    });

    expect(typesOf(events)).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed']);
    const completed = objectOf<Stripe.Checkout.Session>(events, 'checkout.session.completed');
    expect(completed).toMatchObject({ id: session.id, status: 'complete', payment_status: 'paid', mode: 'payment', metadata: METADATA });
    expect(completed.customer_details).toMatchObject({ email: 'jenny@example.org', name: 'Jenny Rosen' });
    const paymentIntent = objectOf<Stripe.PaymentIntent>(events, 'payment_intent.succeeded');
    expect(paymentIntent).toMatchObject({ id: completed.payment_intent, status: 'succeeded', amount: 2500, amount_received: 2500, metadata: METADATA });
    const charge = objectOf<Stripe.Charge>(events, 'charge.succeeded');
    expect(charge).toMatchObject({ payment_intent: paymentIntent.id, paid: true, status: 'succeeded', amount: 2500 });
    expect(paymentIntent.latest_charge).toBe(charge.id);
    for (const event of events) expect(event.api_version).toBe(emulator.stripe.getApiField('version'));
  });

  it('Cancel goes back to the cancel URL and leaves the session open', async () => {
    const session = await oneTimeSession(emulator.stripe);
    const canceled = await fetch(session.url!, { method: 'POST', body: new URLSearchParams({ action: 'cancel' }), redirect: 'manual' });
    expect(canceled.status).toBe(303);
    expect(canceled.headers.get('location')).toBe('https://news.example/donate');
    expect((await emulator.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('Decline fails the attempt (charge.failed, payment_intent.payment_failed) and a second Pay succeeds', async () => {
    const session = await oneTimeSession(emulator.stripe);
    const declined = await eventsAfter(async () => {
      const answer = await fetch(session.url!, { method: 'POST', body: new URLSearchParams({ action: 'decline' }) });
      expect(answer.status).toBe(402);
      expect(await answer.text()).toContain('declined');
    });
    expect(typesOf(declined)).toEqual(['charge.failed', 'payment_intent.payment_failed']);
    expect(objectOf<Stripe.PaymentIntent>(declined, 'payment_intent.payment_failed').last_payment_error?.code).toBe('card_declined');

    const paid = await eventsAfter(() => emulator.controls.pay(session.id));
    expect(objectOf<Stripe.PaymentIntent>(paid, 'payment_intent.succeeded').id).toBe(
      objectOf<Stripe.PaymentIntent>(declined, 'payment_intent.payment_failed').id,
    );
  });

  it('Pay with a delayed method completes unpaid, then async_payment_succeeded when the debit clears', async () => {
    const session = await oneTimeSession(emulator.stripe);
    const completed = await eventsAfter(() =>
      fetch(session.url!, { method: 'POST', body: new URLSearchParams({ action: 'pay_delayed' }), redirect: 'manual' }),
    );
    expect(typesOf(completed)).toEqual(['checkout.session.completed']);
    expect(objectOf<Stripe.Checkout.Session>(completed, 'checkout.session.completed').payment_status).toBe('unpaid');

    const settled = await eventsAfter(() => emulator.controls.settleDelayedPayment(session.id, 'succeeded'));
    expect(typesOf(settled)).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'checkout.session.async_payment_succeeded']);
    expect(objectOf<Stripe.Checkout.Session>(settled, 'checkout.session.async_payment_succeeded').payment_status).toBe('paid');
  });

  it('a delayed payment that fails sends async_payment_failed', async () => {
    const session = await oneTimeSession(emulator.stripe);
    emulator.controls.pay(session.id, { method: 'delayed' });
    const failed = await eventsAfter(() => emulator.controls.settleDelayedPayment(session.id, 'failed'));
    expect(typesOf(failed)).toEqual(['charge.failed', 'payment_intent.payment_failed', 'checkout.session.async_payment_failed']);
    expect(() => emulator.controls.settleDelayedPayment(session.id, 'succeeded')).toThrow(/no delayed payment/);
  });
});

describe('monthly donations', () => {
  it('paying a subscription session sends the subscription, invoice and payment events in the SDK shape', async () => {
    const session = await monthlySession(emulator.stripe, 1000);
    const events = await eventsAfter(() => emulator.controls.pay(session.id, { email: 'monthly@example.org' }));
    expect(typesOf(events)).toEqual([
      'checkout.session.completed',
      'customer.subscription.created',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    const completed = objectOf<Stripe.Checkout.Session>(events, 'checkout.session.completed');
    expect(completed).toMatchObject({ mode: 'subscription', payment_status: 'paid', payment_intent: null });
    const subscription = objectOf<Stripe.Subscription>(events, 'customer.subscription.created');
    expect(completed.subscription).toBe(subscription.id);
    expect(subscription.metadata).toMatchObject({ goalpost_frequency: 'monthly', goalpost_amount: '1000' });
    expect(subscription.items.data[0]!.price.recurring?.interval).toBe('month');

    const invoice = objectOf<Stripe.Invoice>(events, 'invoice.paid');
    expect(completed.invoice).toBe(invoice.id);
    expect(invoice).not.toHaveProperty('subscription');
    expect(invoice).not.toHaveProperty('payment_intent');
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 1000, billing_reason: 'subscription_create', customer_email: 'monthly@example.org' });
    expect(invoice.parent?.subscription_details).toEqual({ subscription: subscription.id, metadata: subscription.metadata });

    const invoicePayment = objectOf<Stripe.InvoicePayment>(events, 'invoice_payment.paid');
    const paymentIntent = objectOf<Stripe.PaymentIntent>(events, 'payment_intent.succeeded');
    expect(invoicePayment).toMatchObject({ invoice: invoice.id, status: 'paid', payment: { type: 'payment_intent', payment_intent: paymentIntent.id } });
    // Stripe does not copy subscription metadata onto an invoice's PaymentIntent.
    expect(paymentIntent.metadata).toEqual({});

    const listed = await emulator.stripe.invoicePayments.list({ invoice: invoice.id });
    expect(listed.data.map((payment) => payment.id)).toEqual([invoicePayment.id]);
  });

  it('advancing a subscription pays a renewal invoice for the next period at the given time', async () => {
    const session = await monthlySession(emulator.stripe);
    emulator.controls.pay(session.id);
    const subscriptionId = (await emulator.stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    const first = await emulator.stripe.subscriptions.retrieve(subscriptionId);
    const at = first.items.data[0]!.current_period_end + 60;

    const events = await eventsAfter(() => emulator.controls.advanceSubscription(subscriptionId, { at }));
    expect(typesOf(events)).toEqual([
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'charge.succeeded',
      'payment_intent.succeeded',
      'customer.subscription.updated',
    ]);
    const renewal = objectOf<Stripe.Invoice>(events, 'invoice.paid');
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status_transitions: { paid_at: at } });
    expect(renewal.parent?.subscription_details?.subscription).toBe(subscriptionId);
    const updated = objectOf<Stripe.Subscription>(events, 'customer.subscription.updated');
    expect(updated.latest_invoice).toBe(renewal.id);
    expect(updated.items.data[0]!.current_period_start).toBe(first.items.data[0]!.current_period_end);
  });

  it('a failed renewal sends invoice.payment_failed and makes the subscription past_due', async () => {
    const session = await monthlySession(emulator.stripe);
    emulator.controls.pay(session.id);
    const subscriptionId = (await emulator.stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    const events = await eventsAfter(() => emulator.controls.advanceSubscription(subscriptionId, { outcome: 'failed' }));
    expect(typesOf(events)).toContain('invoice.payment_failed');
    expect(typesOf(events)).not.toContain('invoice.paid');
    expect(objectOf<Stripe.Subscription>(events, 'customer.subscription.updated').status).toBe('past_due');
  });

  it('a delayed first payment leaves the subscription incomplete until it clears', async () => {
    const session = await monthlySession(emulator.stripe);
    const started = await eventsAfter(() => emulator.controls.pay(session.id, { method: 'delayed' }));
    expect(typesOf(started)).toEqual(['checkout.session.completed', 'customer.subscription.created']);
    expect(objectOf<Stripe.Subscription>(started, 'customer.subscription.created').status).toBe('incomplete');
    const settled = await eventsAfter(() => emulator.controls.settleDelayedPayment(session.id, 'succeeded'));
    expect(typesOf(settled)).toEqual([
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'charge.succeeded',
      'payment_intent.succeeded',
      'customer.subscription.updated',
      'checkout.session.async_payment_succeeded',
    ]);
    expect(objectOf<Stripe.Subscription>(settled, 'customer.subscription.updated').status).toBe('active');
  });

  it('DELETE /v1/subscriptions/:id cancels and sends customer.subscription.deleted', async () => {
    const session = await monthlySession(emulator.stripe);
    emulator.controls.pay(session.id);
    const subscriptionId = (await emulator.stripe.checkout.sessions.retrieve(session.id)).subscription as string;
    const events = await eventsAfter(() => emulator.stripe.subscriptions.cancel(subscriptionId));
    expect(typesOf(events)).toEqual(['customer.subscription.deleted']);
    expect(objectOf<Stripe.Subscription>(events, 'customer.subscription.deleted').status).toBe('canceled');
  });
});

describe('refunds, disputes and expiry', () => {
  async function paidCharge(amount = 2500): Promise<Stripe.Charge> {
    const session = await oneTimeSession(emulator.stripe, amount);
    emulator.controls.pay(session.id);
    const paymentIntent = await emulator.stripe.paymentIntents.retrieve(
      (await emulator.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string,
    );
    return emulator.stripe.charges.retrieve(paymentIntent.latest_charge as string);
  }

  it('POST /v1/refunds sends refund.created then charge.refunded with the cumulative amount_refunded', async () => {
    const charge = await paidCharge(3000);
    const first = await eventsAfter(() =>
      emulator.stripe.refunds.create({ payment_intent: charge.payment_intent as string, amount: 1000 }, { idempotencyKey: 'refund-1' }),
    );
    expect(typesOf(first)).toEqual(['refund.created', 'charge.refunded']);
    expect(objectOf<Stripe.Refund>(first, 'refund.created')).toMatchObject({ amount: 1000, charge: charge.id, payment_intent: charge.payment_intent });
    expect(objectOf<Stripe.Charge>(first, 'charge.refunded')).toMatchObject({ amount_refunded: 1000, refunded: false });
    expect(first[0]!.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: 'refund-1' });

    const second = await eventsAfter(() => emulator.controls.refund(charge.id));
    expect(objectOf<Stripe.Charge>(second, 'charge.refunded')).toMatchObject({ amount_refunded: 3000, refunded: true });
    await expect(emulator.stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({ code: 'charge_already_refunded', statusCode: 400 });
  });

  it('a refund larger than what is left is refused with amount_too_large', async () => {
    const charge = await paidCharge(2000);
    await expect(emulator.stripe.refunds.create({ charge: charge.id, amount: 2001 })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'amount_too_large',
      param: 'amount',
    });
  });

  it('disputes open with charge.dispute.created and close won or lost with charge.dispute.closed', async () => {
    const charge = await paidCharge();
    const opened = await eventsAfter(() => emulator.controls.openDispute(charge.id));
    expect(typesOf(opened)).toEqual(['charge.dispute.created']);
    const dispute = objectOf<Stripe.Dispute>(opened, 'charge.dispute.created');
    expect(dispute).toMatchObject({ charge: charge.id, payment_intent: charge.payment_intent, amount: 2500, status: 'needs_response' });

    const closed = await eventsAfter(() => emulator.controls.closeDispute(dispute.id, 'lost'));
    expect(typesOf(closed)).toEqual(['charge.dispute.closed']);
    expect(objectOf<Stripe.Dispute>(closed, 'charge.dispute.closed').status).toBe('lost');
  });

  it('expiring a session sends checkout.session.expired, once', async () => {
    const session = await oneTimeSession(emulator.stripe);
    const events = await eventsAfter(() => emulator.stripe.checkout.sessions.expire(session.id));
    expect(typesOf(events)).toEqual(['checkout.session.expired']);
    expect(objectOf<Stripe.Checkout.Session>(events, 'checkout.session.expired')).toMatchObject({ status: 'expired', url: null });
    await expect(emulator.stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('webhook delivery', () => {
  it('retries a non-2xx answer with backoff until the endpoint accepts, re-signing each attempt', async () => {
    const flaky = await startWebhookReceiver((index) => (index < 2 ? 500 : 200));
    emulator.sendWebhooksTo(flaky.url);
    try {
      const session = await oneTimeSession(emulator.stripe);
      emulator.controls.expire(session.id);
      await emulator.controls.waitForDeliveries();
      const [event] = verifiedEvents(emulator.stripe, flaky.received, emulator.webhookSecret);
      expect(event!.type).toBe('checkout.session.expired');
      const delivery = emulator.controls.deliveries().find((candidate) => candidate.event_id === event!.id);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, last_status: 200 });
    } finally {
      await flaky.close();
    }
  });

  it('signs with Stripe\'s scheme, so a wrong secret fails verification', async () => {
    const session = await oneTimeSession(emulator.stripe);
    await eventsAfter(() => emulator.controls.expire(session.id));
    const webhook = receiver.received.at(-1)!;
    expect(String(webhook.headers['stripe-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(() =>
      emulator.stripe.webhooks.constructEvent(webhook.body, String(webhook.headers['stripe-signature']), 'whsec_wrong'),
    ).toThrow();
  });

  it('lists every event newest first at GET /v1/events, for reconciliation', async () => {
    const session = await oneTimeSession(emulator.stripe);
    const events = await eventsAfter(() => emulator.controls.pay(session.id));
    const listed = await emulator.stripe.events.list({ limit: 3 });
    expect(listed.data.map((event) => event.id)).toEqual(events.map((event) => event.id).reverse());
    const older = await emulator.stripe.events.list({ limit: 1, starting_after: listed.data[2]!.id });
    expect(older.data).toHaveLength(1);
    const newer = await emulator.stripe.events.list({ limit: 2, ending_before: listed.data[2]!.id });
    expect(newer.data.map((event) => event.id)).toEqual(listed.data.slice(0, 2).map((event) => event.id));
    const completed = await emulator.stripe.events.list({ type: 'checkout.session.completed', created: { gte: events[0]!.created } });
    expect(completed.data[0]!.id).toBe(events[2]!.id);
    expect((await emulator.stripe.events.retrieve(events[0]!.id)).type).toBe('charge.succeeded');
  });
});
