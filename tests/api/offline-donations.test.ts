import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { newSucceededDonation } from '../helpers/donations.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
});
afterAll(async () => {
  await service.close();
});

const offline = (slug: string, body: Record<string, unknown>) =>
  service.api.post(`/v1/admin/campaigns/${slug}/offline-donations`).set(service.admin).send(body);

const monthOf = async (slug: string, month: string) =>
  (await service.api.get(`/v1/campaigns/${slug}/progress`).query({ month })).body as {
    raised: number;
    donations_count: number;
    donors_count: number;
    tiers: { amount: number; reached: boolean }[];
  };

/** Everything money-related a bad request must leave alone. */
async function moneySnapshot(campaignSlug: string) {
  const { rows } = await service.ctx.db.query(
    `SELECT (SELECT count(*) FROM donations d JOIN campaigns c ON c.id = d.campaign_id WHERE c.slug = $1)::int AS donations,
            (SELECT count(*) FROM ledger_entries l JOIN campaigns c ON c.id = l.campaign_id WHERE c.slug = $1)::int AS entries,
            (SELECT coalesce(sum(raised), 0) FROM campaign_periods p JOIN campaigns c ON c.id = p.campaign_id WHERE c.slug = $1)::int AS raised,
            (SELECT count(*) FROM webhook_events)::int AS events`,
    [campaignSlug],
  );
  return rows[0];
}

const lastMonth = () => {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
  return d.toISOString().slice(0, 10);
};

describe('offline donations', () => {
  it('records a cheque: 201, its own ledger kind, counted in the month it was received, no receipt unless asked', async () => {
    const { slug } = await newCampaign(service);
    const day = lastMonth();
    const response = await offline(slug, {
      amount: 120_000,
      received_at: day,
      method: 'check',
      reference: 'CHK-1001',
      donor: { name: 'Grace Hopper', email: 'grace@example.org' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      campaign: slug,
      status: 'succeeded',
      amount: 120_000,
      net_amount: 120_000,
      origin: 'offline',
      offline: { method: 'check', reference: 'CHK-1001', voided_at: null },
      month: day.slice(0, 7),
      receipt_number: null,
      donor: { name: 'Grace Hopper', email: 'grace@example.org', anonymous: false },
    });
    const detail = (await service.api.get(`/v1/admin/donations/${response.body.id}`).set(service.admin)).body;
    expect(detail.ledger_entries).toEqual([expect.objectContaining({ kind: 'offline', amount: 120_000, month: day.slice(0, 7), stripe_event_id: null })]);
    expect(detail.receipt).toBeNull();

    const month = await monthOf(slug, day.slice(0, 7));
    expect(month).toMatchObject({ raised: 120_000, donations_count: 1, donors_count: 1 });
    // $1,200 crosses the $1,000 tier of that month, and consumers hear of the donation and the tier.
    expect(month.tiers.find((tier) => tier.amount === 100_000)?.reached).toBe(true);
    const { rows } = await service.ctx.db.query<{ type: string; payload: { data: Record<string, unknown> } }>(
      `SELECT type, payload FROM webhook_events WHERE dedupe_key = $1 OR dedupe_key LIKE $2`,
      [`donation.succeeded:${response.body.id}`, `tier.reached:%:${day.slice(0, 7)}:100000`],
    );
    const succeeded = rows.find((row) => row.type === 'donation.succeeded');
    expect(succeeded?.payload.data).toMatchObject({ donation: { origin: 'offline', offline: { method: 'check' }, amount: 120_000 } });
    expect(rows.filter((row) => row.type === 'tier.reached' && (row.payload.data as { campaign: string }).campaign === slug)).toHaveLength(1);
  });

  it('counts a date-time in the month of the campaign timezone, not of UTC', async () => {
    const { slug } = await newCampaign(service, { timezone: 'America/New_York' });
    const now = new Date();
    // 02:00 UTC on the 1st of this month is still the last day of the previous month in New York.
    const instant = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 2, 0, 0));
    const response = await offline(slug, { amount: 5_000, received_at: instant.toISOString(), method: 'bank_transfer', reference: 'SEPA-77' });
    expect(response.status).toBe(201);
    const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    expect(response.body.month).toBe(previous);
    expect((await monthOf(slug, previous)).raised).toBe(5_000);
  });

  it('numbers the donation and mails the receipt only when asked', async () => {
    const { slug } = await newCampaign(service);
    const response = await offline(slug, {
      amount: 2_000,
      received_at: new Date(Date.now() - 60_000).toISOString(),
      method: 'cash',
      reference: 'CASH-1',
      donor: { name: 'Ada', email: 'ada@example.org' },
      send_receipt: true,
    });
    expect(response.status).toBe(201);
    expect(response.body.receipt_number).toMatch(/^\d{4}-\d{6}$/);
    await expect
      .poll(async () => (await service.api.get(`/v1/admin/donations/${response.body.id}`).set(service.admin)).body.receipt?.status, { timeout: 10_000 })
      .toBe('sent');
  });

  it('answers 409 for the same reference twice and counts it once', async () => {
    const { slug } = await newCampaign(service);
    const body = { amount: 3_000, received_at: lastMonth(), method: 'check', reference: 'DUP-1' };
    expect((await offline(slug, body)).status).toBe(201);
    const before = await moneySnapshot(slug);
    const again = await offline(slug, { ...body, amount: 9_999 });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'conflict', errors: [{ field: 'reference' }] });
    expect(await moneySnapshot(slug)).toEqual(before);
  });

  it.each([
    ['a date in the future', { received_at: '2999-01-01' }, 'received_at'],
    ['a day that does not exist', { received_at: '2024-02-30' }, 'received_at'],
    ['a date-time without offset', { received_at: '2024-02-03T10:00:00' }, 'received_at'],
    ['an unknown method', { method: 'paypal' }, 'method'],
    ['another currency', { currency: 'eur' }, 'currency'],
    ['a zero amount', { amount: 0 }, 'amount'],
    ['a fractional amount', { amount: 10.5 }, 'amount'],
    ['no reference', { reference: '  ' }, 'reference'],
    ['a bad donor email', { donor: { email: 'not-an-email' } }, 'donor.email'],
    ['an unknown field', { note: 'x' }, ''],
  ])('refuses %s with 400 and changes nothing', async (_name, override, field) => {
    const { slug } = await newCampaign(service);
    const before = await moneySnapshot(slug);
    const response = await offline(slug, { amount: 1_000, received_at: lastMonth(), method: 'check', reference: 'R-1', ...override });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    if (field) expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await moneySnapshot(slug)).toEqual(before);
  });

  it('is 404 for an unknown campaign, and needs an admin key', async () => {
    const body = { amount: 1_000, received_at: lastMonth(), method: 'check', reference: 'R-404' };
    expect((await offline('no-such-campaign', body)).status).toBe(404);
    expect((await service.api.post('/v1/admin/campaigns/x/offline-donations').send(body)).status).toBe(401);
  });
});

describe('voiding an offline donation', () => {
  it('appends a reversing entry, takes it out of its month, keeps the donation, and tells consumers', async () => {
    const { slug } = await newCampaign(service);
    const day = lastMonth();
    const kept = await offline(slug, { amount: 1_500, received_at: day, method: 'cash', reference: 'KEEP' });
    const wrong = await offline(slug, { amount: 4_000, received_at: day, method: 'check', reference: 'BOUNCED' });
    expect((await monthOf(slug, day.slice(0, 7))).raised).toBe(5_500);

    const voided = await service.api.delete(`/v1/admin/donations/${wrong.body.id}`).set(service.admin);
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ id: wrong.body.id, net_amount: 0, offline: { reference: 'BOUNCED', voided_at: expect.any(String) } });

    expect(await monthOf(slug, day.slice(0, 7))).toMatchObject({ raised: 1_500, donations_count: 1, donors_count: 1 });
    const detail = (await service.api.get(`/v1/admin/donations/${wrong.body.id}`).set(service.admin)).body;
    expect(detail.ledger_entries.map((entry: { kind: string; amount: number }) => [entry.kind, entry.amount])).toEqual([
      ['offline', 4_000],
      ['offline_void', -4_000],
    ]);
    const { rows } = await service.ctx.db.query(`SELECT type FROM webhook_events WHERE dedupe_key = $1`, [`donation.voided:${wrong.body.id}`]);
    expect(rows).toEqual([{ type: 'donation.voided' }]);
    expect(kept.status).toBe(201);

    const before = await moneySnapshot(slug);
    const twice = await service.api.delete(`/v1/admin/donations/${wrong.body.id}`).set(service.admin);
    expect(twice.status).toBe(409);
    expect(await moneySnapshot(slug)).toEqual(before);
  });

  it('refuses to void a Stripe donation (409) or an unknown one (404), changing nothing', async () => {
    const { slug } = await newCampaign(service);
    const stripeDonation = await newSucceededDonation(service, slug, { amount: 2_500 });
    const before = await moneySnapshot(slug);
    const refused = await service.api.delete(`/v1/admin/donations/${stripeDonation.id}`).set(service.admin);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('refund');
    expect((await service.api.delete('/v1/admin/donations/don_missing').set(service.admin)).status).toBe(404);
    expect(await moneySnapshot(slug)).toEqual(before);
  });
});
