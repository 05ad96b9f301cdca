/**
 * Drill: PostgreSQL restarts while Stripe is delivering and the workers are applying events.
 * Ingest answers 5xx while it is down (nothing acknowledged that is not stored), Stripe's
 * retries bring those events back, and the ledger ends exactly right.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { eventually, expectLedgerToSettle, prepareDonations } from './support/donations.js';
import { deliverLikeStripe } from './support/stripe-sender.js';

const DOWN_MS = 5_000;

let drill: Drill;
let api: ServiceProcess;
let worker: ServiceProcess;

beforeAll(async () => {
  drill = await startDrill({ RECEIPT_BACKOFF_MS: '500', RECEIPT_SENDING_TIMEOUT_MS: '5000' });
  api = await drill.startApi();
  worker = await drill.startWorker();
});

afterAll(async () => {
  await drill?.close();
});

test('a PostgreSQL restart under load is answered 5xx, retried by Stripe, and leaves the ledger exact', async () => {
  const donations = await prepareDonations(drill, api, 'postgres-restart-drill', 400, 404);
  const restartAt = Math.round(donations.deliveries.length * 0.3);
  let restart: Promise<void> | undefined;

  const report = await deliverLikeStripe(`${api.url}/v1/webhooks/stripe`, donations.deliveries, {
    concurrency: 8,
    perSecond: 150,
    onSent: (count) => {
      if (count !== restartAt) return;
      restart = (async () => {
        await drill.postgres.stop();
        await sleep(DOWN_MS);
        await drill.postgres.start();
      })();
    },
  });
  await restart;

  // Everything refused during the outage was a server error, never a 4xx that Stripe would drop.
  const refused = Object.entries(report.statuses).filter(([status]) => Number(status) !== 200);
  expect(refused.length).toBeGreaterThan(0);
  for (const [status] of refused) expect(Number(status)).toBeGreaterThanOrEqual(500);
  expect(api.child.process.exitCode, api.child.outputTail()).toBeNull();
  expect(worker.child.process.exitCode, worker.child.outputTail()).toBeNull();

  await expectLedgerToSettle(drill, donations, 120_000);
  const expectedMail = donations.stream.donations.length + donations.stream.expected.refundsCount;
  await eventually(
    'every receipt and refund confirmation sent',
    90_000,
    async () => (await drill.db.query(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM receipts`)).rows[0],
    (counts) => counts.sent === expectedMail && counts.total === expectedMail,
  );
});
