/**
 * Drill: Redis stops for 10 s while Stripe keeps delivering. Ingest keeps answering 200 (the
 * event is stored in PostgreSQL); once Redis is back the sweeper queues what was stored meanwhile.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { eventually, expectLedgerToSettle, prepareDonations, type DrillDonations } from './support/donations.js';
import { deliverLikeStripe, type SenderReport } from './support/stripe-sender.js';

const OUTAGE_MS = 10_000;

let drill: Drill;
let api: ServiceProcess;

beforeEach(async () => {
  drill = await startDrill({ RECEIPT_BACKOFF_MS: '500' });
  api = await drill.startApi();
  await drill.startWorker();
});

afterEach(async () => {
  await drill?.close();
});

/** A third of the events before the outage, a third spread over it, the rest after it. */
async function deliverAcrossOutage(donations: DrillDonations, keepData: boolean): Promise<SenderReport> {
  const url = `${api.url}/v1/webhooks/stripe`;
  const third = Math.ceil(donations.deliveries.length / 3);
  const before = await deliverLikeStripe(url, donations.deliveries.slice(0, third));
  await drill.redis.stop({ keepData });
  const outageEnds = Date.now() + OUTAGE_MS;
  const during = await deliverLikeStripe(url, donations.deliveries.slice(third, 2 * third), {
    concurrency: 4,
    perSecond: third / (OUTAGE_MS / 1_000 - 1),
  });
  await sleep(Math.max(0, outageEnds - Date.now()));
  await drill.redis.start();
  const after = await deliverLikeStripe(url, donations.deliveries.slice(2 * third));
  const statuses: Record<number, number> = {};
  for (const part of [before, during, after]) {
    for (const [status, count] of Object.entries(part.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + count;
  }
  return { deliveries: before.deliveries + during.deliveries + after.deliveries, statuses };
}

async function stored(): Promise<number> {
  return (await drill.db.query('SELECT count(*)::int AS n FROM stripe_events')).rows[0].n;
}

async function expectEveryReceiptSent(donations: DrillDonations): Promise<void> {
  const expected = donations.stream.donations.length + donations.stream.expected.refundsCount;
  await eventually(
    'every receipt and refund confirmation sent',
    60_000,
    async () => (await drill.db.query(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM receipts`)).rows[0],
    (counts) => counts.sent === expected && counts.total === expected,
  );
}

test('events delivered while Redis is down are answered 200, stored, and swept into the queue once it is back', async () => {
  const donations = await prepareDonations(drill, api, 'redis-stop-drill', 300, 202);
  const report = await deliverAcrossOutage(donations, true);
  expect(Object.keys(report.statuses)).toEqual(['200']);
  expect(await stored()).toBe(donations.stream.events.length);
  await expectLedgerToSettle(drill, donations, 90_000);
  await expectEveryReceiptSent(donations);
});

test('a Redis that comes back empty (no persistence) still ends with every stored event applied', async () => {
  const donations = await prepareDonations(drill, api, 'redis-empty-drill', 300, 303);
  const report = await deliverAcrossOutage(donations, false);
  expect(Object.keys(report.statuses)).toEqual(['200']);
  await expectLedgerToSettle(drill, donations, 90_000);
  await expectEveryReceiptSent(donations);
});
