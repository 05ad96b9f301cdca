import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonMentioning } from '../../src/db/donor-data.js';
import { claimStripeEvents, insertStripeEvents } from '../../src/db/stripe-events.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { signature, stripeEvent, uid, type StripeEventBody } from './support.js';

// No workers: what is stored stays 'received', for the claim to read it back.
let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

const post = (body: string) =>
  service.api.post('/v1/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signature(body)).send(body);

const storedText = async (id: string) =>
  (await service.ctx.db.query<{ payload: string }>('SELECT payload::text AS payload FROM stripe_events WHERE id = $1', [id])).rows[0]?.payload;

describe('the stored payload of a Stripe event', () => {
  it('is the signed text byte for byte, and the claim hands the event back whole', async () => {
    const event = stripeEvent('customer.created', {
      id: uid('cus'),
      object: 'customer',
      name: 'Zoë Ōkubo 🎉',
      metadata: { note: 'line\nbreak, "quoted", back\\slash', empty: '' },
      nested: [[1, [2.5, -3e-7]], { deep: [{ deeper: [null, true, false] }] }, []],
      preferred_locales: ['fr-CA', 'ja'],
    });
    // Stripe's own formatting (indented), and an escaped non-ASCII character beside raw ones.
    const body = JSON.stringify(event, null, 2).replace('"ja"', '"j\\u0061"');
    expect((await post(body)).status).toBe(200);
    expect(await storedText(event.id)).toBe(body);
    // Claimed and let go again (rolled back): only what the worker would read is looked at.
    const client = await service.ctx.db.connect();
    let claimed;
    try {
      await client.query('BEGIN');
      claimed = (await claimStripeEvents(client, 1_000)).find((row) => row.id === event.id);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect(claimed).toMatchObject({ id: event.id, type: 'customer.created', status: 'received' });
    expect(claimed!.payload).toEqual(JSON.parse(body));
  });

  it('is refused, and nothing stored, when the signed JSON is an event whose data.object is not an object', async () => {
    const ids: string[] = [];
    for (const object of [[{ id: 'cus_1' }], 'cus_1', null, 42]) {
      const event = stripeEvent('customer.created', object);
      ids.push(event.id);
      const response = await post(JSON.stringify(event));
      expect(response.status, JSON.stringify(object)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('invalid_signature');
    }
    const { rows } = await service.ctx.db.query('SELECT count(*)::int AS n FROM stripe_events WHERE id = ANY($1)', [ids]);
    expect(rows[0].n).toBe(0);
  });

  it('is refused as validation_failed when it holds text PostgreSQL cannot keep (NUL, a lone surrogate), in a key or a value', async () => {
    const bodies = [
      JSON.stringify(stripeEvent('customer.created', { id: uid('cus'), object: 'customer', name: 'a\u0000b' })),
      JSON.stringify(stripeEvent('customer.created', { id: uid('cus'), object: 'customer', metadata: { 'k\u0000': 'v' } })),
      JSON.stringify(stripeEvent('customer.created', { id: uid('cus'), object: 'customer', name: 'half \ud83d pair' })),
      JSON.stringify(stripeEvent('customer.created', { id: uid('cus'), object: 'customer', tags: ['\udc00'] })),
    ];
    for (const body of bodies) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('validation_failed');
      expect(await storedText(JSON.parse(body).id)).toBeUndefined();
    }
  });

  it('keeps text that only looks like such an escape (an escaped backslash, a whole surrogate pair)', async () => {
    const event = stripeEvent('customer.created', { id: uid('cus'), object: 'customer', name: 'literally \\u0000', emoji: '😀' });
    const body = JSON.stringify(event).replace('😀', '\\ud83d\\ude00');
    expect(body).toContain('\\\\u0000');
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await storedText(event.id)).toBe(body);
  });

  it("is found by a donor's erasure whether Stripe wrote a name's accents raw or escaped", async () => {
    const raw = stripeEvent('customer.created', { id: uid('cus'), object: 'customer', name: 'Zoë Ōkubo-Erased' });
    const escaped = stripeEvent('customer.created', { id: uid('cus'), object: 'customer', name: 'Zoë Ōkubo-Erased' });
    const escapedBody = JSON.stringify(escaped).replace('Zoë Ōkubo', 'Zo\\u00EB \\u014ckubo');
    for (const body of [JSON.stringify(raw), escapedBody]) expect((await post(body)).status).toBe(200);
    expect(await storedText(escaped.id)).toContain('Zo\\u00EB');
    const found = await jsonMentioning(service.ctx.db, 'stripe_events', ['zoë Ōkubo-erased']);
    expect(found.map((row) => row.id).sort()).toEqual([raw.id, escaped.id].sort());
  });

  // Text a store must keep exactly: non-ASCII, quotes, backslashes, control escapes, an escape's look-alike.
  const awkward = ['Zoë Ōkubo 🎉', 'say "hi"', 'back\\slash \\" and \\\\', 'tab\tnew\nline', '{"not": "nested"}', 'literally \\u00e9'];
  const varied = (index: number): { event: StripeEventBody; body: string } => {
    const event = stripeEvent('customer.created', {
      id: uid('cus'),
      object: 'customer',
      name: awkward[index % awkward.length],
      // Sizes from a few hundred bytes to 10 kB; every third one incompressible (stored out of line).
      metadata: { filler: index % 3 ? 'x'.repeat((index * 797) % 9_000) : randomBytes((index * 397) % 4_500).toString('hex'), quote: '"\\"' },
    });
    // Every other body indented, as Stripe sends them, and an escaped character left as sent.
    const body = (index % 2 ? JSON.stringify(event, null, 2) : JSON.stringify(event)).replace('"customer"', '"cust\\u006fmer"');
    return { event, body };
  };

  it('is stored once and byte for byte from a batch of any size, whichever padded statement carries it', async () => {
    const stored = await service.ctx.db.query<{ id: string }>('SELECT id FROM stripe_events');
    let index = 0;
    for (const size of [1, 2, 3, 5, 8, 9, 16, 17, 100, 200]) {
      const batch = Array.from({ length: size }, () => varied(index++));
      // A repeat inside the batch and an event already stored: each kept once, as first stored.
      const repeated = [...batch, ...(size > 2 ? [batch[1]!] : [])];
      const events = repeated.map(({ event, body }) => ({
        event: { id: event.id, type: event.type, api_version: event.api_version, livemode: event.livemode, created: event.created },
        payloadJson: body,
      }));
      await insertStripeEvents(service.ctx.db, events, 'webhook');
      await insertStripeEvents(service.ctx.db, events.slice(0, 1), 'webhook');
      const { rows } = await service.ctx.db.query<{ id: string; payload: string; type: string; created: number; source: string }>(
        `SELECT id, payload::text AS payload, type, extract(epoch FROM created)::int AS created, source FROM stripe_events WHERE id = ANY($1)`,
        [batch.map(({ event }) => event.id)],
      );
      expect(rows.length, `batch of ${size}`).toBe(size);
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const { event, body } of batch) {
        expect(byId.get(event.id)).toEqual({ id: event.id, payload: body, type: 'customer.created', created: event.created, source: 'webhook' });
      }
    }
    const { rows } = await service.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stripe_events');
    expect(rows[0]!.n).toBe(stored.rows.length + index);
  });

  it('is stored once and byte for byte when many deliveries of different sizes arrive together', async () => {
    const deliveries = Array.from({ length: 48 }, (_, index) => varied(index));
    const responses = await Promise.all([...deliveries, ...deliveries.slice(0, 8)].map(({ body }) => post(body)));
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    const { rows } = await service.ctx.db.query<{ id: string; payload: string }>('SELECT id, payload::text AS payload FROM stripe_events WHERE id = ANY($1)', [
      deliveries.map(({ event }) => event.id),
    ]);
    expect(new Map(rows.map((row) => [row.id, row.payload]))).toEqual(new Map(deliveries.map(({ event, body }) => [event.id, body])));
  });

  it('is compressed with lz4 where the server has it (cheaper to store than pglz)', async () => {
    const { rows: support } = await service.ctx.db.query<{ lz4: boolean }>(
      `SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    const event = stripeEvent('customer.created', { id: uid('cus'), object: 'customer', description: 'compressible '.repeat(400) });
    expect((await post(JSON.stringify(event))).status).toBe(200);
    const { rows } = await service.ctx.db.query<{ method: string | null }>('SELECT pg_column_compression(payload) AS method FROM stripe_events WHERE id = $1', [event.id]);
    expect(rows[0]!.method).toBe(support[0]!.lz4 ? 'lz4' : 'pglz');
  });
});
