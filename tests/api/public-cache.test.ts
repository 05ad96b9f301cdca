import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { addToThisMonth } from '../helpers/progress-stream.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  await service.ctx.progressHub.start();
});
afterAll(async () => {
  await service.close();
});

/** Counts the statements the service sends to PostgreSQL while `run` runs (the real pool, still querying). */
async function queriesDuring(run: () => Promise<void>): Promise<number> {
  const pool = service.ctx.db;
  const query = pool.query;
  let count = 0;
  pool.query = ((...args: Parameters<typeof query>) => {
    count += 1;
    return (query as (...a: unknown[]) => unknown).apply(pool, args);
  }) as typeof query;
  try {
    await run();
  } finally {
    pool.query = query;
  }
  return count;
}

describe('public reads behind a CDN', () => {
  it.each([
    ['the campaign', (slug: string) => `/v1/campaigns/${slug}`],
    ['its progress', (slug: string) => `/v1/campaigns/${slug}/progress`],
    ['its supporters wall', (slug: string) => `/v1/campaigns/${slug}/supporters`],
  ])('serves %s with shared-cache headers, a strong ETag, the surrogate key and no Vary', async (_name, path) => {
    const { slug } = await newCampaign(service);
    const response = await service.api.get(path(slug));
    expect(response.status).toBe(200);
    const cacheControl = response.headers['cache-control']!;
    expect(cacheControl).toMatch(/(^|, )public(,|$)/);
    expect(cacheControl).toMatch(/s-maxage=\d+/);
    expect(cacheControl).toMatch(/stale-while-revalidate=\d+/);
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(response.headers['surrogate-key']).toBe(`campaign-${slug}`);
    expect(response.headers['cache-tag']).toBe(`campaign-${slug}`);
    expect(response.headers.vary).toBeUndefined();
  });

  it.each([
    ['the campaign', (slug: string) => `/v1/campaigns/${slug}`],
    ['its progress', (slug: string) => `/v1/campaigns/${slug}/progress`],
  ])('answers a revalidation of %s with 304 until the money changes, then with the new figures', async (_name, path) => {
    const { slug } = await newCampaign(service);
    const first = await service.api.get(path(slug));
    const revalidated = await service.api.get(path(slug)).set('If-None-Match', first.headers.etag!);
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.headers.etag).toBe(first.headers.etag);
    expect(revalidated.headers['cache-control']).toBe(first.headers['cache-control']);
    expect(revalidated.headers['surrogate-key']).toBe(`campaign-${slug}`);

    await addToThisMonth(service, slug, 2_500);
    await expect.poll(async () => (await service.api.get(path(slug)).set('If-None-Match', first.headers.etag!)).status).toBe(200);
    const changed = await service.api.get(path(slug));
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(JSON.stringify(changed.body)).toContain('"raised":2500');
  });

  it('answers a CDN revalidating with Cache-Control: max-age=0 from the process cache, without a database read', async () => {
    const { slug } = await newCampaign(service);
    const cdn = { 'Cache-Control': 'max-age=0', Pragma: 'no-cache' };
    for (const path of [`/v1/campaigns/${slug}/progress`, `/v1/campaigns/${slug}`]) {
      // The cache lives a second; the warming read and the counted ones follow each other at once.
      const warm = await service.api.get(path);
      const queries = await queriesDuring(async () => {
        const fresh = await service.api.get(path).set(cdn);
        expect(fresh.status).toBe(200);
        expect(fresh.headers.etag).toBe(warm.headers.etag);
        const revalidated = await service.api.get(path).set(cdn).set('If-None-Match', warm.headers.etag!);
        expect(revalidated.status).toBe(304);
      });
      expect([path, queries]).toEqual([path, 0]);
    }
  });

  it('serves the widget script with shared-cache headers, a strong ETag, Vary: Accept-Encoding and a 304 on revalidation', async () => {
    const script = await service.api.get('/widget.js').set('Accept-Encoding', 'gzip');
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toMatch(/s-maxage=\d+/);
    expect(script.headers['cache-control']).toMatch(/stale-while-revalidate=\d+/);
    expect(script.headers.vary).toBe('Accept-Encoding');
    expect(script.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(script.headers['surrogate-key']).toBe('goalpost-widget');
    const revalidated = await service.api.get('/widget.js').set('If-None-Match', script.headers.etag!);
    expect(revalidated.status).toBe(304);
  });
});
