/**
 * End to end through the Stripe emulator: a donor pays on the hosted page, Stripe's webhooks
 * arrive signed, the workers book them, and the progress read shows the money.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStripeEmulator, type TestStripeEmulator } from '../helpers/emulator.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { ledgerCampaign, settled, type LedgerCampaign } from './support.js';

let emulator: TestStripeEmulator;
let service: TestService;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  service = await startTestService({ ...emulator.env });
  emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
  await emulator?.close();
});

async function checkout(campaign: LedgerCampaign, body: Record<string, unknown>): Promise<string> {
  const response = await service.api.post(`/v1/campaigns/${campaign.slug}/checkout`).send({
    email: 'donor@example.org',
    name: 'Katherine Johnson',
    success_url: 'https://news.example/thanks',
    cancel_url: 'https://news.example/',
    ...body,
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
}

/** Waits for Stripe's webhooks to be delivered and every stored event to be finished. */
async function booked(): Promise<void> {
  await emulator.controls.waitForDeliveries();
  const { rows } = await service.ctx.db.query<{ id: string }>('SELECT id FROM stripe_events');
  await settled(service, rows.map((row) => row.id));
}

async function progress(campaign: LedgerCampaign) {
  return (await service.api.get(`/v1/campaigns/${campaign.slug}/progress`)).body as { raised: number; donations_count: number };
}

async function donationOfSession(sessionId: string) {
  const { rows } = await service.ctx.db.query('SELECT * FROM donations WHERE checkout_session_id = $1', [sessionId]);
  return rows[0];
}

describe('through the Stripe emulator', () => {
  test('a paid one-time donation shows in the progress read by itself; refunds and disputes follow', async () => {
    const campaign = await ledgerCampaign(service);
    const sessionId = await checkout(campaign, { amount: 2_500, frequency: 'one_time', cover_fees: true });
    const paidAt = Date.now();
    emulator.controls.pay(sessionId);
    for (;;) {
      if ((await progress(campaign)).raised === 2_500) break;
      // The one-second target is measured by `npm run bench`; a test on a loaded 2-core machine
      // only proves the read moves without any other request.
      expect(Date.now() - paidAt, 'progress read updated by itself').toBeLessThan(15_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await booked();
    const donation = await donationOfSession(sessionId);
    expect(donation).toMatchObject({ status: 'succeeded', amount: 2_500, payment_intent_id: expect.stringMatching(/^pi_/) });
    expect(donation.fee_amount).toBeGreaterThan(0);
    const chargeId = (await emulator.stripe.paymentIntents.retrieve(donation.payment_intent_id)).latest_charge as string;

    emulator.controls.refund(chargeId, 1_000);
    await booked();
    expect((await progress(campaign)).raised).toBe(1_500);

    const dispute = emulator.controls.openDispute(chargeId);
    await booked();
    expect((await progress(campaign)).raised).toBe(0);
    emulator.controls.closeDispute(dispute.id, 'won');
    await booked();
    expect(await progress(campaign)).toMatchObject({ raised: 1_500, donations_count: 1 });
    expect(await donationOfSession(sessionId)).toMatchObject({ charge_id: chargeId, refunded_amount: 1_000, dispute_status: 'won' });
  });

  test('a monthly donation counts its first payment once and each renewal again', async () => {
    const campaign = await ledgerCampaign(service);
    const sessionId = await checkout(campaign, { amount: 1_000, frequency: 'monthly' });
    emulator.controls.pay(sessionId);
    await booked();
    const first = await donationOfSession(sessionId);
    expect(first).toMatchObject({ status: 'succeeded', frequency: 'monthly', amount: 1_000, payment_intent_id: expect.stringMatching(/^pi_/) });
    expect((await progress(campaign)).raised).toBe(1_000);

    emulator.controls.advanceSubscription(first.subscription_id);
    await booked();
    expect(await progress(campaign)).toMatchObject({ raised: 2_000, donations_count: 2 });
  });

  test('a delayed payment counts only once it settles', async () => {
    const campaign = await ledgerCampaign(service);
    const sessionId = await checkout(campaign, { amount: 3_000, frequency: 'one_time' });
    emulator.controls.pay(sessionId, { method: 'delayed' });
    await booked();
    expect(await donationOfSession(sessionId)).toMatchObject({ status: 'pending' });
    expect((await progress(campaign)).raised).toBe(0);
    emulator.controls.settleDelayedPayment(sessionId, 'succeeded');
    await booked();
    expect((await progress(campaign)).raised).toBe(3_000);
  });

  test('events whose webhooks never arrived are found by reconciliation and counted', async () => {
    const campaign = await ledgerCampaign(service);
    const sessionId = await checkout(campaign, { amount: 4_000, frequency: 'one_time' });
    emulator.sendWebhooksTo(null);
    try {
      emulator.controls.pay(sessionId);
    } finally {
      emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
    }
    await booked();
    expect((await progress(campaign)).raised).toBe(0);

    await service.ctx.queues.enqueue('stripe.reconcile', {});
    for (let i = 0; i < 200 && (await progress(campaign)).raised === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await booked();
    expect((await progress(campaign)).raised).toBe(4_000);
    const { rows } = await service.ctx.db.query(
      `SELECT type, source, status FROM stripe_events WHERE type = 'checkout.session.completed' AND payload->'data'->'object'->>'id' = $1`,
      [sessionId],
    );
    expect(rows).toEqual([{ type: 'checkout.session.completed', source: 'reconciliation', status: 'processed' }]);
  });
});
