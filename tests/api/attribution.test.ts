import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { startTestService, type TestService } from '../helpers/service.js';

describe('attribution: source and utm_* from checkout to the donation', () => {
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

  async function paidDonation(slug: string, body: Record<string, unknown>) {
    const checkout = await service.api.post(`/v1/campaigns/${slug}/checkout`).send({ frequency: 'one_time', email: 'reader@example.org', ...body });
    expect(checkout.status).toBe(201);
    emulator.controls.pay(checkout.body.id);
    let donation: Record<string, unknown> | undefined;
    await expect
      .poll(async () => {
        const list = (await service.api.get('/v1/admin/donations').query({ campaign: slug }).set(service.admin)).body.data as Record<string, unknown>[];
        donation = list.find((item) => item.stripe && (item.stripe as { checkout_session_id: string }).checkout_session_id === checkout.body.id);
        return donation?.status;
      }, { timeout: 10_000 })
      .toBe('succeeded');
    return donation!;
  }

  it('keeps the attribution on the donation and shows it in admin reads, the CSV export and the consumer payload', async () => {
    const { slug } = await newCampaign(service);
    const attribution = { source: 'newsletter', utm_source: 'buttondown', utm_medium: 'email', utm_campaign: 'fall-drive' };
    const donation = await paidDonation(slug, { amount: 2_500, ...attribution });
    expect(donation.attribution).toEqual(attribution);

    const csv = (await service.api.get('/v1/admin/donations/export.csv').query({ campaign: slug }).set(service.admin)).text;
    const [header, row] = csv.trim().split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((name, index) => [name, row!.split(',')[index]]));
    expect(cells).toMatchObject({ source: 'newsletter', utm_source: 'buttondown', utm_medium: 'email', utm_campaign: 'fall-drive', origin: 'stripe' });

    const { rows } = await service.ctx.db.query<{ payload: { data: { donation: { attribution: unknown } } } }>(
      `SELECT payload FROM webhook_events WHERE dedupe_key = $1`,
      [`donation.succeeded:${donation.id}`],
    );
    expect(rows[0]?.payload.data.donation.attribution).toEqual(attribution);
  });

  it('a monthly donation\'s renewals keep the attribution of the checkout that started it', async () => {
    const { slug } = await newCampaign(service);
    const attribution = { source: 'live-stream', utm_source: 'youtube', utm_medium: 'video', utm_campaign: 'giving-tuesday' };
    const first = await paidDonation(slug, { amount: 1_500, frequency: 'monthly', ...attribution });
    expect(first.attribution).toEqual(attribution);
    const subscriptionId = (first.stripe as { subscription_id: string }).subscription_id;
    emulator.controls.advanceSubscription(subscriptionId);
    let donations: Record<string, unknown>[] = [];
    await expect
      .poll(async () => {
        donations = (await service.api.get('/v1/admin/donations').query({ campaign: slug }).set(service.admin)).body.data;
        return donations.filter((donation) => donation.status === 'succeeded').length;
      }, { timeout: 10_000 })
      .toBe(2);
    const renewal = donations.find((donation) => donation.id !== first.id)!;
    expect((renewal.stripe as { subscription_id: string }).subscription_id).toBe(subscriptionId);
    expect(renewal.attribution).toEqual(attribution);
  });

  it("breaks a month's money down by source and by UTM field", async () => {
    const { slug } = await newCampaign(service);
    await paidDonation(slug, { amount: 3_000, source: 'newsletter', utm_medium: 'email' });
    await paidDonation(slug, { amount: 1_000, source: 'newsletter', utm_medium: 'social' });
    await paidDonation(slug, { amount: 5_000, source: 'article-42', utm_medium: 'email' });
    await paidDonation(slug, { amount: 700 });
    const month = (await service.api.get(`/v1/campaigns/${slug}/progress`)).body.period.key as string;

    const bySource = await service.api.get(`/v1/admin/campaigns/${slug}/months/${month}/sources`).set(service.admin);
    expect(bySource.status).toBe(200);
    expect(bySource.body).toMatchObject({ month, currency: 'usd', by: 'source' });
    expect(bySource.body.data).toEqual([
      { value: 'article-42', raised: 5_000, donations_count: 1 },
      { value: 'newsletter', raised: 4_000, donations_count: 2 },
      { value: null, raised: 700, donations_count: 1 },
    ]);
    const byMedium = await service.api.get(`/v1/admin/campaigns/${slug}/months/${month}/sources`).query({ by: 'utm_medium' }).set(service.admin);
    expect(byMedium.body.data).toEqual([
      { value: 'email', raised: 8_000, donations_count: 2 },
      { value: 'social', raised: 1_000, donations_count: 1 },
      { value: null, raised: 700, donations_count: 1 },
    ]);
  });

  it.each([
    ['a source over 64 characters', { source: 'x'.repeat(65) }, 'source'],
    ['an empty utm_campaign', { utm_campaign: '' }, 'utm_campaign'],
    ['a numeric utm_source', { utm_source: 5 }, 'utm_source'],
  ])('refuses %s with 400 and makes no Stripe call', async (_name, override, field) => {
    const { slug } = await newCampaign(service);
    const before = emulator.controls.requestCount('POST /v1/checkout/sessions');
    const response = await service.api.post(`/v1/campaigns/${slug}/checkout`).send({ amount: 1_000, ...override });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(emulator.controls.requestCount('POST /v1/checkout/sessions')).toBe(before);
  });

  it('answers 400 for a bad month or dimension in the breakdown', async () => {
    const { slug } = await newCampaign(service);
    expect((await service.api.get(`/v1/admin/campaigns/${slug}/months/2024-13/sources`).set(service.admin)).status).toBe(400);
    expect((await service.api.get(`/v1/admin/campaigns/${slug}/months/2024-11/sources`).query({ by: 'referrer' }).set(service.admin)).status).toBe(400);
    expect((await service.api.get('/v1/admin/campaigns/nope/months/2024-11/sources').set(service.admin)).status).toBe(404);
  });
});
