/**
 * Drill: the worker process is killed with SIGKILL while it is applying events (twice), and a
 * new one is started. Jobs it held are redone; nothing is lost and nothing counts twice.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { eventually, expectLedgerToSettle, prepareDonations } from './support/donations.js';
import { deliverLikeStripe } from './support/stripe-sender.js';

let drill: Drill;
let api: ServiceProcess;

beforeAll(async () => {
  drill = await startDrill({ RECEIPT_BACKOFF_MS: '500', RECEIPT_SENDING_TIMEOUT_MS: '5000' });
  api = await drill.startApi();
});

afterAll(async () => {
  await drill?.close();
});

async function finishedEvents(): Promise<number> {
  const { rows } = await drill.db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE status IN ('processed', 'ignored')`);
  return rows[0].n;
}

test('a worker killed mid-stream loses nothing and counts nothing twice once a new one runs', async () => {
  const donations = await prepareDonations(drill, api, 'worker-kill-drill', 400, 101);
  let worker = await drill.startWorker();
  const killAt = [0.3, 0.7].map((share) => Math.round(donations.deliveries.length * share));
  const finishedWhenKilled: number[] = [];

  await deliverLikeStripe(`${api.url}/v1/webhooks/stripe`, donations.deliveries, {
    onSent: async (count) => {
      if (!killAt.includes(count)) return;
      // Wait until the worker is busy, so the kill lands in the middle of its jobs.
      await eventually('the worker applying events', 30_000, finishedEvents, (n) => n > 0);
      await worker.stop('SIGKILL');
      finishedWhenKilled.push(await finishedEvents());
      worker = await drill.startWorker();
    },
  });

  expect(finishedWhenKilled).toHaveLength(2);
  for (const finished of finishedWhenKilled) expect(finished).toBeLessThan(donations.stream.events.length);
  // BullMQ hands a dead worker's jobs to the next one once their locks expire (30 s).
  await expectLedgerToSettle(drill, donations, 150_000);

  const expectedMail = { receipt: donations.stream.donations.length, refund: donations.stream.expected.refundsCount };
  const mail = await eventually(
    'every receipt and refund confirmation sent',
    90_000,
    async () => (await drill.db.query(`SELECT kind, status, count(*)::int AS n FROM receipts GROUP BY kind, status ORDER BY kind, status`)).rows,
    (rows) => rows.every((row) => row.status === 'sent') && rows.map((row) => `${row.kind}:${row.n}`).sort().join() === `receipt:${expectedMail.receipt},refund:${expectedMail.refund}`,
  );
  expect(mail).toEqual([
    { kind: 'receipt', status: 'sent', n: expectedMail.receipt },
    { kind: 'refund', status: 'sent', n: expectedMail.refund },
  ]);
});
