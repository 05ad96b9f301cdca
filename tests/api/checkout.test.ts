import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib/children.js';
import { newCampaign } from '../helpers/builders.js';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { startTestService, type TestService } from '../helpers/service.js';
import { readDeploymentId } from '../../src/db/deployment.js';
import { ProgressReader } from '../../src/services/progress.js';
import { aroundQueries } from '../helpers/database.js';
import { eventually } from '../helpers/receipts.js';

const PUBLIC_BASE_URL = 'https://donate.goalpost.test';
const CREATE = 'POST /v1/checkout/sessions';

let emulator: TestStripeEmulator;
let service: TestService;
let slug: string;
let campaignId: number;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  service = await startTestService({ ...emulator.env, PUBLIC_BASE_URL, CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000' });
  slug = (await newCampaign(service)).slug;
  campaignId = await idOf(slug);
});

afterAll(async () => {
  await service.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.controls.resetRequests();
});

async function idOf(campaignSlug: string, db = service.ctx.db): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM campaigns WHERE slug = $1', [campaignSlug]);
  return rows[0]!.id;
}

async function checkoutRows(campaign = campaignId, db = service.ctx.db): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM checkouts WHERE campaign_id = $1', [campaign]);
  return rows[0]!.n;
}

const donate = (body: unknown, path = `/v1/campaigns/${slug}/checkout`) => service.api.post(path).send(body as object);

/** The params Goalpost sent in its (only) create-session call, as the emulator received them. */
function sentParams(): Record<string, any> {
  const calls = emulator.controls.requests().filter((request) => request.route === CREATE);
  expect(calls).toHaveLength(1);
  return calls[0]!.params;
}

describe('POST /v1/campaigns/:slug/checkout', () => {
  it('creates a one-time Checkout Session with exactly the Stripe parameters and answers 201', async () => {
    const response = await donate({ amount: 2500, email: 'jane@example.org', name: 'Jane Doe', message: 'Keep going!' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.stringMatching(/^cs_test_/), url: expect.stringContaining(emulator.url), expires_at: expect.any(String) });

    const metadata = {
      goalpost_campaign_id: String(campaignId),
      goalpost_campaign: slug,
      goalpost_frequency: 'one_time',
      goalpost_amount: '2500',
      goalpost_fee_amount: '0',
      goalpost_deployment: await readDeploymentId(service.ctx.db),
    };
    expect(sentParams()).toEqual({
      mode: 'payment',
      submit_type: 'donate',
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '2500', product_data: { name: 'Donation to Support independent journalism' } } }],
      metadata,
      payment_intent_data: { metadata, description: 'Donation to Support independent journalism' },
      customer_email: 'jane@example.org',
      success_url: `${PUBLIC_BASE_URL}/checkout/thanks?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${PUBLIC_BASE_URL}/checkout/canceled?campaign=${slug}`,
    });
    expect(emulator.controls.requests()[0]!.idempotency_key).toMatch(/^goalpost-checkout-/);

    const stored = await emulator.stripe.checkout.sessions.retrieve(response.body.id, { expand: ['line_items'] });
    expect(stored).toMatchObject({ mode: 'payment', amount_total: 2500, currency: 'usd', metadata, customer_email: 'jane@example.org', status: 'open' });
    expect(new Date(response.body.expires_at).getTime()).toBe(stored.expires_at * 1000);

    const { rows } = await service.ctx.db.query('SELECT * FROM checkouts WHERE session_id = $1', [response.body.id]);
    expect(rows[0]).toMatchObject({
      campaign_id: campaignId,
      frequency: 'one_time',
      amount: 2500,
      fee_amount: 0,
      currency: 'usd',
      donor_email: 'jane@example.org',
      donor_name: 'Jane Doe',
      anonymous: false,
      message: 'Keep going!',
      status: 'open',
      url: response.body.url,
    });
  });

  it('creates a monthly donation as a subscription with a monthly recurring price and subscription metadata', async () => {
    const response = await donate({ amount: 1000, frequency: 'monthly', success_url: 'https://news.example/thanks', cancel_url: 'https://news.example/' });
    expect(response.status).toBe(201);
    const metadata = {
      goalpost_campaign_id: String(campaignId),
      goalpost_campaign: slug,
      goalpost_frequency: 'monthly',
      goalpost_amount: '1000',
      goalpost_fee_amount: '0',
      goalpost_deployment: await readDeploymentId(service.ctx.db),
    };
    expect(sentParams()).toEqual({
      mode: 'subscription',
      submit_type: 'donate',
      line_items: [
        {
          quantity: '1',
          price_data: { currency: 'usd', unit_amount: '1000', recurring: { interval: 'month' }, product_data: { name: 'Donation to Support independent journalism' } },
        },
      ],
      metadata,
      subscription_data: { metadata, description: 'Monthly donation to Support independent journalism' },
      success_url: 'https://news.example/thanks?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://news.example/',
    });
    const session = await emulator.stripe.checkout.sessions.retrieve(response.body.id, { expand: ['line_items'] });
    expect(session.line_items?.data[0]?.price?.recurring).toMatchObject({ interval: 'month', interval_count: 1 });
  });

  it('grosses the charge up when the donor covers fees; only the donation counts as the amount', async () => {
    // 2.9% + 30: (2500 + 30) / 0.971 = 2605.56, rounded up so the campaign nets the full 2500.
    const response = await donate({ amount: 2500, cover_fees: true });
    expect(response.status).toBe(201);
    const params = sentParams();
    expect(params.line_items[0].price_data.unit_amount).toBe('2606');
    expect(params.metadata).toMatchObject({ goalpost_amount: '2500', goalpost_fee_amount: '106' });
    const { rows } = await service.ctx.db.query('SELECT amount, fee_amount FROM checkouts WHERE session_id = $1', [response.body.id]);
    expect(rows[0]).toEqual({ amount: 2500, fee_amount: 106 });
  });

  it('keeps a success URL that already carries {CHECKOUT_SESSION_ID} and adds it before a fragment otherwise', async () => {
    await donate({ amount: 500, success_url: 'https://news.example/t?ref=x#top' });
    expect(sentParams().success_url).toBe('https://news.example/t?ref=x&session_id={CHECKOUT_SESSION_ID}#top');
    emulator.controls.resetRequests();
    await donate({ amount: 500, success_url: 'https://news.example/t/{CHECKOUT_SESSION_ID}' });
    expect(sentParams().success_url).toBe('https://news.example/t/{CHECKOUT_SESSION_ID}');
  });

  it('accepts a plain HTML form post and redirects it (303) to the Checkout page', async () => {
    const response = await service.api
      .post(`/v1/campaigns/${slug}/checkout`)
      .type('form')
      .send('amount=2500&frequency=one_time&email=&anonymous=on&cover_fees=false&name=Form+Donor');
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(new RegExp(`^${emulator.url}/c/pay/cs_test_`));
    expect(sentParams().line_items[0].price_data.unit_amount).toBe('2500');
    const sessionId = String(response.headers.location).split('/').pop();
    const { rows } = await service.ctx.db.query('SELECT anonymous, donor_email, donor_name FROM checkouts WHERE session_id = $1', [sessionId]);
    expect(rows[0]).toEqual({ anonymous: true, donor_email: null, donor_name: 'Form Donor' });
  });

  it('refuses a form amount that is not a whole number of minor units', async () => {
    const response = await service.api.post(`/v1/campaigns/${slug}/checkout`).type('form').send('amount=25.50');
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('amount');
    expect(emulator.controls.requestCount(CREATE)).toBe(0);
  });
});

describe('checkout validation happens before any Stripe call', () => {
  const invalid: [string, unknown, string][] = [
    ['no amount', {}, 'amount'],
    ['a fractional amount', { amount: 25.5 }, 'amount'],
    ['an amount as a JSON string', { amount: '2500' }, 'amount'],
    ['an amount below the campaign minimum', { amount: 99 }, 'amount'],
    ['an amount above the campaign maximum', { amount: 1_000_001 }, 'amount'],
    ['another currency', { amount: 2500, currency: 'eur' }, 'currency'],
    ['an unknown frequency', { amount: 2500, frequency: 'weekly' }, 'frequency'],
    ['a message over 500 characters', { amount: 2500, message: 'x'.repeat(501) }, 'message'],
    ['a malformed email', { amount: 2500, email: 'not-an-email' }, 'email'],
    ['an unknown field', { amount: 2500, tip: 100 }, ''],
    ['a javascript: success URL', { amount: 2500, success_url: 'javascript:alert(document.cookie)' }, 'success_url'],
    ['a success URL on a foreign origin', { amount: 2500, success_url: 'https://evil.example/thanks' }, 'success_url'],
    ['a success URL on the right host over another scheme', { amount: 2500, success_url: 'http://news.example/thanks' }, 'success_url'],
    ['a cancel URL on a foreign origin', { amount: 2500, cancel_url: 'https://evil.example/' }, 'cancel_url'],
    ['a relative success URL', { amount: 2500, success_url: '/thanks' }, 'success_url'],
  ];

  it.each(invalid)('answers 400 validation_failed for %s', async (_name, body, field) => {
    const before = await checkoutRows();
    const response = await donate(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('validation_failed');
    if (field) expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(emulator.controls.requestCount()).toBe(0);
    expect(await checkoutRows()).toBe(before);
  });

  it('counts a message by characters, so 500 emoji are accepted', async () => {
    const response = await donate({ amount: 2500, message: '🎉'.repeat(500) });
    expect(response.status).toBe(201);
  });

  it('allows redirects back to the service itself (PUBLIC_BASE_URL)', async () => {
    const response = await donate({ amount: 2500, cancel_url: `${PUBLIC_BASE_URL}/somewhere` });
    expect(response.status).toBe(201);
  });

  it('answers malformed JSON with 400 malformed_json and other bodies with 415', async () => {
    const malformed = await service.api.post(`/v1/campaigns/${slug}/checkout`).set('Content-Type', 'application/json').send('{"amount": 25');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');
    const text = await service.api.post(`/v1/campaigns/${slug}/checkout`).set('Content-Type', 'text/plain').send('amount=2500');
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('unsupported_media_type');
    expect(emulator.controls.requestCount()).toBe(0);
  });

  it('answers 404 for an unknown or archived campaign and 409 campaign_not_accepting for a paused one', async () => {
    expect((await donate({ amount: 2500 }, '/v1/campaigns/no-such-campaign/checkout')).status).toBe(404);
    const paused = await newCampaign(service, { status: 'paused' });
    const pausedAnswer = await donate({ amount: 2500 }, `/v1/campaigns/${paused.slug}/checkout`);
    expect(pausedAnswer.status).toBe(409);
    expect(pausedAnswer.body.code).toBe('campaign_not_accepting');
    const archived = await newCampaign(service, { status: 'archived' });
    const archivedAnswer = await donate({ amount: 2500 }, `/v1/campaigns/${archived.slug}/checkout`);
    expect(archivedAnswer.status).toBe(404);
    expect(archivedAnswer.body.code).toBe('not_found');
    expect(emulator.controls.requestCount()).toBe(0);
  });

  it('refuses a campaign paused right after its progress was read and cached, and takes donations again as soon as it is resumed', async () => {
    const campaign = await newCampaign(service);
    const path = `/v1/campaigns/${campaign.slug}/checkout`;
    // The donate page's progress read caches the campaign (PROGRESS_CACHE_TTL_MS) for the checkout to use.
    await service.api.get(`/v1/campaigns/${campaign.slug}/progress`).expect(200);
    expect((await donate({ amount: 2500 }, path)).status).toBe(201);
    await service.api.patch(`/v1/admin/campaigns/${campaign.slug}`).set(service.admin).send({ status: 'paused' }).expect(200);
    const paused = await donate({ amount: 2500 }, path);
    expect(paused.status).toBe(409);
    expect(paused.body.code).toBe('campaign_not_accepting');
    await service.api.patch(`/v1/admin/campaigns/${campaign.slug}`).set(service.admin).send({ status: 'active' }).expect(200);
    expect((await donate({ amount: 2500 }, path)).status).toBe(201);
    expect(emulator.controls.requestCount()).toBe(2);
  });

  it('stops taking donations in another API process, whose campaign cache is far from expiring, as soon as the campaign is paused here', async () => {
    const campaign = await newCampaign(service);
    const path = `/v1/campaigns/${campaign.slug}/checkout`;
    const other = await startTestService({
      ...emulator.env,
      PUBLIC_BASE_URL,
      DATABASE_URL: service.config.DATABASE_URL,
      REDIS_PREFIX: service.config.REDIS_PREFIX,
      PROGRESS_CACHE_TTL_MS: '600000',
      CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000',
    });
    try {
      await other.api.get(`/v1/campaigns/${campaign.slug}/progress`).expect(200);
      expect((await other.api.post(path).send({ amount: 2500 })).status).toBe(201);
      await service.api.patch(`/v1/admin/campaigns/${campaign.slug}`).set(service.admin).send({ status: 'paused' }).expect(200);
      await eventually(async () => (await other.api.post(path).send({ amount: 2500 })).status === 409, 5_000, 'the other process to refuse the paused campaign');
    } finally {
      await other.close();
    }
  });

  it('keeps no campaign it read while a change was made to it: the next checkout sees the pause', async () => {
    const campaign = await newCampaign(service);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holdNext = true;
    // The read's answer (the campaign, active) is held back until the pause below has been made and announced.
    const slowDb = aroundQueries(service.ctx.db, async (run) => {
      const result = await run();
      if (holdNext) {
        holdNext = false;
        await released;
      }
      return result;
    });
    const reader = new ProgressReader(slowDb, 600_000);
    const reading = reader.campaign(campaign.slug);
    await service.ctx.db.query(`UPDATE campaigns SET status = 'paused' WHERE slug = $1`, [campaign.slug]);
    reader.invalidate(await idOf(campaign.slug), campaign.slug);
    release();
    expect((await reading)?.status).toBe('active');
    expect((await reader.campaign(campaign.slug))?.status).toBe('paused');
  });
});

describe('Idempotency-Key', () => {
  const key = () => `key-${randomBytes(6).toString('hex')}`;

  it('returns the same session for the same key and body with a single Stripe call', async () => {
    const idempotencyKey = key();
    const first = await donate({ amount: 2500 }).set('Idempotency-Key', idempotencyKey);
    const second = await donate({ amount: 2500 }).set('Idempotency-Key', idempotencyKey);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(emulator.controls.requestCount(CREATE)).toBe(1);
    expect(await checkoutRows()).toBeGreaterThan(0);
  });

  it('answers 409 idempotency_conflict when the key comes back with another body', async () => {
    const idempotencyKey = key();
    await donate({ amount: 2500 }).set('Idempotency-Key', idempotencyKey);
    const changed = await donate({ amount: 5000 }).set('Idempotency-Key', idempotencyKey);
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('idempotency_conflict');
    expect(emulator.controls.requestCount(CREATE)).toBe(1);
  });

  it('gives concurrent identical requests one session from one Stripe call', async () => {
    const idempotencyKey = key();
    const answers = await Promise.all(Array.from({ length: 5 }, () => donate({ amount: 3000 }).set('Idempotency-Key', idempotencyKey)));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(emulator.controls.requestCount(CREATE)).toBe(1);
  });

  it('frees the key when Stripe failed, so the donor can retry with it', async () => {
    const idempotencyKey = key();
    emulator.controls.failNext({ route: CREATE, status: 500 });
    const failed = await donate({ amount: 2500 }).set('Idempotency-Key', idempotencyKey);
    expect(failed.status).toBe(502);
    const retried = await donate({ amount: 2500 }).set('Idempotency-Key', idempotencyKey);
    expect(retried.status).toBe(201);
  });

  it('refuses a malformed key', async () => {
    const response = await donate({ amount: 2500 }).set('Idempotency-Key', 'x'.repeat(256));
    expect(response.status).toBe(400);
    expect(emulator.controls.requestCount()).toBe(0);
  });
});

describe('when Stripe fails', () => {
  it('answers 502 stripe_error without a stack trace and stores nothing when Stripe is unreachable', async () => {
    const down = await startTestService({ STRIPE_API_BASE: `http://127.0.0.1:${await freePort()}`, STRIPE_WEBHOOK_SECRET: emulator.webhookSecret });
    try {
      const campaign = await newCampaign(down);
      const id = await idOf(campaign.slug, down.ctx.db);
      const response = await down.api.post(`/v1/campaigns/${campaign.slug}/checkout`).send({ amount: 2500 });
      expect(response.status).toBe(502);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 502, code: 'stripe_error' });
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|at .*\.ts|stack/i);
      expect(await checkoutRows(id, down.ctx.db)).toBe(0);
      const { rows } = await down.ctx.db.query('SELECT count(*)::int AS n FROM donations WHERE campaign_id = $1', [id]);
      expect(rows[0].n).toBe(0);
    } finally {
      await down.close();
    }
  });

  it('answers 502 when Stripe refuses the request, and stores no checkout', async () => {
    const before = await checkoutRows();
    emulator.controls.failNext({ route: CREATE, status: 400, message: 'Invalid currency' });
    const response = await donate({ amount: 2500 });
    expect(response.status).toBe(502);
    expect(await checkoutRows()).toBe(before);
  });
});

describe('rate limiting', () => {
  it('answers 429 rate_limited with Retry-After once an address exceeds the limit, without calling Stripe', async () => {
    const limited = await startTestService({ ...emulator.env, CHECKOUT_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const campaign = await newCampaign(limited);
      const path = `/v1/campaigns/${campaign.slug}/checkout`;
      expect((await limited.api.post(path).send({ amount: 2500 })).status).toBe(201);
      expect((await limited.api.post(path).send({ amount: 2500 })).status).toBe(201);
      emulator.controls.resetRequests();
      const third = await limited.api.post(path).send({ amount: 2500 });
      expect(third.status).toBe(429);
      expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(third.body.code).toBe('rate_limited');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(emulator.controls.requestCount()).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('lets donations through when Redis is unreachable rather than failing them', async () => {
    const noRedis = await startTestService({ ...emulator.env, REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: service.config.DATABASE_URL });
    try {
      const response = await noRedis.api.post(`/v1/campaigns/${slug}/checkout`).send({ amount: 2500 });
      expect(response.status).toBe(201);
    } finally {
      await noRedis.close();
    }
  });
});

describe('GET /v1/checkout/:session_id', () => {
  async function insertDonation(sessionId: string, anonymous: boolean): Promise<string> {
    const id = `don_${randomBytes(8).toString('hex')}`;
    await service.ctx.db.query(
      `INSERT INTO donations (id, campaign_id, status, frequency, amount, fee_amount, currency, donor_name, anonymous,
         checkout_session_id, paid_at, receipt_number)
       VALUES ($1, $2, 'succeeded', 'one_time', 2500, 0, 'usd', 'Jane Doe', $3, $4, now(), $5)`,
      [id, campaignId, anonymous, sessionId, `T-${id}`],
    );
    return id;
  }

  it('shows an open checkout without a donation', async () => {
    const { body: started } = await donate({ amount: 2500 });
    const response = await service.api.get(`/v1/checkout/${started.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: started.id, status: 'open', campaign: slug, amount: 2500, currency: 'usd', frequency: 'one_time', donation: null });
  });

  it('reports complete once paid, and the donation once the ledger has it, without an anonymous name', async () => {
    const { body: started } = await donate({ amount: 2500, anonymous: true, name: 'Jane Doe' });
    emulator.controls.pay(started.id);
    const paid = await service.api.get(`/v1/checkout/${started.id}`);
    expect(paid.body).toMatchObject({ status: 'complete', donation: null });
    const { rows } = await service.ctx.db.query('SELECT status FROM checkouts WHERE session_id = $1', [started.id]);
    expect(rows[0].status).toBe('complete');

    const donationId = await insertDonation(started.id, true);
    const withDonation = await service.api.get(`/v1/checkout/${started.id}`);
    expect(withDonation.body.donation).toEqual({
      id: donationId,
      amount: 2500,
      fee_amount: 0,
      currency: 'usd',
      frequency: 'one_time',
      status: 'succeeded',
      receipt_number: `T-${donationId}`,
      paid_at: expect.any(String),
      donor_name: null,
    });
    const page = await service.api.get(`/checkout/thanks?session_id=${started.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Thank you!');
    expect(page.text).not.toContain('Jane Doe');
  });

  it('thanks the donor in the language the checkout named', async () => {
    const { body: started } = await donate({ amount: 2500, locale: 'fr' });
    emulator.controls.pay(started.id);
    expect((await service.api.get(`/v1/checkout/${started.id}`)).body.locale).toBe('fr');
    await insertDonation(started.id, false);
    const page = await service.api.get(`/checkout/thanks?session_id=${started.id}`);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('<h1>Merci, Jane Doe !</h1>');
    expect(page.text).toContain('Votre don de 25,00\u00a0$US à Support independent journalism a bien été reçu.');
    expect(page.text).not.toContain('Thank you');
  });

  it('reports an expired checkout', async () => {
    const { body: started } = await donate({ amount: 2500 });
    await emulator.stripe.checkout.sessions.expire(started.id);
    expect((await service.api.get(`/v1/checkout/${started.id}`)).body.status).toBe('expired');
  });

  it('answers 404 for a session it did not create and 400 for something that is not a session id', async () => {
    expect((await service.api.get('/v1/checkout/cs_test_unknown123')).status).toBe(404);
    expect((await service.api.get('/v1/checkout/not-a-session')).status).toBe(400);
  });
});

describe('the donor\u2019s language (locale)', () => {
  it('passes locale to Stripe Checkout, keeps it on the checkout and sends the canceled page in it', async () => {
    const response = await donate({ amount: 2500, locale: 'de' });
    expect(response.status).toBe(201);
    expect(sentParams()).toMatchObject({ locale: 'de', cancel_url: `${PUBLIC_BASE_URL}/checkout/canceled?campaign=${slug}&lang=de` });
    // As the emulator stored the session, read back through the Stripe SDK.
    expect((await emulator.stripe.checkout.sessions.retrieve(response.body.id)).locale).toBe('de');
    const { rows } = await service.ctx.db.query('SELECT locale FROM checkouts WHERE session_id = $1', [response.body.id]);
    expect(rows[0].locale).toBe('de');

    const canceled = await service.api.get(`/checkout/canceled?campaign=${slug}&lang=de`);
    expect(canceled.text).toContain('<html lang="de">');
    expect(canceled.text).toContain('Es wurde nicht gespendet');
  });

  it('leaves Stripe to choose when no locale is given, and stores none', async () => {
    const response = await donate({ amount: 2500 });
    expect(sentParams()).not.toHaveProperty('locale');
    expect((await emulator.stripe.checkout.sessions.retrieve(response.body.id)).locale).toBeNull();
    const { rows } = await service.ctx.db.query('SELECT locale FROM checkouts WHERE session_id = $1', [response.body.id]);
    expect(rows[0].locale).toBeNull();
  });

  it('refuses a language it does not speak with 400, without calling Stripe or storing anything', async () => {
    const before = await checkoutRows();
    for (const locale of ['it', 'de-DE', '', 7]) {
      const response = await donate({ amount: 2500, locale });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'locale' })]);
    }
    expect(emulator.controls.requestCount(CREATE)).toBe(0);
    expect(await checkoutRows()).toBe(before);
  });
});

describe('the checkout routes in the OpenAPI document', () => {
  it('documents both routes with their answers', async () => {
    const { body } = await service.api.get('/openapi.json');
    const checkout = body.paths['/v1/campaigns/{slug}/checkout'].post;
    expect(Object.keys(checkout.responses)).toEqual(expect.arrayContaining(['201', '303', '400', '404', '409', '429', '502']));
    expect(body.paths['/v1/checkout/{session_id}'].get).toBeDefined();
  });
});


describe('STRIPE_RETRY_DELAYS_MS', () => {
  it('retries a rate-limited Stripe call once per configured delay, then answers 502', async () => {
    const quick = await startTestService({ ...emulator.env, PUBLIC_BASE_URL, STRIPE_RETRY_DELAYS_MS: '10' });
    try {
      const campaign = await newCampaign(quick);
      const checkout = () => quick.api.post(`/v1/campaigns/${campaign.slug}/checkout`).send({ amount: 2500 });
      emulator.controls.failNext({ route: CREATE, status: 429, count: 1 });
      expect((await checkout()).status).toBe(201);
      expect(emulator.controls.requestCount(CREATE)).toBe(2);
      emulator.controls.resetRequests();
      // One configured delay: a second 429 in a row is the answer.
      emulator.controls.failNext({ route: CREATE, status: 429, count: 2 });
      expect((await checkout()).status).toBe(502);
      expect(emulator.controls.requestCount(CREATE)).toBe(2);
    } finally {
      emulator.controls.clearFaults();
      await quick.close();
    }
  });
});
