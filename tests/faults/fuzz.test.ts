/**
 * Drill: fuzzed bodies and headers across the public routes and the Stripe webhook. Whatever a
 * client sends, the answer is never a 5xx, and input that is rejected changes nothing.
 */
import fc from 'fast-check';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_KEY, WEBHOOK_SECRET, databaseFingerprint, startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { send, sendRaw, type RawRequest } from './support/http.js';

const TOTAL_RUNS = Number(process.env.FAULTS_FUZZ_RUNS ?? 10_000);
/** Share of the runs each target gets. */
const SHARE = { webhook: 0.35, checkout: 0.2, progress: 0.15, campaign: 0.06, checkoutStatus: 0.06, admin: 0.06, anyRoute: 0.08, raw: 0.04 };
const runs = (share: number) => Math.max(50, Math.round(TOTAL_RUNS * share));

const stripeSdk = new Stripe('sk_test_goalpost_faults');
const SLUG = 'fuzz-campaign';
/** What an accepted checkout legitimately writes. */
const CHECKOUT_TABLES = ['checkouts', 'idempotency_keys'];

let drill: Drill;
let api: ServiceProcess;

beforeAll(async () => {
  drill = await startDrill();
  api = await drill.startApi();
  const created = await send(api.url, {
    method: 'POST',
    path: '/v1/admin/campaigns',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      slug: SLUG,
      name: 'Fuzz target',
      currency: 'usd',
      timezone: 'America/New_York',
      goal: { period: 'monthly', amount: 500_000 },
      tiers: [{ amount: 100_000, label: 'First', description: '' }],
      amount_presets: [500, 1_000],
      min_amount: 100,
      max_amount: 1_000_000,
      allowed_redirect_origins: ['https://news.example'],
    }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await drill?.close();
});

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Header values a real HTTP client can put on the wire (visible ASCII, spaces, tabs). */
const headerValue = fc.string({ unit: fc.constantFrom(...' \t!"#$%&\'()*+,-./0123456789:;<=>?@ABCZabcz[\\]^_`{|}~'.split('')), maxLength: 80 });
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.lorem());
const jsonText = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null');
const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain',
    'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml', ''),
  headerValue,
);
const pathSegment = fc.oneof(fc.webSegment(), fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.constantFrom('..', '%', '%zz', '%00', SLUG));
const queryString = fc.oneof(
  fc.constant(''),
  fc.webQueryParameters().map((q) => (q ? `?${q}` : '')),
  fc.string({ maxLength: 60 }).map((s) => `?${encodeURIComponent(s)}`),
);
const extraHeaders = fc.dictionary(
  fc.constantFrom('X-Request-Id', 'If-None-Match', 'Accept', 'Accept-Encoding', 'Origin', 'Idempotency-Key', 'Cookie', 'X-Forwarded-For', 'Content-Encoding', 'Range'),
  headerValue,
  { maxKeys: 4 },
);

function withBody(req: RawRequest, body: string | Buffer, type: string): RawRequest {
  const headers: Record<string, string> = { ...req.headers };
  if (type) headers['Content-Type'] = type;
  return { ...req, headers, body };
}

// Stripe events: shaped like the real thing, but forged, stale, tampered or junk.
const eventTypes = fc.constantFrom('checkout.session.completed', 'invoice.paid', 'charge.refunded', 'charge.dispute.created', 'customer.subscription.deleted', 'not.a.type');
const eventBody = fc
  .record({
    id: fc.oneof(fc.string({ maxLength: 30 }).map((s) => `evt_${s}`), fc.string(), fc.integer()),
    type: fc.oneof(eventTypes, fc.string()),
    created: fc.oneof(fc.integer(), fc.string()),
    amount: fc.oneof(fc.integer(), fc.double(), fc.string()),
    metadata: fc.dictionary(fc.constantFrom('goalpost_campaign_id', 'goalpost_campaign', 'goalpost_amount', 'goalpost_frequency', 'x'), fc.oneof(fc.string(), fc.constant(SLUG))),
  })
  .map(({ id, type, created, amount, metadata }) =>
    JSON.stringify({ id, object: 'event', type, created, api_version: '2026-10-28.endive', data: { object: { id: 'cs_fuzz', object: 'checkout.session', amount_total: amount, payment_status: 'paid', metadata } } }),
  );
const now = () => Math.floor(Date.now() / 1000);
const sign = (payload: string, secret = WEBHOOK_SECRET, timestamp = now()) => stripeSdk.webhooks.generateTestHeaderString({ payload, secret, timestamp });

/** Every way a Stripe webhook can be wrong; each must be refused with 400. */
const badWebhook: fc.Arbitrary<RawRequest> = fc.oneof(
  // no signature at all
  fc.tuple(fc.oneof(eventBody, anyText, jsonText), contentType).map(([body, type]) => withBody({ method: 'POST', path: '/v1/webhooks/stripe' }, body, type)),
  // garbage signature header
  fc.tuple(eventBody, headerValue).map(([body, signature]) => withBody({ method: 'POST', path: '/v1/webhooks/stripe', headers: { 'Stripe-Signature': signature } }, body, 'application/json')),
  // signed with another secret
  fc.tuple(eventBody, fc.stringMatching(/^whsec_[A-Za-z0-9]{1,20}$/)).map(([body, secret]) =>
    withBody({ method: 'POST', path: '/v1/webhooks/stripe', headers: { 'Stripe-Signature': sign(body, secret === WEBHOOK_SECRET ? `${secret}x` : secret) } }, body, 'application/json'),
  ),
  // the right secret, but older than the 300 s tolerance (a replay)
  fc.tuple(eventBody, fc.integer({ min: 310, max: 10 * 365 * 86_400 })).map(([body, age]) =>
    withBody({ method: 'POST', path: '/v1/webhooks/stripe', headers: { 'Stripe-Signature': sign(body, WEBHOOK_SECRET, now() - age) } }, body, 'application/json'),
  ),
  // signed, then the body was changed
  fc.tuple(eventBody, fc.string({ minLength: 1, maxLength: 5 })).map(([body, extra]) =>
    withBody({ method: 'POST', path: '/v1/webhooks/stripe', headers: { 'Stripe-Signature': sign(body) } }, body.replace('"paid"', `"paid${extra}"`), 'application/json'),
  ),
  // the v1 signature replaced, or only a v0 scheme
  fc.tuple(eventBody, fc.stringMatching(/^[0-9a-f]{64}$/)).map(([body, hex]) =>
    withBody({ method: 'POST', path: '/v1/webhooks/stripe', headers: { 'Stripe-Signature': `t=${now()},v0=${hex},v1=${hex}` } }, body, 'application/json'),
  ),
);

/** Correctly signed bytes that are not a Stripe event: refused, nothing stored. */
const signedJunk: fc.Arbitrary<RawRequest> = fc
  .oneof(anyText, fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('id' in v)).map((v) => JSON.stringify(v) ?? 'null'))
  .map((body) => withBody({ method: 'POST', path: '/v1/webhooks/stripe', headers: { 'Stripe-Signature': sign(body) } }, body, 'application/json'));

const checkoutFields = fc.record(
  {
    amount: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(2500), fc.constant(null)),
    frequency: fc.oneof(fc.constantFrom('one_time', 'monthly', 'weekly', ''), fc.string()),
    email: fc.oneof(fc.emailAddress(), fc.string()),
    name: fc.string({ maxLength: 300 }),
    anonymous: fc.oneof(fc.boolean(), fc.string()),
    message: fc.oneof(fc.string({ maxLength: 50 }), fc.string({ minLength: 501, maxLength: 700 })),
    cover_fees: fc.oneof(fc.boolean(), fc.integer()),
    success_url: fc.oneof(fc.webUrl(), fc.constant('https://news.example/thanks'), fc.string(), fc.constant('javascript:alert(1)')),
    cancel_url: fc.oneof(fc.webUrl(), fc.string()),
    currency: fc.oneof(fc.constantFrom('usd', 'eur', 'jpy'), fc.string()),
  },
  { requiredKeys: [] },
);

/** A body the route accepts, with at most one field replaced by a fuzzed value: the edges of validity. */
const nearlyValidCheckout = fc
  .tuple(
    fc.record({
      amount: fc.integer({ min: 100, max: 1_000_000 }),
      frequency: fc.constantFrom('one_time', 'monthly'),
      email: fc.constant('donor@news.example'),
      name: fc.string({ maxLength: 40 }),
      anonymous: fc.boolean(),
      message: fc.string({ maxLength: 500 }),
      cover_fees: fc.boolean(),
      success_url: fc.constant('https://news.example/thanks'),
      cancel_url: fc.constant('https://news.example/'),
    }),
    fc.option(fc.tuple(fc.constantFrom('amount', 'frequency', 'email', 'name', 'message', 'success_url', 'cancel_url', 'cover_fees', 'extra'), fc.jsonValue({ maxDepth: 1 })), { nil: undefined }),
  )
  .map(([body, change]) => (change ? { ...body, [change[0]]: change[1] } : body));

const checkout: fc.Arbitrary<RawRequest> = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: fc.constant(SLUG) }, pathSegment),
    fc.oneof(
      nearlyValidCheckout.map((fields) => ({ body: JSON.stringify(fields), type: 'application/json' })),
      checkoutFields.map((fields) => ({ body: JSON.stringify(fields), type: 'application/json' })),
      checkoutFields.map((fields) => ({ body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(), type: 'application/x-www-form-urlencoded' })),
      fc.tuple(fc.oneof(anyText, jsonText), contentType).map(([body, type]) => ({ body, type })),
    ),
    extraHeaders,
  )
  .map(([slug, { body, type }, headers]) => withBody({ method: 'POST', path: `/v1/campaigns/${slug}/checkout`, headers }, body, type));

const progress: fc.Arbitrary<RawRequest> = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: fc.constant(SLUG) }, pathSegment),
    fc.oneof(queryString, fc.oneof(fc.stringMatching(/^\d{4}-\d{2}$/), fc.string({ maxLength: 12 }), fc.constantFrom('2024-11', '9999-12', '0000-00', '2024-13')).map((m) => `?month=${encodeURIComponent(m)}`)),
    extraHeaders,
    fc.constantFrom('GET', 'HEAD', 'OPTIONS'),
  )
  .map(([slug, query, headers, method]) => ({ method, path: `/v1/campaigns/${slug}/progress${query}`, headers }));

const campaign: fc.Arbitrary<RawRequest> = fc
  .tuple(pathSegment, queryString, extraHeaders)
  .map(([slug, query, headers]) => ({ method: 'GET', path: `/v1/campaigns/${slug}${query}`, headers }));

const checkoutStatus: fc.Arbitrary<RawRequest> = fc
  .tuple(fc.oneof(pathSegment, fc.string({ maxLength: 30 }).map((s) => `cs_test_${encodeURIComponent(s)}`)), extraHeaders)
  .map(([id, headers]) => ({ method: 'GET', path: `/v1/checkout/${id}`, headers }));

const adminWithoutKey: fc.Arbitrary<RawRequest> = fc
  .tuple(
    fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
    fc.constantFrom('/v1/admin/campaigns', `/v1/admin/campaigns/${SLUG}`, '/v1/admin/api-keys', '/v1/admin/donations', '/v1/admin/webhook-endpoints', '/v1/admin/stripe-events'),
    fc.option(fc.oneof(headerValue, headerValue.map((v) => `Bearer ${v}`), fc.constant(`Bearer ${ADMIN_KEY.slice(0, -1)}`)), { nil: undefined }),
    jsonText,
  )
  .map(([method, path, authorization, body]) =>
    withBody({ method, path, headers: authorization === undefined ? {} : { Authorization: authorization } }, method === 'GET' ? '' : body, 'application/json'),
  );

const anyRoute: fc.Arbitrary<RawRequest> = fc
  .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), fc.webPath(), queryString, fc.oneof(anyText, jsonText), contentType, extraHeaders)
  .map(([method, path, query, body, type, headers]) =>
    withBody({ method, path: `${path.startsWith('/') ? '' : '/'}${path}${query}`.replace(/^\/\//, '/'), headers }, ['GET', 'HEAD'].includes(method) ? '' : body, type),
  );

/** Bytes that are barely HTTP: broken request lines, headers, chunking and lengths. */
const rawBytes: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.constantFrom('GET', 'POST', 'G\x00T', ''),
    fc.constantFrom('/v1/webhooks/stripe', `/v1/campaigns/${SLUG}/checkout`, `/v1/campaigns/${SLUG}/progress`, '*', ''),
    fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', ''),
    fc.array(fc.string({ unit: 'binary-ascii', maxLength: 40 }), { maxLength: 5 }),
    fc.constantFrom('Content-Length: 5\r\n', 'Content-Length: -1\r\n', 'Transfer-Encoding: chunked\r\n', 'Content-Length: 3\r\nContent-Length: 4\r\n', ''),
    fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  )
  .map(([method, path, version, headerLines, framing, body]) =>
    Buffer.from(`${method} ${path} ${version}\r\nHost: fuzz\r\n${headerLines.map((line) => `${line}\r\n`).join('')}${framing}\r\n${body}`, 'latin1'),
  );

// ---------------------------------------------------------------------------------------------

async function assertNever5xx(arbitrary: fc.Arbitrary<RawRequest>, numRuns: number, check?: (req: RawRequest, status: number) => void | Promise<void>) {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (req) => {
      const response = await send(api.url, req);
      expect(response.status, `${req.method} ${req.path} → ${response.status} ${response.body.slice(0, 300)}`).toBeLessThan(500);
      await check?.(req, response.status);
    }),
    { numRuns },
  );
}

describe('fuzzed requests', () => {
  let before: Record<string, string>;

  beforeAll(async () => {
    before = await databaseFingerprint(drill.db);
  });

  test('the Stripe webhook refuses every forged, stale, tampered or unsigned event with 400 and stores nothing', async () => {
    await assertNever5xx(badWebhook, runs(SHARE.webhook * 0.8), (req, status) => {
      expect(status, `${req.headers?.['Stripe-Signature']} ${String(req.body).slice(0, 200)}`).toBe(400);
    });
    await assertNever5xx(signedJunk, runs(SHARE.webhook * 0.2), (req, status) => {
      expect(status, String(req.body).slice(0, 200)).toBeGreaterThanOrEqual(400);
    });
    const { rows } = await drill.db.query('SELECT count(*)::int AS n FROM stripe_events');
    expect(rows[0].n).toBe(0);
  });

  test('checkout answers every malformed body with a 4xx that changes nothing and calls Stripe only for accepted ones', async () => {
    let accepted = 0;
    drill.stripe.controls.resetRequests();
    let rows = await databaseFingerprint(drill.db, CHECKOUT_TABLES);
    await assertNever5xx(checkout, runs(SHARE.checkout), async (req, status) => {
      const now = await databaseFingerprint(drill.db, CHECKOUT_TABLES);
      if (status < 400) accepted += 1;
      else expect(now, `${status} for ${req.path} ${String(req.body).slice(0, 200)}`).toEqual(rows);
      rows = now;
    });
    const { rows: created } = await drill.db.query('SELECT count(*)::int AS n FROM checkouts');
    expect(accepted).toBeGreaterThan(0);
    expect(created[0].n).toBeLessThanOrEqual(accepted);
    // A retry with the same Idempotency-Key is answered without a second Stripe call.
    expect(drill.stripe.controls.requestCount('POST /v1/checkout/sessions')).toBe(created[0].n);
  });

  test('progress and campaign reads never fail on odd slugs, months, queries or headers', async () => {
    await assertNever5xx(progress, runs(SHARE.progress));
    await assertNever5xx(campaign, runs(SHARE.campaign));
    await assertNever5xx(checkoutStatus, runs(SHARE.checkoutStatus));
  });

  test('admin routes refuse every request without a valid key', async () => {
    // A body that is not JSON may be refused (400) before the key is even looked at.
    await assertNever5xx(adminWithoutKey, runs(SHARE.admin), (req, status) => {
      expect(status, `${req.method} ${req.path} ${req.headers?.Authorization}`).toBeGreaterThanOrEqual(400);
    });
  });

  test('any method on any path, and barely-HTTP bytes, never get a 5xx', async () => {
    await assertNever5xx(anyRoute, runs(SHARE.anyRoute));
    await fc.assert(
      fc.asyncProperty(rawBytes, async (bytes) => {
        const status = await sendRaw(api.url, bytes);
        expect(status, JSON.stringify(bytes.toString('latin1'))).toBeLessThan(500);
      }),
      { numRuns: runs(SHARE.raw) },
    );
  });

  test('rejected input left every table exactly as it was', async () => {
    const after = await databaseFingerprint(drill.db);
    // Checkouts the fuzzer happened to get right are real sessions; that test accounts for them.
    for (const table of CHECKOUT_TABLES) {
      delete after[table];
      delete before[table];
    }
    expect(after).toEqual(before);
  });
});
