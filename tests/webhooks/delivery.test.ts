import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/pool.js';
import { emitConsumerEvent } from '../../src/services/consumer-events.js';
import { relayOutbox } from '../../src/queue/outbox-relay.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { emitEvent, registerEndpoint, sleep, startReceiver, verifies, waitFor, type Receiver } from './receiver.js';

/** Every endpoint of this file receives the events it subscribed to: assertions look at their own event ids. */
let service: TestService;
const receivers: Receiver[] = [];

beforeAll(async () => {
  service = await startTestService({
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_SCHEDULE_MS: '0,200,400',
    WEBHOOK_TIMEOUT_MS: '1000',
  });
  service.startWorkers();
});
afterAll(async () => {
  await service.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function endpoint(id: string) {
  const response = await service.api.get(`/v1/admin/webhook-endpoints/${id}`).set(service.admin);
  return response.body as { enabled: boolean; disabled_reason: string | null; disabled_at: string | null };
}

async function deliveryOf(endpointId: string, eventId: string) {
  const response = await service.api.get(`/v1/admin/webhook-endpoints/${endpointId}/deliveries?limit=100`).set(service.admin);
  expect(response.status).toBe(200);
  return (response.body.data as DeliveryBody[]).find((delivery) => delivery.event_id === eventId);
}

interface DeliveryBody {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  last_status_code: number | null;
  attempts: { attempt: number; trigger: string; status_code: number | null; latency_ms: number; response_body: string | null; error: string | null }[];
}

describe('delivering consumer events', () => {
  it('delivers a signed event that standardwebhooks verifies with the endpoint secret', async () => {
    const consumer = await receiver();
    const registered = await registerEndpoint(service, consumer, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'support', month: '2026-11', amount: 500000 });

    const [request] = await consumer.received(eventId);
    expect(request!.verified).toBe(true);
    expect(verifies(registered.secret, request!)).toBe(true);
    expect(request!.headers['webhook-id']).toBe(eventId);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(request!.body.startsWith('{"type":"goal.reached","timestamp":')).toBe(true);
    expect(request!.payload).toEqual({
      type: 'goal.reached',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      data: { campaign: 'support', month: '2026-11', amount: 500000 },
    });
    expect(verifies('whsec_' + Buffer.alloc(32, 7).toString('base64'), request!)).toBe(false);

    const delivery = await waitFor(async () => {
      const found = await deliveryOf(registered.id, eventId);
      return found?.status === 'succeeded' && found;
    }, 'the delivery to be recorded');
    expect(delivery).toMatchObject({ event_type: 'goal.reached', attempt_count: 1, last_status_code: 200 });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ attempt: 1, trigger: 'schedule', status_code: 200, response_body: 'ok', error: null }),
    ]);
    expect(delivery.attempts[0]!.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('sends each endpoint only the event types it subscribed to', async () => {
    const donations = await receiver();
    const everything = await receiver();
    const tiers = await receiver();
    const disabled = await receiver();
    await registerEndpoint(service, donations, ['donation.succeeded', 'donation.refunded']);
    await registerEndpoint(service, everything, ['*']);
    await registerEndpoint(service, tiers, ['tier.reached']);
    const off = await registerEndpoint(service, disabled, ['*']);
    await service.api.patch(`/v1/admin/webhook-endpoints/${off.id}`).set(service.admin).send({ enabled: false }).expect(200);

    const donation = await emitEvent(service, 'donation.succeeded', { donation: { id: 'don_filter' } });
    const goal = await emitEvent(service, 'goal.reached', { campaign: 'support' });

    await waitFor(() => everything.requestsFor(donation).length && everything.requestsFor(goal).length, 'both events at "*"');
    await waitFor(() => donations.requestsFor(donation).length, 'the donation at the donations endpoint');
    await sleep(300);
    expect(donations.requestsFor(goal)).toHaveLength(0);
    expect(tiers.requestsFor(donation)).toHaveLength(0);
    expect(tiers.requestsFor(goal)).toHaveLength(0);
    expect(disabled.requestsFor(donation)).toHaveLength(0);
    expect(disabled.requestsFor(goal)).toHaveLength(0);
    expect([...everything.requestsFor(donation), ...everything.requestsFor(goal)].every((r) => r.verified)).toBe(true);
  });

  it('retries a receiver that fails twice (500, then a redirect it never follows) and delivers exactly once more', async () => {
    const elsewhere = await receiver();
    const flaky = await receiver((_request, nth) =>
      nth === 1 ? { status: 500, body: 'x'.repeat(5000) } : nth === 2 ? { status: 302, headers: { location: elsewhere.url } } : { status: 204 },
    );
    const registered = await registerEndpoint(service, flaky, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'flaky' });

    const delivery = await waitFor(async () => {
      const found = await deliveryOf(registered.id, eventId);
      return found?.status === 'succeeded' && found;
    }, 'the third attempt to succeed');
    await sleep(700);
    const requests = flaky.requestsFor(eventId);
    expect(requests).toHaveLength(3);
    expect(requests.every((request) => request.verified && request.headers['webhook-id'] === eventId)).toBe(true);
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
    expect(elsewhere.requests).toHaveLength(0);
    expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([500, 302, 204]);
    expect(delivery.attempts[0]!.response_body).toHaveLength(1024);
    expect(await endpoint(registered.id)).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('counts an answer slower than WEBHOOK_TIMEOUT_MS as a failed attempt and retries it', async () => {
    const slow = await receiver((_request, nth) => (nth === 1 ? { status: 200, delayMs: 1_500 } : { status: 200 }));
    const registered = await registerEndpoint(service, slow, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'slow' });

    const delivery = await waitFor(async () => {
      const found = await deliveryOf(registered.id, eventId);
      return found?.status === 'succeeded' && found;
    }, 'the retry after the timeout');
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ status_code: null, error: 'timed out after 1000 ms' }),
      expect.objectContaining({ status_code: 200, error: null }),
    ]);
  });

  it('disables an endpoint at once when it answers 410 Gone', async () => {
    const gone = await receiver(() => ({ status: 410 }));
    const registered = await registerEndpoint(service, gone, ['tier.reached']);
    const first = await emitEvent(service, 'tier.reached', { campaign: 'gone', amount: 100000 });

    const state = await waitFor(async () => {
      const current = await endpoint(registered.id);
      return !current.enabled && current;
    }, 'the endpoint to be disabled');
    expect(state).toMatchObject({ enabled: false, disabled_reason: 'gone', disabled_at: expect.any(String) });
    expect(gone.requestsFor(first).length).toBeLessThanOrEqual(1);

    const later = await emitEvent(service, 'tier.reached', { campaign: 'gone', amount: 250000 });
    await sleep(500);
    expect(gone.requestsFor(later)).toHaveLength(0);
  });

  it('honours Retry-After on 503 instead of the shorter scheduled delay', async () => {
    const busy = await receiver((_request, nth) => (nth === 1 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const registered = await registerEndpoint(service, busy, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'busy' });

    await waitFor(async () => (await deliveryOf(registered.id, eventId))?.status === 'succeeded', 'the delivery after Retry-After');
    const [first, second] = busy.requestsFor(eventId);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('disables an endpoint whose delivery failed for the whole retry schedule, and says why', async () => {
    const down = await receiver(() => ({ status: 500, body: 'database is down' }));
    const registered = await registerEndpoint(service, down, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'down' });

    const state = await waitFor(async () => {
      const current = await endpoint(registered.id);
      return !current.enabled && current;
    }, 'the endpoint to be disabled');
    expect(state).toMatchObject({ enabled: false, disabled_reason: 'failing' });
    const delivery = await deliveryOf(registered.id, eventId);
    expect(delivery).toMatchObject({ status: 'failed', attempt_count: 3, last_status_code: 500 });
    expect(delivery!.attempts.map((attempt) => attempt.response_body)).toEqual(['database is down', 'database is down', 'database is down']);
    expect(down.requestsFor(eventId)).toHaveLength(3);

    // Re-enabling clears the reason; the failed delivery can then be sent again by hand.
    const enabled = await service.api.patch(`/v1/admin/webhook-endpoints/${registered.id}`).set(service.admin).send({ enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
  });

  it('signs with the old and the new secret during the 24 h after a rotation', async () => {
    const consumer = await receiver();
    const registered = await registerEndpoint(service, consumer, ['goal.reached']);
    const rotated = await service.api.post(`/v1/admin/webhook-endpoints/${registered.id}/rotate-secret`).set(service.admin);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(registered.secret);
    const overlapEnds = Date.parse(rotated.body.previous_secret_expires_at) - Date.now();
    expect(overlapEnds).toBeGreaterThan(23.9 * 3600_000);
    expect(overlapEnds).toBeLessThanOrEqual(24 * 3600_000);

    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'rotation' });
    const [request] = await consumer.received(eventId);
    expect(String(request!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(registered.secret, request!)).toBe(true);
    expect(verifies(rotated.body.secret, request!)).toBe(true);

    // Once the overlap is over only the new secret signs.
    await service.ctx.db.query(
      `UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
      [registered.id],
    );
    const afterOverlap = await emitEvent(service, 'goal.reached', { campaign: 'rotation' });
    const [late] = await consumer.received(afterOverlap);
    expect(String(late!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(registered.secret, late!)).toBe(false);
    expect(verifies(rotated.body.secret, late!)).toBe(true);
  });

  it('sends a delivery again when an admin retries it, with the same webhook-id', async () => {
    const consumer = await receiver();
    const registered = await registerEndpoint(service, consumer, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'replay' });
    const delivery = await waitFor(async () => {
      const found = await deliveryOf(registered.id, eventId);
      return found?.status === 'succeeded' && found;
    }, 'the first delivery');

    const retried = await service.api.post(`/v1/admin/webhook-deliveries/${delivery.id}/retry`).set(service.admin);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: delivery.id, status: 'pending' });
    await waitFor(() => consumer.requestsFor(eventId).length === 2, 'the replayed delivery');
    expect(consumer.requestsFor(eventId).every((request) => request.verified)).toBe(true);
    const after = await waitFor(async () => {
      const found = await deliveryOf(registered.id, eventId);
      return found?.status === 'succeeded' && found.attempt_count === 2 && found;
    }, 'the manual attempt to be recorded');
    expect(after.attempts.map((attempt) => attempt.trigger)).toEqual(['schedule', 'manual']);
  });

  it('refuses to retry a delivery that is still pending (409) or does not exist (404)', async () => {
    const hanging = await receiver(() => ({ status: 200, delayMs: 800 }));
    const registered = await registerEndpoint(service, hanging, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'pending' });
    const delivery = await waitFor(() => deliveryOf(registered.id, eventId), 'the delivery row');

    const conflict = await service.api.post(`/v1/admin/webhook-deliveries/${delivery.id}/retry`).set(service.admin);
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('conflict');
    const missing = await service.api.post('/v1/admin/webhook-deliveries/whd_missing/retry').set(service.admin);
    expect(missing.status).toBe(404);
  });

  it('cancels waiting retries when an admin disables the endpoint, and sends nothing more', async () => {
    // Retry-After holds the second attempt back long enough to disable the endpoint first.
    const failing = await receiver(() => ({ status: 503, headers: { 'retry-after': '5' } }));
    const registered = await registerEndpoint(service, failing, ['goal.reached']);
    const eventId = await emitEvent(service, 'goal.reached', { campaign: 'cancel' });
    await waitFor(() => failing.requestsFor(eventId).length === 1, 'the first attempt');
    await service.api.patch(`/v1/admin/webhook-endpoints/${registered.id}`).set(service.admin).send({ enabled: false }).expect(200);

    const delivery = await waitFor(async () => {
      const found = await deliveryOf(registered.id, eventId);
      return found?.status === 'canceled' && found;
    }, 'the delivery to be canceled');
    await sleep(300);
    expect(delivery.attempt_count).toBe(1);
    expect(failing.requestsFor(eventId)).toHaveLength(1);
    expect(await endpoint(registered.id)).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const refused = await service.api.post(`/v1/admin/webhook-deliveries/${delivery.id}/retry`).set(service.admin);
    expect(refused.status).toBe(409);
  });
});

describe('recovering lost work', () => {
  it('queues an overdue attempt whose job was lost (Redis flushed, a crash after commit) on the next sweep', async () => {
    const consumer = await receiver();
    const registered = await registerEndpoint(service, consumer, ['goal.reached']);
    // An event whose delivery was stored with it but whose first attempt's job never reached Redis.
    const eventId = await withTransaction(service.ctx.db, async (client) => {
      const id = await emitConsumerEvent(client, { type: 'goal.reached', data: { campaign: 'lost' }, dedupeKey: `lost:${Date.now()}` });
      const { rows } = await client.query(
        `UPDATE webhook_deliveries SET next_attempt_at = now() - interval '5 minutes' WHERE event_id = $1 AND endpoint_id = $2 RETURNING id`,
        [id, registered.id],
      );
      expect(rows).toHaveLength(1);
      await client.query(`UPDATE outbox SET dispatched_at = now() WHERE payload->>'deliveryId' = $1`, [rows[0].id]);
      return id!;
    });
    await sleep(300);
    expect(consumer.requestsFor(eventId)).toHaveLength(0);

    await service.ctx.queues.enqueue('maintenance.sweep', {});
    const [request] = await consumer.received(eventId);
    expect(request!.verified).toBe(true);
    await waitFor(async () => (await deliveryOf(registered.id, eventId))?.status === 'succeeded', 'the delivery to be recorded');
  });
});

describe('consumer events', () => {
  it('emits tier.reached once when two transactions cross the same tier concurrently', async () => {
    const consumer = await receiver();
    await registerEndpoint(service, consumer, ['tier.reached']);
    const dedupeKey = `tier.reached:concurrent:${Date.now()}:2026-11:250000`;
    const first = await service.ctx.db.connect();
    const second = await service.ctx.db.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      const data = { campaign: 'concurrent', month: '2026-11', tier: { amount: 250000 } };
      const firstId = await emitConsumerEvent(first, { type: 'tier.reached', data, dedupeKey });
      // The second insert waits on the first transaction's unique key, then finds it taken.
      const secondEmit = emitConsumerEvent(second, { type: 'tier.reached', data, dedupeKey });
      await sleep(100);
      await first.query('COMMIT');
      const secondId = await secondEmit;
      await second.query('COMMIT');
      expect(firstId).toMatch(/^msg_/);
      expect(secondId).toBeNull();
      await relayOutbox(service.ctx.db, service.ctx.queues);

      await waitFor(() => consumer.requestsFor(firstId!).length, 'the tier.reached delivery');
      await sleep(300);
      const { rows } = await service.ctx.db.query(`SELECT count(*)::int AS n FROM webhook_events WHERE dedupe_key = $1`, [dedupeKey]);
      expect(rows[0].n).toBe(1);
      expect(consumer.requests.filter((request) => request.payload.data.campaign === 'concurrent')).toHaveLength(1);
    } finally {
      first.release();
      second.release();
    }
  });

  it('refuses a payload of 20 kB or more and rolls back with it', async () => {
    await expect(
      withTransaction(service.ctx.db, (client) =>
        emitConsumerEvent(client, { type: 'goal.reached', data: { note: 'x'.repeat(21_000) }, dedupeKey: `big:${Date.now()}` }),
      ),
    ).rejects.toThrow(/consumer payloads stay under/);
  });
});
