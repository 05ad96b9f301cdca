import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/pool.js';
import { emitConsumerEvent } from '../../src/services/consumer-events.js';
import { QUEUES } from '../../src/queue/jobs.js';
import { relayOutbox } from '../../src/queue/outbox-relay.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { OneTimePayment, deliverAndSettle, donationOf, ledgerCampaign } from '../ledger/support.js';
import { registerEndpoint, sleep, startReceiver, waitFor, type Receiver } from './receiver.js';

/**
 * A consumer event gets its deliveries in the statement that stores it (no fan-out job): the
 * ledger's batch through the real pipeline, and emitConsumerEvent for the created_at rule.
 * Own database, so "no endpoint subscribed" means none at all.
 */
let service: TestService;
const receivers: Receiver[] = [];

beforeAll(async () => {
  service = await startTestService({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_SCHEDULE_MS: '0,200,400' });
  service.startWorkers();
});
afterAll(async () => {
  await service.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver() {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

/** A one-time donation paid through the webhook and the ledger's batch; its donation.succeeded event id. */
async function paidDonation(): Promise<string> {
  const payment = await new OneTimePayment(await ledgerCampaign(service), 2_500).record(service);
  await deliverAndSettle(service, payment.completed());
  const donation = await donationOf(service, { sessionId: payment.sessionId });
  const { rows } = await service.ctx.db.query<{ id: string }>(
    `SELECT id FROM webhook_events WHERE type = 'donation.succeeded' AND payload->'data'->'donation'->>'id' = $1`,
    [donation.id],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

async function webhookJobsAndRows() {
  const { rows } = await service.ctx.db.query<{ job_name: string; n: number }>(
    `SELECT job_name, count(*)::int AS n FROM outbox WHERE job_name LIKE 'webhook.%' GROUP BY job_name`,
  );
  const counts = await service.ctx.queues.queue(QUEUES.webhooks).getJobCounts();
  return { outbox: Object.fromEntries(rows.map((row) => [row.job_name, row.n])), queued: Object.values(counts).reduce((a, b) => a + b, 0) };
}

describe('fan-out with the event', () => {
  it('queues nothing for a consumer event no endpoint subscribes to', async () => {
    const eventId = await paidDonation();
    await sleep(200);
    expect(await webhookJobsAndRows()).toEqual({ outbox: {}, queued: 0 });
    const { rows } = await service.ctx.db.query(`SELECT id FROM webhook_deliveries WHERE event_id = $1`, [eventId]);
    expect(rows).toHaveLength(0);
  });

  it("delivers a ledger batch's event to a subscribed endpoint through its first attempt's outbox row, with no fan-out job", async () => {
    const consumer = await receiver();
    const registered = await registerEndpoint(service, consumer, ['donation.succeeded']);
    const eventId = await paidDonation();

    const [request] = await consumer.received(eventId);
    expect(request!.verified).toBe(true);
    expect(request!.payload.type).toBe('donation.succeeded');
    const { rows } = await service.ctx.db.query<{ job_name: string; payload: unknown; dedupe_key: string; delivery_id: string }>(
      `SELECT o.job_name, o.payload, o.dedupe_key, d.id AS delivery_id
       FROM webhook_deliveries d JOIN outbox o ON o.payload->>'deliveryId' = d.id
       WHERE d.event_id = $1 AND d.endpoint_id = $2`,
      [eventId, registered.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ job_name: 'webhook.deliver', payload: { deliveryId: rows[0]!.delivery_id, attempt: 1 } });
    await waitFor(async () => {
      const delivery = await service.ctx.db.query(`SELECT status, attempts FROM webhook_deliveries WHERE id = $1`, [rows[0]!.delivery_id]);
      return delivery.rows[0]?.status === 'succeeded' && delivery.rows[0].attempts === 1;
    }, 'the delivery recorded as succeeded at its first attempt');
    // Every webhook job this database ever wrote is an attempt: none fans anything out.
    expect(Object.keys((await webhookJobsAndRows()).outbox)).toEqual(['webhook.deliver']);
    await sleep(300);
    expect(consumer.requestsFor(eventId)).toHaveLength(1);
  });

  it('does not deliver an event to an endpoint registered after it happened', async () => {
    const earlier = await receiver();
    const later = await receiver();
    const before = await registerEndpoint(service, earlier, ['goal.reached']);
    let after: { id: string } | undefined;
    // The event happens (its transaction's time), then the endpoint is registered and committed
    // before the event's row is written: it is visible to that statement, but younger than the event.
    const eventId = await withTransaction(service.ctx.db, async (client) => {
      await client.query('SELECT now()');
      await sleep(20);
      after = await registerEndpoint(service, later, ['goal.reached']);
      return (await emitConsumerEvent(client, { type: 'goal.reached', data: { campaign: 'later' }, dedupeKey: `later:${Date.now()}` }))!;
    });
    await relayOutbox(service.ctx.db, service.ctx.queues);

    await earlier.received(eventId);
    await service.ctx.queues.enqueue('maintenance.sweep', {});
    await sleep(500);
    expect(later.requestsFor(eventId)).toHaveLength(0);
    const { rows } = await service.ctx.db.query<{ endpoint_id: string }>(`SELECT endpoint_id FROM webhook_deliveries WHERE event_id = $1`, [eventId]);
    expect(rows.map((row) => row.endpoint_id)).toEqual([before.id]);
    expect(after).toBeDefined();
  });

  it('skips an endpoint deleted while the event is stored, rather than failing the statement', async () => {
    const deleted = await registerEndpoint(service, await receiver(), ['goal.reached']);
    const deleting = await service.ctx.db.connect();
    try {
      await deleting.query('BEGIN');
      await deleting.query('DELETE FROM webhook_endpoints WHERE id = $1', [deleted.id]);
      // The event's statement waits on the deleted row's lock, then finds it gone.
      const emitted = withTransaction(service.ctx.db, (client) =>
        emitConsumerEvent(client, { type: 'goal.reached', data: { campaign: 'deleted' }, dedupeKey: `deleted:${Date.now()}` }),
      );
      await sleep(200);
      await deleting.query('COMMIT');
      const eventId = await emitted;
      expect(eventId).toMatch(/^msg_/);
      const { rows } = await service.ctx.db.query(`SELECT 1 FROM webhook_deliveries WHERE event_id = $1 AND endpoint_id = $2`, [eventId, deleted.id]);
      expect(rows).toHaveLength(0);
    } finally {
      deleting.release();
    }
  });
});
