/**
 * Drill: Redis loses all its data (FLUSHALL) while Stripe is delivering and the workers are
 * busy. The queued jobs are gone and so are the recurring jobs' schedulers; the worker processes
 * register the schedulers again without a restart, and the sweep then queues every stored event
 * and receipt whose job was lost.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { JOB_QUEUE, type JobName } from '../../src/queue/jobs.js';
import { startDrill, type Drill, type ServiceProcess } from './support/drill.js';
import { eventually, expectLedgerToSettle, prepareDonations } from './support/donations.js';
import { deliverLikeStripe } from './support/stripe-sender.js';

const RECURRING: JobName[] = ['maintenance.sweep', 'stripe.reconcile', 'period.close'];

let drill: Drill;
let api: ServiceProcess;
let worker: ServiceProcess;

beforeAll(async () => {
  drill = await startDrill({ RECEIPT_BACKOFF_MS: '500' });
  api = await drill.startApi();
  worker = await drill.startWorker();
});

afterAll(async () => {
  await drill?.close();
});

/** Which recurring jobs Redis holds a scheduler for, read the way BullMQ reads them. */
async function presentSchedulers(): Promise<JobName[]> {
  const present: JobName[] = [];
  for (const name of RECURRING) {
    const queue = new Queue(JOB_QUEUE[name], { connection: { url: drill.redis.url }, prefix: drill.env.REDIS_PREFIX });
    if (await queue.getJobScheduler(name)) present.push(name);
    await queue.close();
  }
  return present;
}

test('after FLUSHALL under load the recurring jobs come back without a restart and every event and receipt is processed', async () => {
  await eventually('schedulers registered at start', 90_000, presentSchedulers, (present) => present.length === RECURRING.length);
  const donations = await prepareDonations(drill, api, 'redis-flush-drill', 200, 909);
  const flushAt = Math.round(donations.deliveries.length * 0.4);
  let flushed: Promise<unknown> | undefined;

  const report = await deliverLikeStripe(`${api.url}/v1/webhooks/stripe`, donations.deliveries, {
    perSecond: 200,
    onSent: (count) => {
      if (count !== flushAt) return;
      const client = new Redis(drill.redis.url);
      flushed = client.flushall().finally(() => client.disconnect());
    },
  });
  expect(await flushed).toBe('OK');
  expect(Object.keys(report.statuses)).toEqual(['200']);

  await eventually('schedulers back', 15_000, presentSchedulers, (present) => present.length === RECURRING.length);
  await expectLedgerToSettle(drill, donations, 90_000).catch(async (error: Error) => {
    // Which events are left, and what the worker said, to tell a lost job from a slow one.
    const { rows } = await drill.db.query(
      `SELECT id, type, status, attempts, reruns, started_at, received_at, last_error FROM stripe_events WHERE status NOT IN ('processed', 'ignored')`,
    );
    throw new Error(`${error.message}\nunfinished: ${JSON.stringify(rows)}\nworker: ${worker.child.outputTail()}`);
  });
  const expectedMail = donations.stream.donations.length + donations.stream.expected.refundsCount;
  await eventually(
    'every receipt and refund confirmation sent',
    120_000,
    async () => (await drill.db.query(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM receipts`)).rows[0],
    (counts) => counts.sent === expectedMail && counts.total === expectedMail,
  );
  expect(worker.child.process.exitCode, worker.child.outputTail()).toBeNull();
});
