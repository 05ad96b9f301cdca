import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { startTestService, type TestService } from '../helpers/service.js';

describe('POST /v1/admin/donations/:id/refund through Stripe (emulator)', () => {
  let emulator: TestStripeEmulator;
  let service: TestService;

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    service = await startTestService(emulator.env);
    emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
    service.startWorkers();
  });

  afterAll(async () => {
    await service?.close();
    await emulator?.close();
  });

  /** A donor pays on the emulator; resolves with the succeeded donation as the admin API shows it. */
  async function paidDonation(slug: string, amount: number) {
    const checkout = await service.api.post(`/v1/campaigns/${slug}/checkout`).send({ amount, frequency: 'one_time', email: 'donor@example.org' });
    expect(checkout.status).toBe(201);
    emulator.controls.pay(checkout.body.id);
    let donation: { id: string; status: string } | undefined;
    await expect
      .poll(async () => {
        donation = (await service.api.get('/v1/admin/donations').query({ campaign: slug }).set(service.admin)).body.data[0];
        return donation?.status;
      }, { timeout: 10_000 })
      .toBe('succeeded');
    return donation!;
  }

  const progress = async (slug: string) => (await service.api.get(`/v1/campaigns/${slug}/progress`)).body.raised as number;

  it('asks Stripe for the refund, answers 202, and the figures change only when Stripe reports it', async () => {
    const { slug } = await newCampaign(service);
    const donation = await paidDonation(slug, 5_000);
    expect(await progress(slug)).toBe(5_000);

    const response = await service.api.post(`/v1/admin/donations/${donation.id}/refund`).set(service.admin).send({ amount: 2_000 });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id: expect.stringMatching(/^re_/), amount: 2_000, currency: 'usd', donation_id: donation.id });
    expect(emulator.controls.requestCount('POST /v1/refunds')).toBe(1);

    await expect.poll(() => progress(slug), { timeout: 10_000 }).toBe(3_000);
    const after = (await service.api.get(`/v1/admin/donations/${donation.id}`).set(service.admin)).body;
    expect(after).toMatchObject({ refunded_amount: 2_000, charge_refunded_amount: 2_000 });
  });

  it('refunds what is left when no amount is given, and then has nothing left to refund', async () => {
    const { slug } = await newCampaign(service);
    const donation = await paidDonation(slug, 2_500);
    const response = await service.api.post(`/v1/admin/donations/${donation.id}/refund`).set(service.admin).send({});
    expect(response.status).toBe(202);
    expect(response.body.amount).toBe(2_500);
    await expect.poll(() => progress(slug), { timeout: 10_000 }).toBe(0);

    const again = await service.api.post(`/v1/admin/donations/${donation.id}/refund`).set(service.admin).send({});
    expect(again.status).toBe(409);
  });

  it('counts the webhooks, the ledger work, the donation and the refund in /metrics', async () => {
    const { slug } = await newCampaign(service);
    const donation = await paidDonation(slug, 3_000);
    await service.api.post(`/v1/admin/donations/${donation.id}/refund`).set(service.admin).send({ amount: 500 }).expect(202);
    await expect.poll(() => progress(slug), { timeout: 10_000 }).toBe(2_500);
    const metrics = (await service.api.get('/metrics')).text;
    const value = (sample: string) => Number(metrics.split('\n').find((line) => line.startsWith(`${sample} `))?.slice(sample.length + 1) ?? 0);
    expect(value('goalpost_stripe_events_received_total{type="checkout.session.completed"}')).toBeGreaterThanOrEqual(1);
    expect(value('goalpost_stripe_events_processed_total{type="charge.refunded",outcome="processed"}')).toBeGreaterThanOrEqual(1);
    expect(value('goalpost_donations_total{currency="usd",frequency="one_time"}')).toBeGreaterThanOrEqual(1);
    expect(value('goalpost_donation_amount_minor_units_total{currency="usd"}')).toBeGreaterThanOrEqual(3_000);
    expect(value('goalpost_refunds_requested_total{outcome="accepted"}')).toBeGreaterThanOrEqual(1);
    expect(value('goalpost_job_duration_seconds_count{job="stripe-event.process",outcome="completed"}')).toBeGreaterThanOrEqual(1);
    // The receipt goes out on its own queue (to the local outbox folder without SMTP).
    await expect
      .poll(async () => (await service.api.get('/metrics')).text.includes('goalpost_receipts_sent_total{kind="receipt"}'), { timeout: 10_000 })
      .toBe(true);
  });

  it('sends one refund for a double click before Stripe’s event arrives', async () => {
    const { slug } = await newCampaign(service);
    const donation = await paidDonation(slug, 4_000);
    emulator.sendWebhooksTo(null);
    try {
      const before = emulator.controls.requestCount('POST /v1/refunds');
      const [first, second] = await Promise.all([
        service.api.post(`/v1/admin/donations/${donation.id}/refund`).set(service.admin).send({ amount: 1_000 }),
        service.api.post(`/v1/admin/donations/${donation.id}/refund`).set(service.admin).send({ amount: 1_000 }),
      ]);
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body.id).toBe(first.body.id);
      expect(emulator.controls.requestCount('POST /v1/refunds')).toBe(before + 2);
      const paymentIntent = (await service.api.get(`/v1/admin/donations/${donation.id}`).set(service.admin)).body.stripe.payment_intent_id;
      const { latest_charge: chargeId } = await emulator.stripe.paymentIntents.retrieve(paymentIntent);
      expect((await emulator.stripe.charges.retrieve(chargeId as string)).amount_refunded).toBe(1_000);
    } finally {
      emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
    }
  });
});
