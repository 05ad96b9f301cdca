import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonMentioning } from '../../src/db/donor-data.js';
import { claimStripeEvents } from '../../src/db/stripe-events.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { signature, stripeEvent, uid } from './support.js';

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
});
