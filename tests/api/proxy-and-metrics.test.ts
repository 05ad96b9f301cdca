import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** A checkout body the route refuses after the rate limit has counted it (no Stripe call needed). */
const invalid = { amount: -1 };

describe('behind a trusted proxy (TRUST_PROXY)', () => {
  let service: TestService;
  let slug: string;

  beforeAll(async () => {
    service = await startTestService({ TRUST_PROXY: 'loopback', CHECKOUT_RATE_LIMIT_PER_MINUTE: '2', METRICS_TOKEN });
    ({ slug } = await newCampaign(service));
  });
  afterAll(async () => service?.close());

  const attempt = (forwardedFor: string) =>
    service.api.post(`/v1/campaigns/${slug}/checkout`).set('X-Forwarded-For', forwardedFor).send(invalid);

  it('gives each donor behind the proxy their own rate-limit bucket', async () => {
    expect((await attempt('198.51.100.1')).status).toBe(400);
    expect((await attempt('198.51.100.1')).status).toBe(400);
    const limited = await attempt('198.51.100.1');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect((await attempt('198.51.100.2')).status).toBe(400);
    // The proxy appends the address it saw; what the client wrote before it is not believed.
    expect((await attempt('203.0.113.50, 198.51.100.1')).status).toBe(429);
  });

  it('counts IPv6 donors by their /64', async () => {
    expect((await attempt('2001:db8:aa:1::1')).status).toBe(400);
    expect((await attempt('2001:db8:aa:1::ffff')).status).toBe(400);
    expect((await attempt('2001:db8:aa:1:1234::9')).status).toBe(429);
    expect((await attempt('2001:db8:aa:2::1')).status).toBe(400);
  });

  it('guards /metrics with METRICS_TOKEN', async () => {
    const missing = await service.api.get('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body.code).toBe('unauthorized');
    expect(missing.text).not.toContain('goalpost_');
    expect((await service.api.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await service.api.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    const allowed = await service.api.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('# TYPE goalpost_donations_total ');
  });
});

describe('with no TRUST_PROXY', () => {
  let service: TestService;
  let slug: string;

  beforeAll(async () => {
    service = await startTestService({ CHECKOUT_RATE_LIMIT_PER_MINUTE: '2' });
    ({ slug } = await newCampaign(service));
  });
  afterAll(async () => service?.close());

  it('believes no X-Forwarded-For: a client cannot pick a fresh bucket per request', async () => {
    const statuses: number[] = [];
    for (const forwardedFor of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      statuses.push((await service.api.post(`/v1/campaigns/${slug}/checkout`).set('X-Forwarded-For', forwardedFor).send(invalid)).status);
    }
    expect(statuses).toEqual([400, 400, 429]);
  });
});
