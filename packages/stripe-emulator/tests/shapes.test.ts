import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, type TestStripeEmulator } from '../src/testing/index.js';
import { monthlySession, oneTimeSession } from './support.js';

type Json = Record<string, unknown>;

/** Stripe's own example objects (from its OpenAPI fixtures) for every kind the emulator serves. */
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/stripe-objects.json', import.meta.url), 'utf8')).resources as Record<
  string,
  Record<string, unknown>
>;

/**
 * Fields the fixtures still carry that the SDK's API version (2026-10-28) removed: invoices lost
 * `subscription` (now `parent.subscription_details.subscription`).
 */
const REMOVED_IN_SDK_VERSION: Record<string, string[]> = { invoice: ['subscription'] };

/** The event fixture wraps a plan; only its envelope is compared (payloads are checked above). */
function expectedShape(kind: string): Json {
  const removed = REMOVED_IN_SDK_VERSION[kind] ?? [];
  const fixture = Object.fromEntries(Object.entries(fixtures[kind]!).filter(([key]) => !removed.includes(key)));
  return kind === 'event' ? { ...fixture, data: { object: {} } } : fixture;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Paths of fixture fields missing from `actual`, descending into objects both sides have. */
function missingFields(expected: Json, actual: Json, path = ''): string[] {
  const missing: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const here = path ? `${path}.${key}` : key;
    if (!(key in actual)) missing.push(here);
    else if (isObject(value) && isObject(actual[key])) missing.push(...missingFields(value, actual[key] as Json, here));
  }
  return missing;
}

let emulator: TestStripeEmulator;
const served: Record<string, Json> = {};

/** Reads an object back over HTTP as raw JSON, exactly as a client receives it. */
async function raw(path: string): Promise<Json> {
  const response = await fetch(`${emulator.url}${path}`, { headers: { Authorization: 'Bearer sk_test_shapes' } });
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

beforeAll(async () => {
  emulator = await startStripeEmulator();
  const oneTime = await oneTimeSession(emulator.stripe);
  emulator.controls.pay(oneTime.id, { name: 'Jenny Rosen' });
  const session = await raw(`/v1/checkout/sessions/${oneTime.id}`);
  const paymentIntent = await raw(`/v1/payment_intents/${session.payment_intent}`);
  const charge = await raw(`/v1/charges/${paymentIntent.latest_charge}`);
  const refund = emulator.controls.refund(charge.id as string, 100);
  const dispute = emulator.controls.openDispute(charge.id as string);

  const monthly = await monthlySession(emulator.stripe);
  emulator.controls.pay(monthly.id);
  const monthlySessionJson = await raw(`/v1/checkout/sessions/${monthly.id}`);
  const invoice = await raw(`/v1/invoices/${monthlySessionJson.invoice}`);
  const invoicePayments = await raw(`/v1/invoice_payments?invoice=${invoice.id}`);
  const portal = await emulator.stripe.billingPortal.sessions.create({
    customer: monthlySessionJson.customer as string,
    return_url: 'https://news.example/donor/manage',
    flow_data: { type: 'payment_method_update' },
  });

  Object.assign(served, {
    'checkout.session': session,
    payment_intent: paymentIntent,
    charge,
    invoice,
    invoice_payment: (invoicePayments.data as Json[])[0],
    subscription: await raw(`/v1/subscriptions/${monthlySessionJson.subscription}`),
    refund: await raw(`/v1/refunds/${refund.id}`),
    dispute: await raw(`/v1/disputes/${dispute.id}`),
    event: ((await raw('/v1/events?limit=1')).data as Json[])[0],
    'billing_portal.session': portal as unknown as Json,
  });
});

afterAll(async () => {
  await emulator.close();
});

describe('emulated objects have the shape of Stripe objects', () => {
  const kinds = [
    'checkout.session', 'payment_intent', 'charge', 'invoice', 'invoice_payment', 'subscription', 'refund', 'dispute', 'event',
    'billing_portal.session',
  ];

  it.each(kinds)('%s carries every field the Stripe fixture carries', (kind) => {
    expect(missingFields(expectedShape(kind), served[kind]!)).toEqual([]);
    expect(served[kind]!.object).toBe(fixtures[kind]!.object);
  });

  it('invoices follow the SDK version: no subscription or payment_intent field at the top level', () => {
    expect(served.invoice).not.toHaveProperty('subscription');
    expect(served.invoice).not.toHaveProperty('payment_intent');
    expect(served.invoice!.parent).toMatchObject({ type: 'subscription_details', subscription_details: { subscription: served.subscription!.id } });
  });
});
