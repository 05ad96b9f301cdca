import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';

describe('ops surface: metrics, queue dashboard, web assets', () => {
  let service: TestService;
  let readKey: string;

  beforeAll(async () => {
    service = await startTestService();
    readKey = (await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'viewer', scope: 'read' })).body.key;
  });
  afterAll(async () => service?.close());

  it('exposes the Prometheus metrics by name, HTTP latency labelled by route pattern', async () => {
    const { slug } = await newCampaign(service);
    await service.api.get(`/v1/campaigns/${slug}/progress`).expect(200);
    const response = await service.api.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    for (const name of [
      'goalpost_http_request_duration_seconds',
      'goalpost_stripe_events_received_total',
      'goalpost_stripe_events_processed_total',
      'goalpost_stripe_events_failed_total',
      'goalpost_queue_jobs',
      'goalpost_job_duration_seconds',
      'goalpost_donations_total',
      'goalpost_donation_amount_minor_units_total',
      'goalpost_receipts_sent_total',
      'goalpost_receipts_failed_total',
      'goalpost_webhook_deliveries_total',
      'goalpost_sse_connections',
      'goalpost_refunds_requested_total',
      'goalpost_process_cpu_seconds_total',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/goalpost_http_request_duration_seconds_count\{method="GET",route="\/v1\/campaigns\/:slug\/progress",status_code="200"\} \d+/);
    expect(text).not.toContain(`route="/v1/campaigns/${slug}/progress"`);
    for (const queue of ['stripe-events', 'receipts', 'webhooks', 'maintenance']) {
      expect(text).toContain(`goalpost_queue_jobs{queue="${queue}",state="waiting"}`);
    }
  });

  it('tells the dashboard who the key is', async () => {
    expect((await service.api.get('/v1/admin/me').set(service.admin)).body).toEqual({ name: 'ADMIN_API_KEY', scope: 'admin' });
    expect((await service.api.get('/v1/admin/me').set({ Authorization: `Bearer ${readKey}` })).body).toEqual({ name: 'viewer', scope: 'read' });
    expect((await service.api.get('/v1/admin/me')).status).toBe(401);
  });

  describe('/admin/queues (bull-board)', () => {
    it('sends a browser without a key to sign in, and refuses API clients without one', async () => {
      const browser = await service.api.get('/admin/queues').set('Accept', 'text/html');
      expect(browser.status).toBe(303);
      expect(browser.headers.location).toBe('/admin');
      expect((await service.api.get('/admin/queues/api/queues').set('Accept', 'application/json')).status).toBe(401);
    });

    it('refuses read-only keys', async () => {
      const response = await service.api.get('/admin/queues/api/queues').set({ Authorization: `Bearer ${readKey}` });
      expect(response.status).toBe(403);
    });

    it('serves the board for an admin key in the header', async () => {
      const page = await service.api.get('/admin/queues').set(service.admin);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<div id="root">');
      const queues = await service.api.get('/admin/queues/api/queues').set(service.admin);
      expect(queues.status).toBe(200);
      expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['maintenance', 'receipts', 'stripe-events', 'webhooks']);
    });

    it('does not take the raw admin key from a cookie', async () => {
      expect((await service.api.get('/admin/queues/api/queues').set('Cookie', `goalpost_queues_key=${encodeURIComponent(service.admin.Authorization.slice(7))}`)).status).toBe(401);
      expect((await service.api.post('/v1/admin/queues-session').set(service.admin)).status).toBe(404);
    });
  });

  describe('web assets', () => {
    it('serves the widget script gzipped, under 15 kB, cacheable, with an ETag that revalidates', async () => {
      // Raw bytes as they cross the wire (supertest and fetch would inflate them).
      const response = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        get(`${service.url}/widget.js`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/javascript/);
      expect(response.headers['content-encoding']).toBe('gzip');
      // Five minutes in browsers and CDNs, so a fix reaches every publisher's page soon.
      expect(response.headers['cache-control']).toMatch(/^public, max-age=300, s-maxage=300,/);
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const gzipped = response.body;
      expect(gzipped.length).toBeLessThan(15 * 1024);
      expect(gunzipSync(gzipped).toString('utf8')).toContain('goalpost-progress');
      const again = await service.api.get('/widget.js').set('If-None-Match', response.headers.etag!);
      expect(again.status).toBe(304);
    });

    it('serves the dashboard page with a policy allowing only its own scripts and styles', async () => {
      const page = await service.api.get('/admin');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const csp = page.headers['content-security-policy']!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.text).not.toMatch(/<script>|<style>| style="/);
      expect((await service.api.get('/admin/dashboard.js')).status).toBe(200);
      expect((await service.api.get('/admin/dashboard.css')).status).toBe(200);
    });

    it('describes the new routes in the OpenAPI document', async () => {
      const { body } = await service.api.get('/openapi.json');
      for (const path of ['/v1/campaigns/{slug}/progress/stream', '/v1/admin/donations/export.csv', '/v1/admin/donations/{id}/refund', '/v1/admin/me', '/v1/admin/sessions', '/v1/admin/sessions/current', '/metrics', '/widget.js', '/admin', '/admin/queues']) {
        expect(body.paths, path).toHaveProperty([path]);
      }
    });
  });
});
