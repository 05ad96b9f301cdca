import type { IncomingMessage, ServerResponse } from 'node:http';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressFastPath } from '../../src/http/progress-fast-path.js';
import { PROGRESS_ROUTE } from '../../src/http/routes/campaigns.js';
import { httpRequestDuration } from '../../src/metrics.js';
import { newCampaign } from '../helpers/builders.js';
import { addToThisMonth } from '../helpers/progress-stream.js';
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
  const fastPath = progressFastPath(service.ctx.progress);
  return supertest((req: IncomingMessage, res: ServerResponse) => {
    if (!fastPath(req, res)) res.writeHead(299).end('full path');
  });
}

/** How many progress reads /metrics has counted with this status. */
async function progressReadsCounted(status: number): Promise<number> {
  const { values } = await httpRequestDuration.get();
  const count = values.find(
    ({ metricName, labels }) => metricName?.endsWith('_count') && labels.route === PROGRESS_ROUTE && labels.status_code === String(status),
  );
  return count?.value ?? 0;
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

  it('answers a revalidation with a 304 carrying the 200\'s ETag, caching and security headers, and each reader its own request id', async () => {
    const { slug } = await newCampaign(service);
    await service.api.get(`/v1/campaigns/${slug}/progress`);
    const counted = { ok: await progressReadsCounted(200), notModified: await progressReadsCounted(304) };
    const ok = await fastPathOnly().get(`/v1/campaigns/${slug}/progress`).set('X-Request-Id', 'first-reader');
    const revalidated = await fastPathOnly().get(`/v1/campaigns/${slug}/progress`).set('If-None-Match', ok.headers.etag!).set('X-Request-Id', 'revalidation');
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    for (const header of COMPARED.filter((name) => name !== 'content-type')) {
      expect([header, revalidated.headers[header]]).toEqual([header, ok.headers[header]]);
    }
    expect(revalidated.headers['content-type']).toBeUndefined();
    expect([ok.headers['x-request-id'], revalidated.headers['x-request-id']]).toEqual(['first-reader', 'revalidation']);
    // The prepared headers are shared by every reader of the snapshot: no reader gets another's id.
    const anonymous = await fastPathOnly().get(`/v1/campaigns/${slug}/progress`);
    expect(anonymous.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect({ ok: await progressReadsCounted(200), notModified: await progressReadsCounted(304) }).toEqual({
      ok: counted.ok + 2,
      notModified: counted.notModified + 1,
    });
  });

  it('sends the body with its length, and new headers with the new figures once the progress changed', async () => {
    const { slug } = await newCampaign(service);
    await service.api.get(`/v1/campaigns/${slug}/progress`);
    const before = await fastPathOnly().get(`/v1/campaigns/${slug}/progress`);
    expect(before.headers['content-length']).toBe(String(Buffer.byteLength(before.text)));
    expect(before.headers['transfer-encoding']).toBeUndefined();

    await addToThisMonth(service, slug, 123_456);
    const { rows } = await service.ctx.db.query<{ id: number }>('SELECT id FROM campaigns WHERE slug = $1', [slug]);
    service.ctx.progress.invalidate(rows[0]!.id);
    expect((await fastPathOnly().get(`/v1/campaigns/${slug}/progress`)).status).toBe(299);
    const full = await service.api.get(`/v1/campaigns/${slug}/progress`);
    const after = await fastPathOnly().get(`/v1/campaigns/${slug}/progress`).set('If-None-Match', before.headers.etag!);
    expect(after.status).toBe(200);
    expect(after.text).toBe(full.text);
    expect(after.text).toContain('"raised":123456');
    expect(after.headers.etag).toBe(full.headers.etag);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.headers['content-length']).toBe(String(Buffer.byteLength(after.text)));
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

  it('leaves a read it fails on to the full path, which still answers it', async () => {
    const { slug } = await newCampaign(service);
    const cached = await service.api.get(`/v1/campaigns/${slug}/progress`);
    const { progress } = service.ctx;
    const peek = progress.peek;
    progress.peek = () => {
      throw new Error('the cache broke');
    };
    try {
      const response = await service.api.get(`/v1/campaigns/${slug}/progress`);
      expect(response.status).toBe(200);
      expect(response.text).toBe(cached.text);
      expect(response.headers.etag).toBe(cached.headers.etag);
    } finally {
      progress.peek = peek;
    }
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
