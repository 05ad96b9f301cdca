import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, type TestStripeEmulator } from '../src/testing/index.js';
import { oneTimeSession } from './support.js';

let emulator: TestStripeEmulator;

beforeAll(async () => {
  emulator = await startStripeEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer sk_test_api', 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

describe('the emulated Stripe API', () => {
  it('answers Stripe-shaped errors the SDK turns into its own error classes', async () => {
    const missing = await post('/v1/checkout/sessions', form({ mode: 'payment' }));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_missing', param: 'line_items' });

    const unknown = await post('/v1/checkout/sessions', form({ mode: 'payment', colour: 'red' }));
    expect(unknown.body.error).toMatchObject({ code: 'parameter_unknown', param: 'colour' });

    const notInteger = await post(
      '/v1/checkout/sessions',
      form({ mode: 'payment', 'line_items[0][quantity]': '1', 'line_items[0][price_data][currency]': 'usd', 'line_items[0][price_data][unit_amount]': '12.5', 'line_items[0][price_data][product_data][name]': 'x' }),
    );
    expect(notInteger.body.error).toMatchObject({ code: 'parameter_invalid_integer', param: 'line_items[0][price_data][unit_amount]' });

    await expect(emulator.stripe.paymentIntents.retrieve('pi_nope')).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(emulator.stripe.paymentIntents.retrieve('pi_nope')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('checks what Stripe checks on a Checkout Session: mode against prices, the minimum charge, metadata limits', async () => {
    const price = (recurring: boolean, amount = 2500) => ({
      quantity: 1,
      price_data: { currency: 'usd', unit_amount: amount, product_data: { name: 'x' }, ...(recurring && { recurring: { interval: 'month' as const } }) },
    });
    await expect(emulator.stripe.checkout.sessions.create({ mode: 'payment', line_items: [price(true)] })).rejects.toMatchObject({ param: 'line_items' });
    await expect(emulator.stripe.checkout.sessions.create({ mode: 'subscription', line_items: [price(false)] })).rejects.toMatchObject({ param: 'line_items' });
    await expect(emulator.stripe.checkout.sessions.create({ mode: 'payment', line_items: [price(false, 49)] })).rejects.toMatchObject({
      code: 'amount_too_small',
    });
    await expect(
      emulator.stripe.checkout.sessions.create({ mode: 'payment', line_items: [price(false)], metadata: { note: 'x'.repeat(501) } }),
    ).rejects.toMatchObject({ param: 'metadata[note]' });
    await expect(
      emulator.stripe.checkout.sessions.create({ mode: 'payment', line_items: [price(false)], success_url: 'javascript:alert(1)' }),
    ).rejects.toMatchObject({ code: 'url_invalid' });
  });

  it('keeps the Checkout page language (locale) it is given, and refuses one Stripe does not offer', async () => {
    const line = { quantity: 1, price_data: { currency: 'usd', unit_amount: 2500, product_data: { name: 'x' } } };
    const french = await emulator.stripe.checkout.sessions.create({ mode: 'payment', line_items: [line], locale: 'fr' });
    expect((await emulator.stripe.checkout.sessions.retrieve(french.id)).locale).toBe('fr');
    const unset = await emulator.stripe.checkout.sessions.create({ mode: 'payment', line_items: [line] });
    expect(unset.locale).toBeNull();
    await expect(
      emulator.stripe.checkout.sessions.create({ mode: 'payment', line_items: [line], locale: 'xx' as 'fr' }),
    ).rejects.toMatchObject({ param: 'locale' });
  });

  it('requires a test secret key', async () => {
    const none = await fetch(`${emulator.url}/v1/events`);
    expect(none.status).toBe(401);
    expect((await none.json()).error.type).toBe('invalid_request_error');
    const live = await fetch(`${emulator.url}/v1/events`, { headers: { Authorization: 'Bearer sk_live_abcdef' } });
    expect(live.status).toBe(401);
    expect((await live.json()).error.message).toMatch(/test keys only/);
  });

  it('replays a request with the same Idempotency-Key and refuses the key with other parameters', async () => {
    const params = form({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '2500',
      'line_items[0][price_data][product_data][name]': 'Donation',
    });
    const first = await post('/v1/checkout/sessions', params, { 'Idempotency-Key': 'same-key' });
    const again = await post('/v1/checkout/sessions', params, { 'Idempotency-Key': 'same-key' });
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await post('/v1/checkout/sessions', params.replace('2500', '2600'), { 'Idempotency-Key': 'same-key' });
    expect(other.status).toBe(400);
    expect(other.body.error.type).toBe('idempotency_error');
  });

  it('counts requests per route so tests can assert how many Stripe calls were made', async () => {
    emulator.controls.resetRequests();
    const session = await oneTimeSession(emulator.stripe);
    await emulator.stripe.checkout.sessions.retrieve(session.id);
    await emulator.stripe.checkout.sessions.retrieve(session.id);
    expect(emulator.controls.requestCount('POST /v1/checkout/sessions')).toBe(1);
    expect(emulator.controls.requestCount('GET /v1/checkout/sessions/:id')).toBe(2);
    expect(emulator.controls.requests()[0]!.params).toMatchObject({ mode: 'payment', submit_type: 'donate' });
    const overHttp = await (await fetch(`${emulator.url}/_emulator/requests`)).json();
    expect(overHttp.counts).toEqual({ 'POST /v1/checkout/sessions': 1, 'GET /v1/checkout/sessions/:id': 2 });
  });

  it('fails the next calls on request, as a Stripe outage would', async () => {
    emulator.controls.failNext({ route: 'POST /v1/refunds', status: 500 });
    await expect(emulator.stripe.refunds.create({ charge: 'ch_whatever' })).rejects.toMatchObject({ statusCode: 500, type: 'StripeAPIError' });
    await expect(emulator.stripe.refunds.create({ charge: 'ch_whatever' })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('expands ids into objects with expand[]', async () => {
    const session = await oneTimeSession(emulator.stripe);
    emulator.controls.pay(session.id);
    const expanded = await emulator.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge', 'line_items'] });
    const paymentIntent = expanded.payment_intent as Stripe.PaymentIntent;
    expect(paymentIntent.object).toBe('payment_intent');
    expect((paymentIntent.latest_charge as Stripe.Charge).object).toBe('charge');
    expect(expanded.line_items?.data[0]).toMatchObject({ amount_total: 2500, description: 'Donation to Support' });
  });
});

describe('the test controls over HTTP', () => {
  async function control(path: string, body: unknown = {}) {
    const response = await fetch(`${emulator.url}/_emulator${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  it('drive a payment, a partial refund, a dispute and its outcome', async () => {
    const session = await oneTimeSession(emulator.stripe);
    const paid = await control(`/checkout/sessions/${session.id}/pay`, { email: 'http@example.org' });
    expect(paid.body).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const paymentIntent = await emulator.stripe.paymentIntents.retrieve(paid.body.payment_intent);
    const charge = paymentIntent.latest_charge as string;

    expect((await control(`/charges/${charge}/refund`, { amount: 500 })).body).toMatchObject({ object: 'refund', amount: 500 });
    const dispute = await control(`/charges/${charge}/dispute`);
    expect(dispute.body).toMatchObject({ object: 'dispute', amount: 2000 });
    expect((await control(`/disputes/${dispute.body.id}/close`, { status: 'won' })).body.status).toBe('won');
    expect((await control(`/disputes/${dispute.body.id}/close`, { status: 'lost' })).status).toBe(400);
  });

  it('answer Stripe-shaped errors for bad control input', async () => {
    const bad = await control('/checkout/sessions/cs_test_missing/pay');
    expect(bad.status).toBe(404);
    expect(bad.body.error.code).toBe('resource_missing');
  });
});
