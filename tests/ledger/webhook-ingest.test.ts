import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';
import {
  OneTimePayment,
  WEBHOOK_SECRET,
  deliver,
  ledgerCampaign,
  postEvent,
  settled,
  signature,
  stripeEvent,
  type LedgerCampaign,
} from './support.js';

let service: TestService;
let campaign: LedgerCampaign;

beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
  campaign = await ledgerCampaign(service);
});

afterAll(async () => {
  await service?.close();
});

async function storedCount(id: string): Promise<number> {
  const { rows } = await service.ctx.db.query('SELECT count(*)::int AS n FROM stripe_events WHERE id = $1', [id]);
  return rows[0].n;
}

describe('POST /v1/webhooks/stripe', () => {
  test('a correctly signed event is stored once and answered 200', async () => {
    const payment = await new OneTimePayment(campaign, 2_500).record(service);
    const event = payment.completed();
    const first = await postEvent(service, event);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, id: event.id });
    // Stripe redelivers the very same event: stored once, still 200.
    expect((await postEvent(service, event)).status).toBe(200);
    expect(await storedCount(event.id)).toBe(1);
    await settled(service, [event.id]);
  });

  test('an acknowledged delivery carries the same security headers and request id as any other answer', async () => {
    const event = stripeEvent('customer.created', { id: 'cus_headers', object: 'customer' });
    const payload = JSON.stringify(event);
    const requestId = 'stripe-delivery-0001';
    const acknowledged = await service.api
      .post('/v1/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature(payload))
      .set('X-Request-Id', requestId)
      .send(payload);
    const refused = await service.api.post('/v1/webhooks/stripe').set('Content-Type', 'application/json').set('X-Request-Id', requestId).send(payload);
    expect([acknowledged.status, refused.status]).toEqual([200, 400]);
    expect(acknowledged.headers['content-type']).toBe('application/json; charset=utf-8');
    // Sent with its length, as the full path sends it, not framed in chunks.
    expect(acknowledged.headers['content-length']).toBe(String(Buffer.byteLength(acknowledged.text)));
    expect(acknowledged.headers['transfer-encoding']).toBeUndefined();
    expect(acknowledged.headers['x-content-type-options']).toBe('nosniff');
    for (const name of ['x-content-type-options', 'content-security-policy', 'strict-transport-security', 'x-frame-options']) {
      expect(acknowledged.headers[name], name).toBe(refused.headers[name]);
    }
    expect(acknowledged.headers['x-request-id']).toBe(requestId);
    expect(refused.headers['x-request-id']).toBe(requestId);
    await settled(service, [event.id]);
  });

  const refusals: [string, (payload: string) => Record<string, string>, (payload: string) => string][] = [
    ['no Stripe-Signature header', () => ({}), (p) => p],
    ['a signature made with another secret', (p) => ({ 'Stripe-Signature': signature(p, { secret: 'whsec_not_ours' }) }), (p) => p],
    ['a body changed after signing', (p) => ({ 'Stripe-Signature': signature(p) }), (p) => p.replace('"paid"', '"unpaid"')],
    ['a signature older than 300 seconds', (p) => ({ 'Stripe-Signature': signature(p, { timestamp: Math.floor(Date.now() / 1000) - 301 }) }), (p) => p],
    ['a garbage signature header', () => ({ 'Stripe-Signature': 't=1,v1=nothex' }), (p) => p],
  ];

  test.each(refusals)('%s is refused with 400 invalid_signature and nothing is stored', async (_name, headers, body) => {
    const event = new OneTimePayment(campaign, 1_000).completed();
    const payload = JSON.stringify(event);
    const response = await service.api.post('/v1/webhooks/stripe').set('Content-Type', 'application/json').set(headers(payload)).send(body(payload));
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('invalid_signature');
    expect(await storedCount(event.id)).toBe(0);
  });

  test('signed bytes that are not a Stripe event are refused and nothing is stored', async () => {
    for (const junk of ['not json at all', '[]', '{"id":"evt_x"}', JSON.stringify({ id: 'nope', type: 'x', created: 1, data: {} })]) {
      const response = await service.api
        .post('/v1/webhooks/stripe')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', signature(junk))
        .send(junk);
      expect(response.status, junk).toBe(400);
      expect(response.body.code).toBe('invalid_signature');
    }
    const { rows } = await service.ctx.db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE id IN ('evt_x', 'nope')`);
    expect(rows[0].n).toBe(0);
  });

  test('the raw body is verified whatever content type Stripe sends it with', async () => {
    const event = stripeEvent('customer.created', { id: 'cus_1', object: 'customer' });
    const payload = JSON.stringify(event);
    const response = await service.api
      .post('/v1/webhooks/stripe')
      .set('Content-Type', 'application/json; charset=utf-8')
      .set('Stripe-Signature', signature(payload))
      .send(payload);
    expect(response.status).toBe(200);
  });

  test('an event type Goalpost does not use is stored and marked ignored', async () => {
    const event = stripeEvent('customer.created', { id: 'cus_2', object: 'customer' });
    await deliver(service, event);
    expect((await settled(service, [event.id])).get(event.id)).toBe('ignored');
    const listed = await service.api.get(`/v1/admin/stripe-events/${event.id}`).set(service.admin);
    expect(listed.body).toMatchObject({ status: 'ignored', note: expect.stringMatching(/does not use/), attempts: 1 });
  });

  test("another integration's checkout (no goalpost metadata) is ignored and counts nothing", async () => {
    const foreign = new OneTimePayment(campaign, 9_900);
    const event = foreign.completed();
    (event.data.object as { metadata: Record<string, string> }).metadata = { order_id: '42' };
    await deliver(service, event);
    expect((await settled(service, [event.id])).get(event.id)).toBe('ignored');
    const { rows } = await service.ctx.db.query('SELECT count(*)::int AS n FROM donations WHERE checkout_session_id = $1', [foreign.sessionId]);
    expect(rows[0].n).toBe(0);
  });
});

describe('webhook secret rotation', () => {
  test('events signed with either of the configured secrets are accepted', async () => {
    const rotating = await startTestService({ STRIPE_WEBHOOK_SECRET: `whsec_old_secret_1,${WEBHOOK_SECRET}` });
    try {
      for (const secret of ['whsec_old_secret_1', WEBHOOK_SECRET]) {
        const response = await postEvent(rotating, stripeEvent('customer.created', { id: 'cus_3' }), { secret });
        expect(response.status, secret).toBe(200);
      }
      const response = await postEvent(rotating, stripeEvent('customer.created', { id: 'cus_4' }), { secret: 'whsec_retired' });
      expect(response.status).toBe(400);
    } finally {
      await rotating.close();
    }
  });
});

describe('when a dependency is down', () => {
  test('with Redis down the event is still stored and answered 200, and the sweeper queues it later', async () => {
    const noRedis = await startTestService({ REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: service.config.DATABASE_URL });
    const payment = await new OneTimePayment(campaign, 4_200).record(service);
    const event = payment.completed();
    try {
      const started = Date.now();
      const response = await postEvent(noRedis, event);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await noRedis.close();
    }
    const { rows } = await service.ctx.db.query('SELECT status, attempts FROM stripe_events WHERE id = $1', [event.id]);
    expect(rows[0]).toEqual({ status: 'received', attempts: 0 });

    // The maintenance sweep (run by the healthy service's workers) finds it and queues it.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await service.ctx.queues.enqueue('maintenance.sweep', {});
    expect((await settled(service, [event.id])).get(event.id)).toBe('processed');
    const { rows: donations } = await service.ctx.db.query('SELECT status, amount FROM donations WHERE checkout_session_id = $1', [payment.sessionId]);
    expect(donations[0]).toEqual({ status: 'succeeded', amount: 4_200 });
  });

  test('with PostgreSQL down the answer is 503, so Stripe delivers the event again', async () => {
    const noDatabase = await startTestService({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/goalpost' });
    try {
      const response = await postEvent(noDatabase, stripeEvent('customer.created', { id: 'cus_5' }));
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('service_unavailable');
      expect(response.text).not.toMatch(/ECONNREFUSED|postgres|stack/i);
    } finally {
      await noDatabase.close();
    }
  });
});

describe('STRIPE_WEBHOOK_TOLERANCE_MS', () => {
  test('a signature older than the configured tolerance is refused, one within it stored', async () => {
    const strict = await startTestService({ STRIPE_WEBHOOK_TOLERANCE_MS: '60000' });
    try {
      const send = async (ageSeconds: number) => {
        const event = stripeEvent('customer.created', { id: 'cus_tolerance', object: 'customer' });
        const payload = JSON.stringify(event);
        const header = signature(payload, { timestamp: Math.floor(Date.now() / 1000) - ageSeconds });
        const response = await strict.api.post('/v1/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload);
        const { rows } = await strict.ctx.db.query('SELECT count(*)::int AS n FROM stripe_events WHERE id = $1', [event.id]);
        return [response.status, rows[0].n];
      };
      // 2 minutes is within Stripe's default 5 but past the configured minute.
      expect(await send(120)).toEqual([400, 0]);
      expect(await send(30)).toEqual([200, 1]);
    } finally {
      await strict.close();
    }
  });
});
