import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { startTestService, type TestService } from '../helpers/service.js';

describe('donor erasure and export', () => {
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

  const progress = async (slug: string) => (await service.api.get(`/v1/campaigns/${slug}/progress`)).body as { raised: number; donors_count: number; donations_count: number };

  async function paidDonation(slug: string, body: Record<string, unknown>) {
    const checkout = await service.api.post(`/v1/campaigns/${slug}/checkout`).send({ frequency: 'one_time', ...body });
    expect(checkout.status).toBe(201);
    emulator.controls.pay(checkout.body.id);
    let id = '';
    await expect
      .poll(async () => {
        const list = (await service.api.get('/v1/admin/donations').query({ campaign: slug }).set(service.admin)).body.data as { id: string; status: string; receipt_number: string | null; stripe: { checkout_session_id: string } }[];
        const donation = list.find((item) => item.stripe.checkout_session_id === checkout.body.id);
        id = donation?.id ?? '';
        return donation?.status;
      }, { timeout: 10_000 })
      .toBe('succeeded');
    return id;
  }

  /** Rows anywhere that still hold the text (case-insensitive). */
  async function mentions(text: string): Promise<Record<string, number>> {
    const { rows } = await service.ctx.db.query(
      `SELECT (SELECT count(*) FROM donations WHERE donor_email ILIKE $1 OR donor_name ILIKE $1 OR message ILIKE $1)::int AS donations,
              (SELECT count(*) FROM checkouts WHERE donor_email ILIKE $1 OR donor_name ILIKE $1 OR message ILIKE $1)::int AS checkouts,
              (SELECT count(*) FROM receipts WHERE to_email ILIKE $1 OR payload::text ILIKE $1)::int AS receipts,
              (SELECT count(*) FROM stripe_events WHERE payload::text ILIKE $1)::int AS stripe_events,
              (SELECT count(*) FROM webhook_events WHERE payload::text ILIKE $1)::int AS webhook_events,
              (SELECT count(*) FROM period_donors WHERE donor_email ILIKE $1)::int AS period_donors`,
      [`%${text}%`],
    );
    return rows[0];
  }

  it("removes the donor's email, name and messages everywhere, keeps the money, and the export then finds nothing", async () => {
    const { slug } = await newCampaign(service);
    const email = 'Erase.Me@example.org';
    const first = await paidDonation(slug, { amount: 2_500, email, name: 'Erin Erasable', message: 'For the newsroom' });
    await paidDonation(slug, { amount: 1_000, email: 'erase.me@example.org', name: 'Erin Erasable' });
    await paidDonation(slug, { amount: 700, email: 'someone.else@example.org', name: 'Someone Else', message: 'Stay' });
    const cheque = await service.api
      .post(`/v1/admin/campaigns/${slug}/offline-donations`)
      .set(service.admin)
      .send({ amount: 5_000, received_at: new Date(Date.now() - 60_000).toISOString(), method: 'check', reference: 'E-1', donor: { name: 'Erin Erasable', email }, send_receipt: true });
    expect(cheque.status).toBe(201);
    await expect.poll(async () => (await mentions('erase.me@example.org')).receipts, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);

    const exported = await service.api.get('/v1/admin/donors/export').query({ email: 'erase.me@EXAMPLE.org' }).set(service.admin);
    expect(exported.status).toBe(200);
    expect(exported.body.donations).toHaveLength(3);
    expect(exported.body.donations[0]).toMatchObject({ donor: { name: 'Erin Erasable' }, message: 'For the newsroom' });
    expect(exported.body.mails.length).toBeGreaterThanOrEqual(3);

    const before = await progress(slug);
    expect(before).toMatchObject({ raised: 9_200, donors_count: 2, donations_count: 4 });
    const receiptNumber = (await service.api.get(`/v1/admin/donations/${first}`).set(service.admin)).body.receipt_number;

    const erased = await service.api.post('/v1/admin/donors/erase').set(service.admin).send({ email });
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toMatchObject({ donations: 3, checkouts: 2, receipts: 3 });
    expect(erased.body.erased.stripe_events).toBeGreaterThanOrEqual(1);
    expect(erased.body.erased.webhook_events).toBeGreaterThanOrEqual(3);

    for (const text of ['erase.me@example.org', 'Erin Erasable', 'For the newsroom']) {
      expect(await mentions(text)).toEqual({ donations: 0, checkouts: 0, receipts: 0, stripe_events: 0, webhook_events: 0, period_donors: 0 });
    }
    // The other donor is untouched; the money, counts, ledger and receipt numbers stay.
    expect((await mentions('someone.else@example.org')).donations).toBe(1);
    expect(await progress(slug)).toEqual(before);
    const after = (await service.api.get(`/v1/admin/donations/${first}`).set(service.admin)).body;
    expect(after).toMatchObject({ amount: 2_500, receipt_number: receiptNumber, donor: { email: null, name: null }, message: null });
    expect(after.ledger_entries).toHaveLength(1);
    expect((await service.api.get('/v1/admin/donors/export').query({ email }).set(service.admin)).body.donations).toEqual([]);

    // The erased donor still counts as one donor: refunding one of their donations in full keeps them counted, both gone drops them.
    await service.api.post(`/v1/admin/donations/${first}/refund`).set(service.admin).send({}).expect(202);
    await expect.poll(async () => (await progress(slug)).raised, { timeout: 10_000 }).toBe(6_700);
    expect((await progress(slug)).donors_count).toBe(2);
    await service.api.delete(`/v1/admin/donations/${cheque.body.id}`).set(service.admin).expect(200);
    expect(await progress(slug)).toMatchObject({ raised: 1_700, donors_count: 2 });
  });

  it('answers 400 for a missing or malformed email and changes nothing; needs an admin key', async () => {
    expect((await service.api.post('/v1/admin/donors/erase').set(service.admin).send({})).status).toBe(400);
    expect((await service.api.post('/v1/admin/donors/erase').set(service.admin).send({ email: 'not an email' })).status).toBe(400);
    expect((await service.api.get('/v1/admin/donors/export').query({ email: 'x' }).set(service.admin)).status).toBe(400);
    expect((await service.api.post('/v1/admin/donors/erase').send({ email: 'a@example.org' })).status).toBe(401);
    const unknown = await service.api.post('/v1/admin/donors/erase').set(service.admin).send({ email: 'nobody@example.org' });
    expect(unknown.body.erased).toEqual({ donations: 0, checkouts: 0, subscriptions: 0, receipts: 0, stripe_events: 0, webhook_events: 0 });
  });
});
