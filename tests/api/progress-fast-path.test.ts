import express from 'express';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressFastPath } from '../../src/http/progress-fast-path.js';
import { newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

/** The fast path alone in front of a handler that marks every request it lets through. */
function fastPathOnly() {
  const app = express();
  app.use(progressFastPath(service.ctx.progress));
  app.use((_req, res) => {
    res.status(299).send('full path');
  });
  return supertest(app);
}

const COMPARED = [
  'content-type', 'etag', 'cache-control', 'surrogate-key', 'cache-tag', 'access-control-allow-origin', 'access-control-expose-headers',
  'content-security-policy', 'strict-transport-security', 'x-content-type-options', 'cross-origin-resource-policy',
  'referrer-policy', 'x-frame-options',
];

describe('the progress fast path', () => {
  it('serves a cached progress read with the same body and headers as the full path', async () => {
    const campaign = await newCampaign(service);
    const full = await service.api.get(`/v1/campaigns/${campaign.slug}/progress`);
    const fast = await fastPathOnly().get(`/v1/campaigns/${campaign.slug}/progress`);
    expect(fast.status).toBe(200);
    expect(fast.text).toBe(full.text);
    for (const header of COMPARED) expect([header, fast.headers[header]]).toEqual([header, full.headers[header]]);
    expect(fast.headers['x-request-id']).toEqual(expect.any(String));
    const notModified = await fastPathOnly().get(`/v1/campaigns/${campaign.slug}/progress`).set('If-None-Match', full.headers.etag!);
    expect(notModified.status).toBe(304);
  });

  it('lets misses, unknown campaigns, other months and other routes through to the full path', async () => {
    const campaign = await newCampaign(service);
    expect((await fastPathOnly().get(`/v1/campaigns/${campaign.slug}/progress`)).status).toBe(299);
    expect((await fastPathOnly().get('/v1/campaigns/nobody/progress')).status).toBe(299);
    await service.api.get(`/v1/campaigns/${campaign.slug}/progress`);
    expect((await fastPathOnly().get(`/v1/campaigns/${campaign.slug}/progress?month=2999-01`)).status).toBe(299);
    expect((await fastPathOnly().get(`/v1/campaigns/${campaign.slug}/progress?month=2024-01&x=1`)).status).toBe(299);
    expect((await fastPathOnly().post(`/v1/campaigns/${campaign.slug}/progress`)).status).toBe(299);
  });

  it('stops serving a campaign the moment it is archived', async () => {
    const campaign = await newCampaign(service);
    await service.api.get(`/v1/campaigns/${campaign.slug}/progress`);
    expect((await fastPathOnly().get(`/v1/campaigns/${campaign.slug}/progress`)).status).toBe(200);
    await service.api.patch(`/v1/admin/campaigns/${campaign.slug}`).set(service.admin).send({ status: 'archived' });
    expect((await fastPathOnly().get(`/v1/campaigns/${campaign.slug}/progress`)).status).toBe(299);
    expect((await service.api.get(`/v1/campaigns/${campaign.slug}/progress`)).status).toBe(404);
  });
});
