import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestService, type TestService } from '../helpers/service.js';

/** The cookie pair (name=value) of a Set-Cookie answer. */
function cookieOf(setCookie: string[] | string | undefined): string {
  const first = (Array.isArray(setCookie) ? setCookie : [setCookie ?? ''])[0]!;
  return first.split(';')[0]!;
}

describe('admin sign-in sessions', () => {
  let service: TestService;
  let readKey: string;
  let readKeyId: string;

  beforeAll(async () => {
    service = await startTestService({ ADMIN_AUTH_FAILURES_PER_15_MIN: '5' });
    const minted = await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'viewer', scope: 'read' });
    readKey = minted.body.key;
    readKeyId = minted.body.id;
  });
  afterAll(async () => service?.close());

  async function signIn(key: string) {
    const response = await service.api.post('/v1/admin/sessions').send({ key });
    expect(response.status).toBe(201);
    return { cookie: cookieOf(response.headers['set-cookie']), setCookie: response.headers['set-cookie']![0]!, body: response.body };
  }

  it('exchanges the key once for an HttpOnly, SameSite=Strict session cookie that does not hold the key', async () => {
    const { setCookie, cookie, body } = await signIn(ADMIN_KEY);
    expect(setCookie).toMatch(/^goalpost_session=[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain(ADMIN_KEY);
    expect(body).toMatchObject({ name: 'ADMIN_API_KEY', scope: 'admin', csrf_token: expect.any(String), expires_at: expect.any(String) });
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect((await service.api.get('/v1/admin/me').set('Cookie', cookie)).body).toEqual({ name: 'ADMIN_API_KEY', scope: 'admin' });
    expect((await service.api.get('/v1/admin/sessions/current').set('Cookie', cookie)).body).toEqual(body);
    // The table keeps only a hash of the cookie's value.
    const sessionId = cookie.split('=')[1]!;
    const { rows } = await service.ctx.db.query(`SELECT count(*)::int AS n FROM admin_sessions WHERE id_hash = $1`, [sessionId]);
    expect(rows[0].n).toBe(0);
  });

  it('requires the CSRF token on every write made with the cookie, not on reads or with a Bearer key', async () => {
    const { cookie, body } = await signIn(ADMIN_KEY);
    const campaign = { slug: `csrf-${Date.now()}`, name: 'CSRF', currency: 'usd', timezone: 'UTC', goal: { period: 'monthly', amount: 1000 } };
    const forged = await service.api.post('/v1/admin/campaigns').set('Cookie', cookie).send(campaign);
    expect(forged.status).toBe(403);
    expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
    const wrong = await service.api.post('/v1/admin/campaigns').set('Cookie', cookie).set('X-CSRF-Token', 'not-the-token').send(campaign);
    expect(wrong.status).toBe(403);
    expect((await service.api.get(`/v1/admin/campaigns`).set('Cookie', cookie)).status).toBe(200);
    const { rows } = await service.ctx.db.query(`SELECT count(*)::int AS n FROM campaigns WHERE slug = $1`, [campaign.slug]);
    expect(rows[0].n).toBe(0);
    const made = await service.api.post('/v1/admin/campaigns').set('Cookie', cookie).set('X-CSRF-Token', body.csrf_token).send(campaign);
    expect(made.status).toBe(201);
    expect((await service.api.get('/v1/admin/campaigns').set(service.admin)).status).toBe(200);
  });

  it('signs out: the session is revoked server-side and its cookie cleared', async () => {
    const { cookie, body } = await signIn(ADMIN_KEY);
    expect((await service.api.delete('/v1/admin/sessions/current').set('Cookie', cookie)).status).toBe(403);
    const out = await service.api.delete('/v1/admin/sessions/current').set('Cookie', cookie).set('X-CSRF-Token', body.csrf_token);
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie']![0]).toMatch(/^goalpost_session=; Path=\/; Max-Age=0/);
    // A copy of the old cookie is worth nothing now.
    expect((await service.api.get('/v1/admin/me').set('Cookie', cookie)).status).toBe(401);
    expect((await service.api.get('/v1/admin/sessions/current').set('Cookie', cookie)).status).toBe(204);
  });

  it("ends a minted key's sessions when the key is revoked, and keeps a read key read-only", async () => {
    const { cookie } = await signIn(readKey);
    expect((await service.api.get('/v1/admin/me').set('Cookie', cookie)).body).toEqual({ name: 'viewer', scope: 'read' });
    expect((await service.api.get('/admin/queues/api/queues').set('Cookie', cookie)).status).toBe(403);
    await service.api.delete(`/v1/admin/api-keys/${readKeyId}`).set(service.admin).expect(204);
    expect((await service.api.get('/v1/admin/me').set('Cookie', cookie)).status).toBe(401);
  });

  it('opens the queue dashboard with an admin session, and takes its writes only from this origin', async () => {
    const { cookie } = await signIn(ADMIN_KEY);
    expect((await service.api.get('/admin/queues/api/queues').set('Cookie', cookie)).status).toBe(200);
    const crossSite = await service.api.put('/admin/queues/api/queues/receipts/pause').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site');
    expect(crossSite.status).toBe(403);
    const sameOrigin = await service.api.put('/admin/queues/api/queues/receipts/resume').set('Cookie', cookie).set('Sec-Fetch-Site', 'same-origin');
    expect(sameOrigin.status).toBeLessThan(300);
  });
});

describe('failed admin authentications', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ ADMIN_AUTH_FAILURES_PER_15_MIN: '3', TRUST_PROXY: 'loopback' });
    // The limiter's store loads its script on first use; let that happen before counting. A
    // RateLimit header says the store answered (a failing store lets requests through uncounted).
    const warmUp = await service.api.get('/v1/admin/me').set(service.admin).expect(200);
    expect(warmUp.headers.ratelimit).toBeDefined();
  });
  afterAll(async () => service?.close());

  it('are limited per client: after the limit, a 429 problem even for the right key; other clients unaffected', async () => {
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await service.api.post('/v1/admin/sessions').set(from('198.51.100.9')).send({ key: `wrong-key-${attempt}-0123456789` })).status).toBe(401);
    }
    const limited = await service.api.post('/v1/admin/sessions').set(from('198.51.100.9')).send({ key: ADMIN_KEY });
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.code).toBe('rate_limited');
    expect((await service.api.get('/v1/admin/me').set(from('198.51.100.9')).set('Authorization', 'Bearer another-wrong-key-0123456')).status).toBe(429);
    // Successful requests do not use up the budget of another client, nor their own.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await service.api.get('/v1/admin/me').set(from('198.51.100.10')).set(service.admin)).status).toBe(200);
    }
    expect((await service.api.post('/v1/admin/sessions').set(from('198.51.100.10')).send({ key: ADMIN_KEY })).status).toBe(201);
  });
});
