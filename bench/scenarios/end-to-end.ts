import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, createPostgresBackend, withBackend } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { createPool } from '../../src/db/pool.js';
import { QUEUES } from '../../src/queue/jobs.js';
import { POSTGRES_QUEUE_SCHEMA, migrateQueueSchema, type AnyQueue } from '../../src/queue/queues.js';
import { createCampaign, WEBHOOK_SECRET, type Bench, type RunningApi } from '../lib/bench.js';
import { benchRedisPrefix, createBenchDatabase, dropRedisPrefix } from '../lib/database.js';
import { sampleDatabaseWaits, type DatabaseWaits } from '../lib/db-waits.js';
import { deliveryOrder, insertCheckoutRows, makeDonationStream, totalsDifference } from '../lib/donation-stream.js';
import { runLoad } from '../lib/load.js';
import { stripeSignature } from '../lib/stripe-events.js';

/** Goalpost's Stripe event worker runs this many jobs at once per process (workers/process-stripe-event.ts). */
const WORKER_CONCURRENCY = 8;

/** Where a run's queues live: Redis (the default set-up for scale-out) or PostgreSQL alone (no REDIS_URL). */
export type QueueStore = { kind: 'redis'; redisUrl: string; prefix: string } | { kind: 'postgres'; databaseUrl: string };

/** A queue handle on the run's store, for the bench's own reads and adds; closed by the caller. */
function openQueue(store: QueueStore, queueName: string): { queue: AnyQueue; close(): Promise<void> } {
  if (store.kind === 'postgres') {
    const { Queue: PgQueue } = withBackend(createPostgresBackend);
    const queue = new PgQueue(queueName, { connection: { connectionString: store.databaseUrl, schema: POSTGRES_QUEUE_SCHEMA, max: 4 } });
    return { queue, close: () => queue.close() };
  }
  const connection = new Redis(store.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix: store.prefix });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

async function waitForWorkers(store: QueueStore, queueName: string, count: number): Promise<void> {
  const { queue, close } = openQueue(store, queueName);
  try {
    const deadline = Date.now() + 60_000;
    while ((await queue.getWorkersCount()) < count) {
      if (Date.now() > deadline) throw new Error(`${count} worker(s) for ${queueName} did not connect within 60 s`);
      await sleep(100);
    }
  } finally {
    await close();
  }
}

interface Progress {
  stored: number;
  finished: number;
  failed: number;
}

async function eventProgress(db: pg.Pool): Promise<Progress> {
  const { rows } = await db.query<Progress>(
    `SELECT count(*)::int AS stored,
            count(*) FILTER (WHERE status IN ('processed', 'ignored'))::int AS finished,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
     FROM stripe_events`,
  );
  return rows[0]!;
}

/** Events per second BullMQ itself manages here: jobs that do nothing, added and processed like ours, on the same store. */
async function noopThroughput(bench: Bench, store: QueueStore, jobs: number, workers: number, started: RunningApi[]): Promise<number> {
  const queueName = 'bench-noop';
  const storeEnv: Record<string, string> = store.kind === 'postgres' ? { DATABASE_URL: store.databaseUrl } : { REDIS_URL: store.redisUrl, REDIS_PREFIX: store.prefix };
  for (let index = 0; index < workers; index += 1) {
    started.push(await bench.startChild(`noop-worker-${index}`, 'bench/servers/noop-worker.ts', {
      ...storeEnv,
      QUEUE_NAME: queueName,
      CONCURRENCY: String(WORKER_CONCURRENCY),
    }));
  }
  await waitForWorkers(store, queueName, workers);
  const { queue, close } = openQueue(store, queueName);
  try {
    const startedAt = performance.now();
    for (let start = 0; start < jobs; start += 500) {
      const batch = Array.from({ length: Math.min(500, jobs - start) }, (_, i) => ({
        name: 'noop',
        data: { eventId: `evt_noop_${start + i}` },
        opts: { jobId: `evt_noop_${start + i}`, removeOnComplete: { age: 86_400, count: 5_000 } },
      }));
      await queue.addBulk(batch);
    }
    const unfinished = async () => Object.values(await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).reduce((a, b) => a + b, 0);
    while ((await unfinished()) > 0) await sleep(20);
    return jobs / ((performance.now() - startedAt) / 1000);
  } finally {
    await close();
  }
}

/**
 * Signed donation events — duplicated and reordered as Stripe may deliver them — through the
 * webhook, the queue and the ledger workers until the totals are exactly right. Runs on its own
 * database, Redis prefix and processes so nothing earlier in the bench is in its way. With
 * `queues: 'postgres'` the service runs without REDIS_URL (BullMQ on PostgreSQL), and so does
 * its no-op baseline.
 */
export async function benchEndToEnd(bench: Bench, options: { queues: 'redis' | 'postgres' } = { queues: 'redis' }): Promise<void> {
  const { settings } = bench;
  const database = await createBenchDatabase(settings.databaseServer);
  const prefix = benchRedisPrefix();
  const store: QueueStore = options.queues === 'postgres' ? { kind: 'postgres', databaseUrl: database.url } : { kind: 'redis', redisUrl: bench.redisUrl, prefix };
  const outbox = mkdtempSync(join(tmpdir(), 'goalpost-bench-outbox-'));
  const db = createPool(database.url, 2);
  const processes: RunningApi[] = [];
  let waits: DatabaseWaits | undefined;
  try {
    const { REDIS_URL: redisUrl, ...withoutRedis } = bench.serviceEnv;
    const env = { ...withoutRedis, ...(store.kind === 'redis' && { REDIS_URL: redisUrl }), DATABASE_URL: database.url, REDIS_PREFIX: prefix, RECEIPT_OUTBOX_DIR: outbox };
    // As `npm run migrate` does without REDIS_URL: BullMQ's tables beside ours.
    if (store.kind === 'postgres') await migrateQueueSchema(database.url);
    const api = await bench.startChild('e2e-api', 'src/bin/api.ts', env, '/healthz');
    processes.push(api);
    const campaign = await createCampaign({ api, db }, 'bench-e2e');

    const refundShare = 0.05;
    const donationCount = Math.round(settings.e2eEvents / (3 + 2 * refundShare));
    process.stderr.write(`  making ${donationCount} donations with the emulator's flows …\n`);
    const stream = makeDonationStream(campaign, donationCount, { refundShare, seed: 20_000 });
    await insertCheckoutRows(db, campaign, stream.donations);
    const deliveries = deliveryOrder(stream.events, { duplicateShare: 0.1, reorderShare: 0.05, seed: 42 }).map((event) => JSON.stringify(event));
    const uniqueEvents = stream.events.length;

    for (let index = 0; index < settings.e2eWorkers; index += 1) processes.push(await bench.startChild(`e2e-worker-${index}`, 'src/bin/worker.ts', env));
    await waitForWorkers(store, QUEUES.stripeEvents, settings.e2eWorkers);

    process.stderr.write(`  delivering ${deliveries.length} webhooks (${uniqueEvents} distinct events) …\n`);
    let next = 0;
    waits = sampleDatabaseWaits(db);
    const started = performance.now();
    const sent = await runLoad({
      url: `${api.url}/v1/webhooks/stripe`,
      connections: settings.connections,
      amount: deliveries.length,
      method: 'POST',
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const body = deliveries[next++ % deliveries.length]!;
            return { ...request, method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': stripeSignature(body, WEBHOOK_SECRET) } };
          },
        },
      ],
    });
    const ingestSeconds = (performance.now() - started) / 1000;
    if (sent.errors || sent.non2xx) throw new Error(`webhook deliveries failed: ${JSON.stringify(sent.statusCodes)}, ${sent.errors} errors`);

    const deadline = Date.now() + settings.e2eTimeout * 1000;
    let progress = await eventProgress(db);
    while (progress.finished + progress.failed < uniqueEvents || progress.stored < uniqueEvents) {
      if (Date.now() > deadline) throw new Error(`end-to-end run timed out: ${JSON.stringify(progress)} of ${uniqueEvents} events`);
      await sleep(50);
      progress = await eventProgress(db);
    }
    const seconds = (performance.now() - started) / 1000;
    const waited = await waits.stop();
    if (progress.failed) throw new Error(`${progress.failed} events failed processing`);
    const wrong = await totalsDifference(db, campaign.id, stream.expected);
    if (wrong) throw new Error(`WRONG TOTALS after the end-to-end run: ${wrong}`);

    // Goalpost's processes leave the machine to the baseline.
    await Promise.all(processes.splice(0).map((p) => p.child.stop()));
    const noop = await noopThroughput(bench, store, uniqueEvents, settings.e2eWorkers, processes);
    const scenario = store.kind === 'postgres' ? 'P3 end to end, PostgreSQL only (no REDIS_URL)' : 'P3 end to end';
    bench.record({
      scenario,
      metric: `${uniqueEvents.toLocaleString('en-US')} events (+10% dup, 5% reordered) to exact totals`,
      unit: 'events/s',
      value: uniqueEvents / seconds,
      baseline: noop,
      baselineLabel: store.kind === 'postgres' ? 'BullMQ no-op on PostgreSQL' : 'BullMQ no-op',
      target: { compare: 'value_at_least', limit: 1_500 },
      note: `${seconds.toFixed(1)} s; ${settings.e2eWorkers} worker process(es) × ${WORKER_CONCURRENCY}; ${stream.donations.length} donations, ${stream.expected.refundsCount} refunds, totals verified; ${waited}`,
    });
    bench.record({ scenario, metric: 'webhook ingest alone (same run)', unit: 'deliveries/s', value: deliveries.length / ingestSeconds, note: `p99 ${sent.p99Ms} ms` });
  } finally {
    await waits?.stop();
    await Promise.all(processes.map((p) => p.child.stop()));
    await db.end();
    await dropRedisPrefix(bench.redisUrl, prefix).catch(() => {});
    await database.drop().catch(() => {});
    rmSync(outbox, { recursive: true, force: true });
  }
}
