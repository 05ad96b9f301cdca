import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget, postGuarded } from '../../src/integrations/outbound-http.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { emitEvent, registerEndpoint, sleep, startReceiver, waitFor, type Receiver } from './receiver.js';

/** The guard on (the default), and a second service on the same database with it lifted, to plant loopback endpoints. */
let guarded: TestService;
let open: TestService;
let receiver: Receiver;

beforeAll(async () => {
  guarded = await startTestService({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_RETRY_SCHEDULE_MS: '0,100' });
  open = await startTestService({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', DATABASE_URL: guarded.config.DATABASE_URL });
  guarded.startWorkers();
  receiver = await startReceiver();
});
afterAll(async () => {
  await open.close();
  await guarded.close();
  await receiver.close();
});

const UNSAFE = [
  'http://127.0.0.1/hooks',
  'http://127.0.0.1:8080/hooks',
  'http://10.0.0.1/hooks',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::1]/hooks',
  'http://[::ffff:127.0.0.1]/hooks',
  'http://localhost/hooks',
  'https://localhost:8443/hooks',
  'http://0x7f.1/hooks',
  'http://2130706433/hooks',
  'http://0.0.0.0/hooks',
  'http://100.64.0.1/hooks',
  'http://172.16.5.4/hooks',
  'http://192.168.1.1/hooks',
  'http://224.0.0.1/hooks',
  'http://[fe80::1]/hooks',
  'http://[fd00::1]/hooks',
  'http://[::ffff:a9fe:a9fe]/hooks',
];

describe('SSRF guard at registration', () => {
  it.each(UNSAFE)('refuses %s with 400 unsafe_webhook_target and stores nothing', async (url) => {
    const before = (await guarded.ctx.db.query('SELECT count(*)::int AS n FROM webhook_endpoints WHERE url = $1', [url])).rows[0].n;
    const response = await guarded.api.post('/v1/admin/webhook-endpoints').set(guarded.admin).send({ url, events: ['*'] });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('unsafe_webhook_target');
    expect(response.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(/address/) }]);
    const after = (await guarded.ctx.db.query('SELECT count(*)::int AS n FROM webhook_endpoints WHERE url = $1', [url])).rows[0].n;
    expect(after).toBe(before);
  });

  it('names the resolved address when a host name resolves to loopback', async () => {
    const response = await guarded.api
      .post('/v1/admin/webhook-endpoints')
      .set(guarded.admin)
      .send({ url: 'http://localhost:3000/hooks', events: ['*'] });
    expect(response.body.detail).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  it('refuses moving an endpoint to an unsafe URL, and leaves it as it was', async () => {
    const created = await guarded.api
      .post('/v1/admin/webhook-endpoints')
      .set(guarded.admin)
      .send({ url: 'https://93.184.216.34/hooks', events: ['period.closed'] });
    expect(created.status).toBe(201);
    const moved = await guarded.api.patch(`/v1/admin/webhook-endpoints/${created.body.id}`).set(guarded.admin).send({ url: 'http://[::1]:9/' });
    expect(moved.status).toBe(400);
    expect(moved.body.code).toBe('unsafe_webhook_target');
    const read = await guarded.api.get(`/v1/admin/webhook-endpoints/${created.body.id}`).set(guarded.admin);
    expect(read.body.url).toBe('https://93.184.216.34/hooks');
    await guarded.api.delete(`/v1/admin/webhook-endpoints/${created.body.id}`).set(guarded.admin).expect(204);
  });

  it('accepts loopback targets when WEBHOOK_ALLOW_PRIVATE_TARGETS=true', async () => {
    const response = await open.api.post('/v1/admin/webhook-endpoints').set(open.admin).send({ url: 'http://127.0.0.1:9/dev', events: ['period.closed'] });
    expect(response.status).toBe(201);
    await open.api.delete(`/v1/admin/webhook-endpoints/${response.body.id}`).set(open.admin).expect(204);
  });
});

describe('SSRF guard at delivery', () => {
  it('refuses to connect to loopback at delivery time, by address and by host name, and records why', async () => {
    // Registered while the guard was lifted (or before the name was re-pointed): delivery checks again.
    const byAddress = await registerEndpoint(open, receiver, ['goal.reached']);
    const byName = await registerEndpoint(open, receiver, ['goal.reached'], `http://localhost:${receiver.port}/hooks`);
    const eventId = await emitEvent(guarded, 'goal.reached', { campaign: 'ssrf' });

    const attemptsOf = async (endpointId: string) => {
      const { rows } = await guarded.ctx.db.query(
        `SELECT d.status, a.status_code, a.error FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
         WHERE d.endpoint_id = $1 AND d.event_id = $2 ORDER BY a.id`,
        [endpointId, eventId],
      );
      return rows as { status: string; status_code: number | null; error: string }[];
    };
    for (const [endpoint, pattern] of [
      [byAddress, /^refused: 127\.0\.0\.1 is a loopback address/],
      [byName, /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/],
    ] as const) {
      const attempts = await waitFor(async () => {
        const rows = await attemptsOf(endpoint.id);
        return rows.length === 2 && rows[0]!.status === 'failed' && rows;
      }, `both attempts to ${endpoint.url}`);
      for (const attempt of attempts) {
        expect(attempt.status_code).toBeNull();
        expect(attempt.error).toMatch(pattern);
      }
    }
    await sleep(200);
    expect(receiver.requestsFor(eventId)).toHaveLength(0);
  });

  it('refuses a host name when any of its addresses is private, even next to a public one', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    await expect(checkTarget('https://mixed.test/hooks', { allowPrivate: false, resolve })).rejects.toThrow(
      /mixed\.test resolves to 127\.0\.0\.1, a loopback address/,
    );
  });

  it('connects to the addresses it checked instead of asking DNS again', async () => {
    // "receiver.test" exists only in this resolver: the system DNS would answer ENOTFOUND, so
    // reaching the receiver proves the connection used the checked answer (no rebinding window).
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await postGuarded({
      url: `http://receiver.test:${receiver.port}/pinned`,
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_pinned' },
      body: '{"type":"goal.reached","timestamp":"2026-11-25T00:00:00.000Z","data":{}}',
      timeoutMs: 2_000,
      allowPrivate: true,
      responseLimit: 1024,
      resolve,
    });
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    const [request] = receiver.requestsFor('msg_pinned');
    expect(request!.headers.host).toBe(`receiver.test:${receiver.port}`);
  });

  it('never follows a redirect, even one pointing at a public address', async () => {
    const redirecting = await startReceiver(() => ({ status: 307, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
    try {
      const result = await postGuarded({
        url: redirecting.url,
        headers: { 'content-type': 'application/json', 'webhook-id': 'msg_redirect' },
        body: '{}',
        timeoutMs: 2_000,
        allowPrivate: true,
        responseLimit: 1024,
      });
      expect(result).toMatchObject({ kind: 'response', status: 307 });
      expect(redirecting.requests).toHaveLength(1);
    } finally {
      await redirecting.close();
    }
  });
});
