import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignBody, newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { periodKeyOf, previousPeriodKey } from '../../src/domain/period.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

const problem = (response: { status: number; headers: Record<string, string>; body: { code: string } }) => ({
  status: response.status,
  type: response.headers['content-type'],
  code: response.body.code,
});

describe('admin campaigns', () => {
  it('creates a campaign and answers 201 with the resource', async () => {
    const body = campaignBody();
    const response = await service.api.post('/v1/admin/campaigns').set(service.admin).send(body);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      slug: body.slug,
      currency: 'usd',
      goal: { period: 'monthly', amount: 500_000 },
      tiers: body.tiers,
      status: 'active',
    });
  });

  it('refuses a reused slug with 409 conflict', async () => {
    const campaign = await newCampaign(service);
    const response = await service.api.post('/v1/admin/campaigns').set(service.admin).send(campaignBody({ slug: campaign.slug }));
    expect(problem(response)).toEqual({ status: 409, type: expect.stringContaining('application/problem+json'), code: 'conflict' });
  });

  it.each([
    ['slug with capitals', { slug: 'Bad Slug' }, 'slug'],
    ['unknown currency', { currency: 'xyz' }, 'currency'],
    ['upper-case currency', { currency: 'USD' }, 'currency'],
    ['unknown timezone', { timezone: 'Mars/Base' }, 'timezone'],
    ['fractional goal', { goal: { period: 'monthly', amount: 10.5 } }, 'goal.amount'],
    ['weekly goal', { goal: { period: 'weekly', amount: 1000 } }, 'goal.period'],
    ['tiers out of order', { tiers: [{ amount: 2000, label: 'b' }, { amount: 1000, label: 'a' }] }, 'tiers.1.amount'],
    ['equal tiers', { tiers: [{ amount: 1000, label: 'a' }, { amount: 1000, label: 'b' }] }, 'tiers.1.amount'],
    ['negative tier', { tiers: [{ amount: -5, label: 'a' }] }, 'tiers.0.amount'],
    ['min above max', { min_amount: 5000, max_amount: 1000, amount_presets: [] }, 'min_amount'],
    ['min below Stripe minimum', { min_amount: 10 }, 'min_amount'],
    ['preset outside range', { amount_presets: [5_000_000] }, 'amount_presets.0'],
    ['origin with a path', { allowed_redirect_origins: ['https://news.example/thanks'] }, 'allowed_redirect_origins.0'],
    ['javascript origin', { allowed_redirect_origins: ['javascript:alert(1)'] }, 'allowed_redirect_origins.0'],
    ['unknown status', { status: 'draft' }, 'status'],
    ['unknown field', { colour: 'red' }, ''],
  ])('rejects %s with 400 validation_failed naming the field', async (_name, override, field) => {
    const before = await service.ctx.db.query('SELECT count(*)::int AS n FROM campaigns');
    const response = await service.api.post('/v1/admin/campaigns').set(service.admin).send(campaignBody(override));
    expect(problem(response)).toEqual({ status: 400, type: expect.stringContaining('application/problem+json'), code: 'validation_failed' });
    if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const after = await service.ctx.db.query('SELECT count(*)::int AS n FROM campaigns');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const response = await service.api
      .post('/v1/admin/campaigns')
      .set(service.admin)
      .set('Content-Type', 'application/json')
      .send('{"slug": ');
    expect(problem(response)).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('answers a body over 100 kB with 413 payload_too_large', async () => {
    const response = await service.api
      .post('/v1/admin/campaigns')
      .set(service.admin)
      .send(campaignBody({ description: 'x'.repeat(120_000) }));
    expect(problem(response)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('lists campaigns newest first with cursor pagination', async () => {
    const made = [await newCampaign(service), await newCampaign(service), await newCampaign(service)];
    const first = await service.api.get('/v1/admin/campaigns?limit=2').set(service.admin);
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0].slug).toBe(made[2]!.slug);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await service.api.get(`/v1/admin/campaigns?limit=2&cursor=${first.body.next_cursor}`).set(service.admin);
    expect(second.body.data[0].slug).toBe(made[0]!.slug);
    const bad = await service.api.get('/v1/admin/campaigns?cursor=nonsense').set(service.admin);
    expect(problem(bad)).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('updates a campaign with PATCH and refuses changing its currency', async () => {
    const campaign = await newCampaign(service);
    const patched = await service.api
      .patch(`/v1/admin/campaigns/${campaign.slug}`)
      .set(service.admin)
      .send({ name: 'New name', status: 'paused' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'New name', status: 'paused' });
    const currency = await service.api.patch(`/v1/admin/campaigns/${campaign.slug}`).set(service.admin).send({ currency: 'eur' });
    expect(problem(currency)).toMatchObject({ status: 400, code: 'validation_failed' });
    const missing = await service.api.patch('/v1/admin/campaigns/does-not-exist').set(service.admin).send({ name: 'x' });
    expect(problem(missing)).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('admin authentication', () => {
  it('answers 401 without a key and with a wrong key', async () => {
    const none = await service.api.get('/v1/admin/campaigns');
    expect(problem(none)).toMatchObject({ status: 401, code: 'unauthorized' });
    const wrong = await service.api.get('/v1/admin/campaigns').set('Authorization', 'Bearer not-the-key');
    expect(problem(wrong)).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('lets a read key read and answers 403 when it writes; a revoked key is 401', async () => {
    const minted = await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'dashboard', scope: 'read' });
    expect(minted.status).toBe(201);
    expect(minted.body.key).toMatch(/^gp_/);
    const read = { Authorization: `Bearer ${minted.body.key}` };
    expect((await service.api.get('/v1/admin/campaigns').set(read)).status).toBe(200);
    const write = await service.api.post('/v1/admin/campaigns').set(read).send(campaignBody());
    expect(problem(write)).toMatchObject({ status: 403, code: 'forbidden' });
    const listed = await service.api.get('/v1/admin/api-keys').set(service.admin);
    expect(JSON.stringify(listed.body)).not.toContain(minted.body.key);
    const stored = await service.ctx.db.query('SELECT key_hash FROM api_keys WHERE id = $1', [minted.body.id]);
    expect(stored.rows[0].key_hash).not.toContain(minted.body.key);
    expect((await service.api.delete(`/v1/admin/api-keys/${minted.body.id}`).set(service.admin)).status).toBe(204);
    expect((await service.api.get('/v1/admin/campaigns').set(read)).status).toBe(401);
  });
});

describe('public campaign and progress', () => {
  it('serves the campaign with its progress for this month', async () => {
    const campaign = await newCampaign(service);
    const response = await service.api.get(`/v1/campaigns/${campaign.slug}`);
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.body).toMatchObject({ slug: campaign.slug, currency: 'usd', goal: { period: 'monthly', amount: 500_000 } });
    expect(response.body.allowed_redirect_origins).toBeUndefined();
    expect(response.body.progress).toMatchObject({ campaign: campaign.slug, raised: 0, goal: 500_000, percent: 0 });
    expect(response.body.progress.period.label).toMatch(/^[A-Z]+ \d{4}$/);
    expect(response.body.progress.next_tier).toEqual({ amount: 100_000, label: 'Keep the lights on', remaining: 100_000 });
  });

  it('serves a strong ETag and answers If-None-Match with 304', async () => {
    const campaign = await newCampaign(service);
    const first = await service.api.get(`/v1/campaigns/${campaign.slug}/progress`);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^"[^"]+"$/);
    expect(first.headers['cache-control']).toContain('max-age=');
    const second = await service.api.get(`/v1/campaigns/${campaign.slug}/progress`).set('If-None-Match', first.headers.etag!);
    expect(second.status).toBe(304);
  });

  it('answers a future or malformed month with 400 and an unknown or archived campaign with 404', async () => {
    const campaign = await newCampaign(service);
    for (const month of ['2999-01', '2024-13', 'november']) {
      const response = await service.api.get(`/v1/campaigns/${campaign.slug}/progress?month=${month}`);
      expect(problem(response)).toMatchObject({ status: 400, code: 'validation_failed' });
    }
    expect((await service.api.get('/v1/campaigns/no-such-campaign/progress')).status).toBe(404);
    await service.api.patch(`/v1/admin/campaigns/${campaign.slug}`).set(service.admin).send({ status: 'archived' });
    expect((await service.api.get(`/v1/campaigns/${campaign.slug}`)).status).toBe(404);
  });

  it('keeps the goal a past month had when the goal is edited', async () => {
    const campaign = await newCampaign(service);
    const { rows } = await service.ctx.db.query('SELECT id FROM campaigns WHERE slug = $1', [campaign.slug]);
    const campaignId = rows[0].id;
    // The campaign existed in an earlier month with another goal.
    await service.ctx.db.query(
      `INSERT INTO campaign_periods (campaign_id, period_key, goal_amount, tiers) VALUES ($1, '2024-06', 300000, '[]')`,
      [campaignId],
    );
    const edited = await service.api
      .patch(`/v1/admin/campaigns/${campaign.slug}`)
      .set(service.admin)
      .send({ goal: { period: 'monthly', amount: 900_000 }, tiers: [] });
    expect(edited.status).toBe(200);
    const june = await service.api.get(`/v1/campaigns/${campaign.slug}/progress?month=2024-06`);
    expect(june.body.goal).toBe(300_000);
    const july = await service.api.get(`/v1/campaigns/${campaign.slug}/progress?month=2024-07`);
    expect(july.body.goal).toBe(300_000);
    const now = await service.api.get(`/v1/campaigns/${campaign.slug}/progress`);
    expect(now.body.goal).toBe(900_000);
    const months = await service.api.get(`/v1/admin/campaigns/${campaign.slug}/months?from=2024-06`).set(service.admin);
    expect(months.status).toBe(200);
    expect(months.body.data.at(-1)).toMatchObject({ month: '2024-06', label: 'JUNE 2024', goal: 300_000, raised: 0 });
    expect(months.body.data[0].goal).toBe(900_000);
  });
});

describe('campaign figures as a new user reads them', () => {
  it('returns amount_presets as numbers, like every other amount', async () => {
    const body = campaignBody();
    const created = await service.api.post('/v1/admin/campaigns').set(service.admin).send(body);
    expect(created.body.amount_presets).toEqual(body.amount_presets);
    const shown = await service.api.get(`/v1/campaigns/${body.slug}`);
    expect(shown.body.amount_presets).toEqual(body.amount_presets);
    const listed = await service.api.get('/v1/admin/campaigns?limit=100').set(service.admin);
    const mine = listed.body.data.find((campaign: { slug: string }) => campaign.slug === body.slug);
    expect(mine.amount_presets).toEqual(body.amount_presets);
    for (const preset of shown.body.amount_presets) expect(typeof preset).toBe('number');
  });

  it('starts the month history at the earliest month with money, even before the creation month', async () => {
    const campaign = await newCampaign(service);
    const { rows } = await service.ctx.db.query('SELECT id FROM campaigns WHERE slug = $1', [campaign.slug]);
    // Donations recorded three months before the campaign was created here (e.g. moved from elsewhere).
    const shown = await service.api.get(`/v1/campaigns/${campaign.slug}`);
    const month = previousPeriodKey(previousPeriodKey(previousPeriodKey(periodKeyOf(new Date(), shown.body.timezone))));
    await service.ctx.db.query(
      `INSERT INTO campaign_periods (campaign_id, period_key, goal_amount, tiers, raised, donations_count, donors_count)
       VALUES ($1, $2, 500000, '[]', 12500, 3, 3)`,
      [rows[0].id, month],
    );
    const months = await service.api.get(`/v1/admin/campaigns/${campaign.slug}/months`).set(service.admin);
    expect(months.status).toBe(200);
    expect(months.body.data.at(-1)).toMatchObject({ month, raised: 12_500, donations_count: 3 });
    expect(months.body.data).toHaveLength(4);
  });
});

describe('operations', () => {
  it('reports health, readiness and an OpenAPI document covering the routes', async () => {
    expect((await service.api.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await service.api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', migrations: 'ok', redis: 'ok' });
    const doc = await service.api.get('/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/campaigns/{slug}', '/v1/campaigns/{slug}/progress', '/v1/admin/campaigns', '/v1/admin/campaigns/{slug}/months']),
    );
  });

  it('echoes X-Request-Id and never leaks internals in a 404', async () => {
    const response = await service.api.get('/nope').set('X-Request-Id', 'req-123');
    expect(response.headers['x-request-id']).toBe('req-123');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });
});

describe('malformed requests', () => {
  it('answers a path with broken percent-encoding with 400, not 500', async () => {
    const response = await service.api.get('/v1/campaigns/%zz/progress');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });
});
