import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { newRefund, newSucceededDonation } from '../helpers/donations.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const wall = async (slug: string, query: Record<string, string | number> = {}) => service.api.get(`/v1/campaigns/${slug}/supporters`).query(query);

describe('GET /v1/campaigns/:slug/supporters', () => {
  it('lists who gave, newest first; anonymous donors without name, message or amount; no amounts unless the campaign shows them', async () => {
    const { slug } = await newCampaign(service);
    await newSucceededDonation(service, slug, { name: 'Ada', message: 'Keep going!', amount: 2_500, paidAt: minutesAgo(30) });
    await newSucceededDonation(service, slug, { name: 'Secret Sam', message: 'psst', anonymous: true, amount: 9_900, paidAt: minutesAgo(20) });
    await newSucceededDonation(service, slug, { name: 'Grace', message: null, amount: 1_000, paidAt: minutesAgo(10) });

    const response = await wall(slug);
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.body).toEqual({
      data: [
        { name: 'Grace', message: null, created_at: expect.any(String) },
        { name: null, message: null, created_at: expect.any(String) },
        { name: 'Ada', message: 'Keep going!', created_at: expect.any(String) },
      ],
      next_cursor: null,
    });

    await service.api.patch(`/v1/admin/campaigns/${slug}`).set(service.admin).send({ show_amounts: true }).expect(200);
    expect((await wall(slug)).body.data).toEqual([
      { name: 'Grace', message: null, amount: 1_000, currency: 'usd', created_at: expect.any(String) },
      { name: null, message: null, created_at: expect.any(String) },
      { name: 'Ada', message: 'Keep going!', amount: 2_500, currency: 'usd', created_at: expect.any(String) },
    ]);
  });

  it('leaves out donations that no longer count (refunded in full, voided) and shows what a partly refunded one counts', async () => {
    const { slug } = await newCampaign(service, { show_amounts: true });
    const refunded = await newSucceededDonation(service, slug, { name: 'Refunded', amount: 2_000, paidAt: minutesAgo(5) });
    await newRefund(service, refunded.id, 2_000);
    const partly = await newSucceededDonation(service, slug, { name: 'Partly', amount: 3_000, paidAt: minutesAgo(4) });
    await newRefund(service, partly.id, 1_000);
    const cheque = await service.api
      .post(`/v1/admin/campaigns/${slug}/offline-donations`)
      .set(service.admin)
      .send({ amount: 5_000, received_at: minutesAgo(3).toISOString(), method: 'check', reference: 'W-1', donor: { name: 'Cheque Writer' } });
    await service.api.delete(`/v1/admin/donations/${cheque.body.id}`).set(service.admin).expect(200);
    await service.api
      .post(`/v1/admin/campaigns/${slug}/offline-donations`)
      .set(service.admin)
      .send({ amount: 700, received_at: minutesAgo(2).toISOString(), method: 'cash', reference: 'W-2', donor: { name: 'Cash Giver' } })
      .expect(201);

    expect((await wall(slug)).body.data.map((item: { name: string; amount: number }) => [item.name, item.amount])).toEqual([
      ['Cash Giver', 700],
      ['Partly', 2_000],
    ]);
  });

  it('pages with an opaque cursor', async () => {
    const { slug } = await newCampaign(service);
    for (let index = 0; index < 5; index++) {
      await newSucceededDonation(service, slug, { name: `Donor ${index}`, paidAt: minutesAgo(10 - index) });
    }
    const first = await wall(slug, { limit: 2 });
    expect(first.body.data.map((item: { name: string }) => item.name)).toEqual(['Donor 4', 'Donor 3']);
    const second = await wall(slug, { limit: 2, cursor: first.body.next_cursor });
    const third = await wall(slug, { limit: 2, cursor: second.body.next_cursor });
    expect([...second.body.data, ...third.body.data].map((item: { name: string }) => item.name)).toEqual(['Donor 2', 'Donor 1', 'Donor 0']);
    expect(third.body.next_cursor).toBeNull();
    expect((await wall(slug, { cursor: 'garbage' })).status).toBe(400);
    expect((await wall(slug, { limit: 0 })).status).toBe(400);
  });

  it('is 404 for unknown and archived campaigns', async () => {
    const { slug } = await newCampaign(service);
    await service.api.patch(`/v1/admin/campaigns/${slug}`).set(service.admin).send({ status: 'archived' }).expect(200);
    expect((await wall(slug)).status).toBe(404);
    expect((await wall('no-such-campaign')).status).toBe(404);
  });
});

describe("PATCH /v1/admin/donations/:id hides a donor's message", () => {
  it('takes the message off the wall and puts it back, keeping it for admins', async () => {
    const { slug } = await newCampaign(service);
    const donation = await newSucceededDonation(service, slug, { name: 'Loud', message: 'Something rude' });
    const hidden = await service.api.patch(`/v1/admin/donations/${donation.id}`).set(service.admin).send({ message_hidden: true });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ message: 'Something rude', message_hidden: true });
    expect((await wall(slug)).body.data[0]).toEqual({ name: 'Loud', message: null, created_at: expect.any(String) });

    await service.api.patch(`/v1/admin/donations/${donation.id}`).set(service.admin).send({ message_hidden: false }).expect(200);
    expect((await wall(slug)).body.data[0].message).toBe('Something rude');
  });

  it('answers 400 for a bad body, 404 for an unknown donation, 401/403 without an admin key, changing nothing', async () => {
    const { slug } = await newCampaign(service);
    const donation = await newSucceededDonation(service, slug, { message: 'hello' });
    expect((await service.api.patch(`/v1/admin/donations/${donation.id}`).set(service.admin).send({ message_hidden: 'yes' })).status).toBe(400);
    expect((await service.api.patch(`/v1/admin/donations/${donation.id}`).set(service.admin).send({ message: 'edited' })).status).toBe(400);
    expect((await service.api.patch('/v1/admin/donations/don_missing').set(service.admin).send({ message_hidden: true })).status).toBe(404);
    expect((await service.api.patch(`/v1/admin/donations/${donation.id}`).send({ message_hidden: true })).status).toBe(401);
    const { rows } = await service.ctx.db.query('SELECT message, message_hidden FROM donations WHERE id = $1', [donation.id]);
    expect(rows[0]).toEqual({ message: 'hello', message_hidden: false });
  });
});
