/**
 * Drill: a webhook consumer's endpoint answers 503 while donations come in, then recovers.
 * Every consumer event is delivered again and accepted exactly once, correctly signed.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ADMIN_KEY, startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { eventually, expectLedgerToSettle, prepareDonations } from './support/donations.js';
import { deliverLikeStripe } from './support/stripe-sender.js';

interface Received {
  id: string;
  answered: number;
  verified: boolean;
}

/** The consumer: a real HTTP endpoint that is down (503) or up (200), keeping every request. */
function startConsumer() {
  const received: Received[] = [];
  let up = false;
  let secret = '';
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: boolean;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const answered = up ? 200 : 503;
      received.push({ id: String(req.headers['webhook-id']), answered, verified });
      res.writeHead(answered, { 'Content-Type': 'text/plain' }).end(up ? 'ok' : 'down for maintenance');
    });
  });
  return {
    received,
    setUp: (value: boolean) => void (up = value),
    setSecret: (value: string) => void (secret = value),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/goalpost-hook`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const consumer = startConsumer();
let drill: Drill;
let api: ServiceProcess;

beforeAll(async () => {
  drill = await startDrill({ WEBHOOK_RETRY_SCHEDULE_MS: '0,1000,2000,3000,5000,8000,13000,20000', WEBHOOK_TIMEOUT_MS: '5000' });
  api = await drill.startApi();
  await drill.startWorker();
});

afterAll(async () => {
  await drill?.close();
  await consumer.close();
});

async function deliveryStates() {
  const { rows } = await drill.db.query<{ events: number; deliveries: number; succeeded: number; tried: number }>(
    `SELECT (SELECT count(*)::int FROM webhook_events) AS events,
            count(d.*)::int AS deliveries,
            count(*) FILTER (WHERE d.status = 'succeeded')::int AS succeeded,
            count(*) FILTER (WHERE d.attempts >= 1)::int AS tried
     FROM webhook_deliveries d`,
  );
  return rows[0]!;
}

test('a consumer endpoint that is down, then up, gets every event delivered again and accepted once', async () => {
  const url = await consumer.listen();
  const response = await fetch(`${api.url}/v1/admin/webhook-endpoints`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, events: ['*'], description: 'fault drill consumer' }),
  });
  expect(response.status).toBe(201);
  const endpoint = (await response.json()) as { id: string; secret: string };
  consumer.setSecret(endpoint.secret);

  const donations = await prepareDonations(drill, api, 'consumer-down-drill', 80, 606);
  await deliverLikeStripe(`${api.url}/v1/webhooks/stripe`, donations.deliveries);
  await expectLedgerToSettle(drill, donations, 60_000);

  // Every delivery has failed at least once against the endpoint that is down.
  await eventually('every delivery tried while the consumer is down', 30_000, deliveryStates, (s) => s.events > 0 && s.deliveries === s.events && s.tried === s.events);
  await sleep(2_000);
  expect(consumer.received.length).toBeGreaterThanOrEqual((await deliveryStates()).events);
  expect(consumer.received.every((request) => request.answered === 503)).toBe(true);

  consumer.setUp(true);
  const final = await eventually('every delivery succeeded', 90_000, deliveryStates, (s) => s.succeeded === s.events);
  await sleep(2_000);

  const { rows: events } = await drill.db.query<{ id: string }>('SELECT id FROM webhook_events');
  const accepted = consumer.received.filter((request) => request.answered === 200);
  expect(accepted).toHaveLength(final.events);
  expect(new Set(accepted.map((request) => request.id))).toEqual(new Set(events.map((event) => event.id)));
  expect(consumer.received.every((request) => request.verified)).toBe(true);

  const { rows: endpoints } = await drill.db.query<{ enabled: boolean }>('SELECT enabled FROM webhook_endpoints WHERE id = $1', [endpoint.id]);
  expect(endpoints[0]!.enabled).toBe(true);
});
