/**
 * The emulator's side of monthly donors' self-service: subscription updates and cancellation
 * through the real SDK, declined renewals and Stripe's retry, and the Billing Portal's hosted
 * page — each with the events real Stripe sends, in its order, signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, startWebhookReceiver, type TestStripeEmulator, type WebhookReceiver } from '../src/testing/index.js';
import { monthlySession, typesOf, verifiedEvents } from './support.js';

let emulator: TestStripeEmulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startStripeEmulator({ webhookUrl: receiver.url });
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

/** A paid monthly donation; returns its subscription. */
async function subscribed(amount = 1000) {
  const session = await monthlySession(emulator.stripe, amount);
  emulator.controls.pay(session.id);
  const paid = await emulator.stripe.checkout.sessions.retrieve(session.id);
  return emulator.stripe.subscriptions.retrieve(paid.subscription as string);
}

/** Where the next events start, once every event sent so far has arrived. */
async function mark(): Promise<number> {
  await emulator.controls.waitForDeliveries();
  return receiver.received.length;
}

/** The signed events sent about one object since `from` (a receiver index). */
async function eventsSince(from: number, objectId?: string) {
  await emulator.controls.waitForDeliveries();
  const events = verifiedEvents(emulator.stripe, receiver.received.slice(from), emulator.webhookSecret);
  return objectId ? events.filter((event) => JSON.stringify(event.data.object).includes(objectId)) : events;
}

describe('subscription updates', () => {
  it('changes the price from the next invoice without proration, merges metadata and announces the previous values', async () => {
    const subscription = await subscribed(1000);
    const item = subscription.items.data[0]!;
    const from = await mark();
    const updated = await emulator.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price_data: { currency: 'usd', product: item.price.product as string, unit_amount: 2500, recurring: { interval: 'month' } } }],
      proration_behavior: 'none',
      metadata: { goalpost_amount: '2500' },
    });
    expect(updated.items.data[0]!.price.unit_amount).toBe(2500);
    expect(updated.metadata).toMatchObject({ goalpost_amount: '2500', goalpost_campaign_id: '7' });

    const events = await eventsSince(from, subscription.id);
    expect(typesOf(events)).toEqual(['customer.subscription.updated']);
    const previous = events[0]!.data.previous_attributes as { items: { data: { price: { unit_amount: number } }[] }; metadata: object };
    expect(previous.items.data[0]!.price.unit_amount).toBe(1000);
    expect(previous.metadata).toMatchObject({ goalpost_amount: '1000' });

    const renewal = emulator.controls.advanceSubscription(subscription.id);
    expect(renewal).toMatchObject({ amount_due: 2500, amount_paid: 2500, status: 'paid' });
    expect(renewal.parent?.subscription_details?.metadata).toMatchObject({ goalpost_amount: '2500' });
  });

  it('pauses collection and resumes it; a paused subscription bills nothing', async () => {
    const subscription = await subscribed();
    const paused = await emulator.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void' } });
    expect(paused.pause_collection).toEqual({ behavior: 'void', resumes_at: null });
    expect(() => emulator.controls.advanceSubscription(subscription.id)).toThrow(/paused/);
    const resumed = await emulator.stripe.subscriptions.update(subscription.id, { pause_collection: '' });
    expect(resumed.pause_collection).toBeNull();
  });

  it('refuses to change a canceled subscription, an unknown item, or another currency, as Stripe does', async () => {
    const subscription = await subscribed();
    const item = subscription.items.data[0]!;
    const priceData = { currency: 'eur', product: item.price.product as string, unit_amount: 2000, recurring: { interval: 'month' as const } };
    await expect(emulator.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price_data: priceData }] })).rejects.toThrow(/currency/);
    await expect(
      emulator.stripe.subscriptions.update(subscription.id, { items: [{ id: 'si_unknown', price_data: { ...priceData, currency: 'usd' } }] }),
    ).rejects.toThrow(/No such subscription item/);
    await emulator.stripe.subscriptions.cancel(subscription.id);
    await expect(emulator.stripe.subscriptions.update(subscription.id, { metadata: { a: 'b' } })).rejects.toThrow(/canceled subscription/);
  });
});

describe('declined renewals', () => {
  it('fails the next renewal with card_declined (invoice.payment_failed, past_due), and a later retry of the same invoice pays it', async () => {
    const subscription = await subscribed(1200);
    emulator.controls.failNextRenewal(subscription.id);
    const from = await mark();
    const failed = emulator.controls.advanceSubscription(subscription.id);
    expect(failed).toMatchObject({ status: 'open', attempt_count: 1, amount_paid: 0 });
    expect(failed.next_payment_attempt).toEqual(expect.any(Number));
    const afterFailure = await eventsSince(from);
    expect(typesOf(afterFailure)).toEqual([
      'invoice.created', 'invoice.finalized', 'invoice.payment_failed', 'charge.failed', 'payment_intent.payment_failed', 'customer.subscription.updated',
    ]);
    expect((afterFailure[3]!.data.object as { failure_code: string }).failure_code).toBe('card_declined');
    expect((await emulator.stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');

    // Stripe's second try fails too; the third one pays the same invoice.
    const retriesFrom = await mark();
    emulator.controls.retryInvoice(failed.id, { outcome: 'failed' });
    const retried = emulator.controls.retryInvoice(failed.id);
    expect(retried).toMatchObject({ id: failed.id, status: 'paid', attempt_count: 3, amount_paid: 1200 });
    const afterRetries = await eventsSince(retriesFrom);
    expect(typesOf(afterRetries)).toEqual([
      'invoice.payment_failed', 'charge.failed', 'payment_intent.payment_failed',
      'invoice.paid', 'invoice.payment_succeeded', 'invoice_payment.paid', 'charge.succeeded', 'payment_intent.succeeded',
      'customer.subscription.updated',
    ]);
    expect((afterRetries[0]!.data.object as { attempt_count: number }).attempt_count).toBe(2);
    expect((await emulator.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    expect(() => emulator.controls.retryInvoice(failed.id)).toThrow(/Only an open invoice/);
  });
});

describe('Billing Portal', () => {
  it('creates a payment_method_update session whose hosted page updates the card and returns, so the next renewal succeeds', async () => {
    const subscription = await subscribed();
    emulator.controls.failNextRenewal(subscription.id);
    const portal = await emulator.stripe.billingPortal.sessions.create({
      customer: subscription.customer as string,
      return_url: 'https://news.example/donor/manage?token=abc',
      flow_data: { type: 'payment_method_update' },
    });
    expect(portal).toMatchObject({ object: 'billing_portal.session', return_url: 'https://news.example/donor/manage?token=abc', flow: { type: 'payment_method_update' } });

    const page = await fetch(portal.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Update payment method');
    const update = await fetch(portal.url, { method: 'POST', body: new URLSearchParams({ action: 'update_card' }), redirect: 'manual' });
    expect(update.status).toBe(303);
    expect(update.headers.get('location')).toBe('https://news.example/donor/manage?token=abc');
    expect(emulator.controls.advanceSubscription(subscription.id)).toMatchObject({ status: 'paid' });
  });

  it('cancels a subscription of its own customer from the hosted page (customer.subscription.deleted), and no one else’s', async () => {
    const subscription = await subscribed();
    const other = await subscribed();
    const portal = await emulator.stripe.billingPortal.sessions.create({ customer: subscription.customer as string });
    const foreign = await fetch(portal.url, { method: 'POST', body: new URLSearchParams({ action: 'cancel', subscription: other.id }) });
    expect(foreign.status).toBe(404);
    const from = await mark();
    const cancel = await fetch(portal.url, { method: 'POST', body: new URLSearchParams({ action: 'cancel', subscription: subscription.id }) });
    expect(cancel.status).toBe(200);
    expect(typesOf(await eventsSince(from, subscription.id))).toEqual(['customer.subscription.deleted']);
    expect((await emulator.stripe.subscriptions.retrieve(other.id)).status).toBe('active');
  });

  it('refuses a session for an unknown customer', async () => {
    await expect(emulator.stripe.billingPortal.sessions.create({ customer: 'cus_nobody' })).rejects.toThrow(/No such customer/);
  });
});
