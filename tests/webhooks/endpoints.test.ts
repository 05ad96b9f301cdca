import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
});
afterAll(async () => {
  await service.close();
});

const create = (body: Record<string, unknown>) => service.api.post('/v1/admin/webhook-endpoints').set(service.admin).send(body);
const countEndpoints = async () => (await service.ctx.db.query('SELECT count(*)::int AS n FROM webhook_endpoints')).rows[0].n as number;

describe('webhook endpoints API', () => {
  it('registers an endpoint and answers 201 with a whsec_ secret of 24 to 64 random bytes', async () => {
    const response = await create({ url: 'http://127.0.0.1:9/hooks', events: ['donation.succeeded', 'tier.reached'], description: 'CRM' });
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/v1/admin/webhook-endpoints/${response.body.id}`);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^ep_/),
      url: 'http://127.0.0.1:9/hooks',
      description: 'CRM',
      events: ['donation.succeeded', 'tier.reached'],
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      previous_secret_expires_at: null,
    });
    const secret: string = response.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
    expect(bytes).toBeGreaterThanOrEqual(24);
    expect(bytes).toBeLessThanOrEqual(64);

    const again = await create({ url: 'http://127.0.0.1:9/hooks', events: ['*'] });
    expect(again.body.secret).not.toBe(secret);
  });

  it('lists, reads, updates and deletes endpoints without ever showing the secret again', async () => {
    const created = (await create({ url: 'http://127.0.0.1:9/a', events: ['*'] })).body;
    const second = (await create({ url: 'http://127.0.0.1:9/b', events: ['goal.reached'] })).body;

    // Walk the list two at a time: newest first, each endpoint once.
    const ids: string[] = [];
    let cursor: string | null = null;
    let listed = '';
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await service.api.get(`/v1/admin/webhook-endpoints?limit=2${query}`).set(service.admin);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      ids.push(...page.body.data.map((endpoint: { id: string }) => endpoint.id));
      listed += JSON.stringify(page.body);
      cursor = page.body.next_cursor;
    } while (cursor && !ids.includes(created.id));
    expect(ids.indexOf(second.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(created.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(listed).not.toContain(created.secret.slice(6));

    const read = await service.api.get(`/v1/admin/webhook-endpoints/${created.id}`).set(service.admin);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');

    const patched = await service.api
      .patch(`/v1/admin/webhook-endpoints/${created.id}`)
      .set(service.admin)
      .send({ events: ['tier.reached', 'goal.reached', 'tier.reached'], description: 'Slack bot', url: 'http://127.0.0.1:9/c' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['goal.reached', 'tier.reached'], description: 'Slack bot', url: 'http://127.0.0.1:9/c' });

    const disabled = await service.api.patch(`/v1/admin/webhook-endpoints/${created.id}`).set(service.admin).send({ enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, disabled_reason: 'manual', disabled_at: expect.any(String) });

    expect((await service.api.delete(`/v1/admin/webhook-endpoints/${created.id}`).set(service.admin)).status).toBe(204);
    expect((await service.api.get(`/v1/admin/webhook-endpoints/${created.id}`).set(service.admin)).status).toBe(404);
    expect((await service.api.delete(`/v1/admin/webhook-endpoints/${created.id}`).set(service.admin)).status).toBe(404);
  });

  it.each([
    ['an unknown event type', { url: 'http://127.0.0.1:9/', events: ['donation.created'] }, 'events.0'],
    ['"*" next to other types', { url: 'http://127.0.0.1:9/', events: ['*', 'tier.reached'] }, 'events'],
    ['no events', { url: 'http://127.0.0.1:9/', events: [] }, 'events'],
    ['a missing url', { events: ['*'] }, 'url'],
    ['a relative url', { url: '/hooks', events: ['*'] }, 'url'],
    ['an unknown field', { url: 'http://127.0.0.1:9/', events: ['*'], secret: 'whsec_mine' }, ''],
  ])('rejects %s with 400 validation_failed and stores nothing', async (_name, body, field) => {
    const before = await countEndpoints();
    const response = await create(body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    if (field) expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await countEndpoints()).toBe(before);
  });

  it('refuses schemes other than http(s) as unsafe_webhook_target', async () => {
    for (const url of ['ftp://example.com/hooks', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_PING']) {
      const response = await create({ url, events: ['*'] });
      expect(response.status, url).toBe(400);
      expect(response.body.code, url).toBe('unsafe_webhook_target');
    }
  });

  it('rotates the secret: a new one is returned and the old one is announced to expire in 24 h', async () => {
    const created = (await create({ url: 'http://127.0.0.1:9/r', events: ['*'] })).body;
    const rotated = await service.api.post(`/v1/admin/webhook-endpoints/${created.id}/rotate-secret`).set(service.admin);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(rotated.body.previous_secret_expires_at).toEqual(expect.any(String));
    const missing = await service.api.post('/v1/admin/webhook-endpoints/ep_missing/rotate-secret').set(service.admin);
    expect(missing.status).toBe(404);
  });

  it('needs an admin key to change endpoints; a read key may list them', async () => {
    const minted = await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'viewer', scope: 'read' });
    const reader = { Authorization: `Bearer ${minted.body.key}` };
    expect((await service.api.get('/v1/admin/webhook-endpoints').set(reader)).status).toBe(200);
    const refused = await service.api.post('/v1/admin/webhook-endpoints').set(reader).send({ url: 'http://127.0.0.1:9/', events: ['*'] });
    expect(refused.status).toBe(403);
    expect((await service.api.get('/v1/admin/webhook-endpoints')).status).toBe(401);
  });

  it('lists an unknown endpoint’s deliveries as 404 and documents every route in /openapi.json', async () => {
    expect((await service.api.get('/v1/admin/webhook-endpoints/ep_missing/deliveries').set(service.admin)).status).toBe(404);
    const openapi = await service.api.get('/openapi.json');
    const paths = Object.keys(openapi.body.paths ?? {});
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/admin/webhook-endpoints',
        '/v1/admin/webhook-endpoints/{id}',
        '/v1/admin/webhook-endpoints/{id}/rotate-secret',
        '/v1/admin/webhook-endpoints/{id}/deliveries',
        '/v1/admin/webhook-deliveries/{id}/retry',
      ]),
    );
  });
});
