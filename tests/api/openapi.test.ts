import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../src/http/app.js';
import { startTestService, type TestService } from '../helpers/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every (method, path) an Express app serves through routers mounted at the root. */
function servedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const method of Object.keys(layer.route.methods)) {
            if (method !== '_all') found.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

describe('the OpenAPI document', () => {
  it('describes every route the app serves', async () => {
    const app = createApp(service.ctx);
    const doc = (await service.api.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`)),
    );
    const served = servedRoutes(app);
    expect(served.length).toBeGreaterThan(30);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('lists every route of the contract in shared/API.md', async () => {
    const doc = (await service.api.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const has = (method: string, path: string) => Boolean(doc.paths[path]?.[method]);
    const contract: [string, string][] = [
      ['get', '/v1/campaigns/{slug}'],
      ['get', '/v1/campaigns/{slug}/progress'],
      ['get', '/v1/campaigns/{slug}/progress/stream'],
      ['post', '/v1/campaigns/{slug}/checkout'],
      ['get', '/v1/checkout/{session_id}'],
      ['post', '/v1/webhooks/stripe'],
      ['post', '/v1/admin/campaigns'],
      ['get', '/v1/admin/campaigns'],
      ['get', '/v1/admin/campaigns/{slug}'],
      ['patch', '/v1/admin/campaigns/{slug}'],
      ['get', '/v1/admin/campaigns/{slug}/months'],
      ['get', '/v1/admin/donations'],
      ['get', '/v1/admin/donations/{id}'],
      ['get', '/v1/admin/donations/export.csv'],
      ['post', '/v1/admin/donations/{id}/refund'],
      ['post', '/v1/admin/donations/{id}/receipt'],
      ['get', '/v1/admin/stripe-events'],
      ['post', '/v1/admin/stripe-events/{id}/replay'],
      ['post', '/v1/admin/webhook-endpoints'],
      ['get', '/v1/admin/webhook-endpoints/{id}'],
      ['patch', '/v1/admin/webhook-endpoints/{id}'],
      ['delete', '/v1/admin/webhook-endpoints/{id}'],
      ['get', '/v1/admin/webhook-endpoints/{id}/deliveries'],
      ['post', '/v1/admin/webhook-deliveries/{id}/retry'],
      ['post', '/v1/admin/api-keys'],
      ['get', '/v1/admin/api-keys'],
      ['delete', '/v1/admin/api-keys/{id}'],
      ['get', '/healthz'],
      ['get', '/readyz'],
      ['get', '/metrics'],
      ['get', '/openapi.json'],
      ['get', '/admin'],
      ['get', '/widget.js'],
    ];
    expect(contract.filter(([method, path]) => !has(method, path))).toEqual([]);
    expect(Object.keys(doc.paths).some((path) => path.startsWith('/admin/queues'))).toBe(true);
  });
});
