import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, createPostgresBackend, withBackend } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { QUEUES } from '../../src/queue/jobs.js';
import { POSTGRES_QUEUE_SCHEMA, migrateQueueSchema, type AnyQueue } from '../../src/queue/queues.js';
import { createCampaign, WEBHOOK_SECRET, type Bench, type RunningApi } from '../lib/bench.js';
import { benchRedisPrefix, createBenchDatabase, dropRedisPrefix, openBenchPool, seedHistory } from '../lib/database.js';
import { sampleCpu, type CpuUse } from '../lib/cpu.js';
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

/**
 * Events still to be taken to an outcome once every delivery was acknowledged (each 200 came after
 * its event was stored): on the queue, or deferred. Both are small, where counting every stored
 * event read the whole table twice a second while the worker was finishing.
 */
async function eventsPending(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ pending: number }>(
    `SELECT (SELECT count(*) FROM stripe_event_queue)::int + (SELECT count(*) FROM stripe_events WHERE status = 'deferred')::int AS pending`,
  );
  return rows[0]!.pending;
}

interface ReceiptCounts {
  sent: number;
  all: number;
}

async function receiptCounts(db: pg.Pool): Promise<ReceiptCounts> {
  const { rows } = await db.query<ReceiptCounts>(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS all FROM receipts`);
  return rows[0]!;
}

/** "sent/all" receipts rows of the measured events: receipts are not part of "exact totals", so a run may end with many unsent. */
function receiptsSince(before: ReceiptCounts, now: ReceiptCounts): string {
  return `${now.sent - before.sent}/${now.all - before.all}`;
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

interface PipelineShape {
  /** Campaigns the donations are spread over (1: every donation in one campaign). */
  campaigns: number;
  workers: number;
  queues: 'redis' | 'postgres';
}

interface PipelineRun {
  uniqueEvents: number;
  deliveries: number;
  donations: number;
  refunds: number;
  seconds: number;
  ingestSeconds: number;
  ingestP99Ms: number;
  waits: string;
  /** WAL the server wrote during the run (the whole cluster: nothing else runs meanwhile). */
  walBytes: number;
  cpu: CpuUse;
}

async function walPosition(db: pg.Pool): Promise<string> {
  const { rows } = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

async function walBytesSince(db: pg.Pool, start: string): Promise<number> {
  const { rows } = await db.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes', [start]);
  return Number(rows[0]!.bytes);
}

/** Events of several streams taken in turn, so every campaign's donations arrive side by side. */
function interleave<T>(lists: T[][]): T[] {
  const merged: T[] = [];
  for (let index = 0; merged.length < lists.reduce((sum, list) => sum + list.length, 0); index += 1) {
    for (const list of lists) if (index < list.length) merged.push(list[index]!);
  }
  return merged;
}

/**
 * Signed donation events — duplicated and reordered as Stripe may deliver them — through the
 * webhook, the queue and the ledger workers until the totals are exactly right. Runs on its own
 * database, Redis prefix and processes so nothing earlier in the bench is in its way. With
 * `queues: 'postgres'` the service runs without REDIS_URL (BullMQ on PostgreSQL).
 */
async function runPipeline(bench: Bench, shape: PipelineShape, processes: RunningApi[]): Promise<PipelineRun> {
  const { settings } = bench;
  const database = await createBenchDatabase(settings.databaseServer);
  const prefix = benchRedisPrefix();
  const store: QueueStore = shape.queues === 'postgres' ? { kind: 'postgres', databaseUrl: database.url } : { kind: 'redis', redisUrl: bench.redisUrl, prefix };
  const outbox = mkdtempSync(join(settings.outboxParent, 'goalpost-bench-outbox-'));
  const db = openBenchPool(database.url, 2);
  const started: RunningApi[] = [];
  let waits: DatabaseWaits | undefined;
  try {
    await seedHistory(db, settings.e2eHistory);
    const { REDIS_URL: redisUrl, ...withoutRedis } = bench.serviceEnv;
    const env = { ...withoutRedis, ...(store.kind === 'redis' && { REDIS_URL: redisUrl }), DATABASE_URL: database.url, REDIS_PREFIX: prefix, RECEIPT_OUTBOX_DIR: outbox };
    // As `npm run migrate` does without REDIS_URL: BullMQ's tables beside ours.
    if (store.kind === 'postgres') await migrateQueueSchema(database.url);
    const api = await bench.startChild('e2e-api', 'src/bin/api.ts', env, '/healthz');
    started.push(api);
    const refundShare = 0.05;
    const deliveriesOf = async (slug: string, events: number, seed: number, campaigns: number) => {
      const donations = Math.round(events / (3 + 2 * refundShare));
      const streams = [];
      for (let index = 0; index < campaigns; index += 1) {
        const campaign = await createCampaign({ api, db }, `${slug}-${index}`);
        const count = Math.floor(donations / campaigns) + (index < donations % campaigns ? 1 : 0);
        const stream = makeDonationStream(campaign, count, { refundShare, seed: seed + index });
        await insertCheckoutRows(db, campaign, stream.donations);
        streams.push({ campaign, stream });
      }
      const all = interleave(streams.map(({ stream }) => stream.events));
      const deliveries = deliveryOrder(all, { duplicateShare: 0.1, reorderShare: 0.05, seed: 42 }).map((event) => JSON.stringify(event));
      return { donations, streams, uniqueEvents: all.length, deliveries };
    };
    /**
     * Stripe signs each delivery on its own machines just before sending it; here the load
     * generator shares two cores with what it measures, so the deliveries are signed (and encoded)
     * before the measured window, within the signature's tolerance (STRIPE_WEBHOOK_TOLERANCE_MS,
     * 5 minutes) of their delivery: the window holds only sending them. (A run so long that its
     * last deliveries arrive later would see them refused, and fail, not mismeasure.)
     */
    const signed = (deliveries: readonly string[]) =>
      deliveries.map((body) => ({ body: Buffer.from(body), signature: stripeSignature(body, WEBHOOK_SECRET) }));
    const deliver = async (deliveries: readonly { body: Buffer; signature: string }[]) => {
      let next = 0;
      const sent = await runLoad({
        url: `${api.url}/v1/webhooks/stripe`,
        connections: settings.connections,
        amount: deliveries.length,
        method: 'POST',
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const { body, signature } = deliveries[next++ % deliveries.length]!;
              return { ...request, method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature } };
            },
          },
        ],
      });
      if (sent.errors || sent.non2xx) throw new Error(`webhook deliveries failed: ${JSON.stringify(sent.statusCodes)}, ${sent.errors} errors`);
      return sent;
    };
    // The seeded history's events are counted out: only this run's events settle it.
    const history = await eventProgress(db);
    const runProgress = async (): Promise<Progress> => {
      const now = await eventProgress(db);
      return { stored: now.stored - history.stored, finished: now.finished - history.finished, failed: now.failed - history.failed };
    };
    /**
     * Waits until `total` distinct events are stored and taken to an outcome, for at most
     * BENCH_E2E_TIMEOUT from `since`: polls what is pending, then counts exactly once nothing is.
     */
    const settled = async (total: number, since: number) => {
      const deadline = since + settings.e2eTimeout * 1000;
      for (;;) {
        if (!(await eventsPending(db))) {
          const progress = await runProgress();
          if (progress.finished + progress.failed >= total && progress.stored >= total) return progress;
        }
        if (Date.now() > deadline) throw new Error(`end-to-end run timed out: ${JSON.stringify(await runProgress())} of ${total} events`);
        await sleep(100);
      }
    };
    const receiptsSettled = async (since: number) => {
      const deadline = since + settings.e2eTimeout * 1000;
      while ((await db.query(`SELECT 1 FROM receipts WHERE status IN ('pending', 'sending') LIMIT 1`)).rowCount) {
        if (Date.now() > deadline) throw new Error(`receipts still unsent after ${settings.e2eTimeout} s: ${JSON.stringify(await receiptCounts(db))}`);
        await sleep(100);
      }
    };

    for (let index = 0; index < shape.workers; index += 1) started.push(await bench.startChild(`e2e-worker-${index}`, 'src/bin/worker.ts', env));
    await waitForWorkers(store, QUEUES.stripeEvents, shape.workers);

    let warmedUp = 0;
    if (settings.e2eWarmupEvents > 0) {
      const warmup = await deliveriesOf('bench-e2e-warmup', settings.e2eWarmupEvents, 10_000, 1);
      process.stderr.write(`  warming up with ${warmup.deliveries.length} webhooks (${warmup.uniqueEvents} distinct events, another campaign) …\n`);
      const since = Date.now();
      await deliver(signed(warmup.deliveries));
      const progress = await settled(warmup.uniqueEvents, since);
      if (progress.failed) throw new Error(`${progress.failed} warm-up events failed processing`);
      await receiptsSettled(since);
      // Every event sent counts exactly, the warm-up's too.
      for (const { campaign, stream } of warmup.streams) {
        const wrong = await totalsDifference(db, campaign.id, stream.expected);
        if (wrong) throw new Error(`WRONG TOTALS for ${campaign.slug} after the warm-up: ${wrong}`);
      }
      warmedUp = warmup.uniqueEvents;
    }

    const { donations: donationCount, streams, uniqueEvents, deliveries } = await deliveriesOf('bench-e2e', settings.e2eEvents, 20_000, shape.campaigns);
    process.stderr.write(`  delivering ${deliveries.length} webhooks (${uniqueEvents} distinct events, ${donationCount} donations in ${shape.campaigns} campaign(s)) to ${shape.workers} worker process(es) …\n`);
    const receiptsBefore = await receiptCounts(db);
    const ready = signed(deliveries);
    waits = sampleDatabaseWaits(db);
    const walStart = await walPosition(db);
    const cpu = sampleCpu(db, started.map((p) => ({ name: p.child.name, pid: p.child.pid })));
    const startedAt = performance.now();
    const since = Date.now();
    const sent = await deliver(ready);
    const ingestSeconds = (performance.now() - startedAt) / 1000;

    const progress = await settled(warmedUp + uniqueEvents, since);
    const seconds = (performance.now() - startedAt) / 1000;
    process.stderr.write(`  receipts sent when the last event was: ${receiptsSince(receiptsBefore, await receiptCounts(db))}\n`);
    if (settings.e2eReceipts) {
      await receiptsSettled(since);
      process.stderr.write(`  receipts sent ${((performance.now() - startedAt) / 1000 - seconds).toFixed(1)} s later: ${receiptsSince(receiptsBefore, await receiptCounts(db))}\n`);
    }
    const cpuUsed = await cpu.stop();
    const waited = await waits.stop();
    const walBytes = await walBytesSince(db, walStart);
    if (progress.failed) throw new Error(`${progress.failed} events failed processing`);
    for (const { campaign, stream } of streams) {
      const wrong = await totalsDifference(db, campaign.id, stream.expected);
      if (wrong) throw new Error(`WRONG TOTALS for ${campaign.slug} after the end-to-end run: ${wrong}`);
    }
    return {
      uniqueEvents,
      deliveries: deliveries.length,
      donations: donationCount,
      refunds: streams.reduce((sum, { stream }) => sum + stream.expected.refundsCount, 0),
      seconds,
      ingestSeconds,
      ingestP99Ms: sent.p99Ms,
      waits: waited,
      walBytes,
      cpu: cpuUsed,
    };
  } finally {
    await waits?.stop();
    // Goalpost's processes leave the machine to what runs next.
    await Promise.all(started.map((p) => p.child.stop()));
    processes.push(...started);
    await db.end();
    await dropRedisPrefix(bench.redisUrl, prefix).catch(() => {});
    await database.drop().catch(() => {});
    rmSync(outbox, { recursive: true, force: true });
  }
}

const cpuNote = ({ cpu, uniqueEvents }: PipelineRun) => {
  const perEvent = (ms: number) => (ms / uniqueEvents).toFixed(2);
  const parts = [...cpu.byName].filter(([, ms]) => ms > 0).map(([name, ms]) => `${name} ${perEvent(ms)}`).join(', ');
  return `CPU ${perEvent(cpu.processesMs + cpu.postgresMs)} ms/event (Node ${perEvent(cpu.processesMs)} + PostgreSQL ${perEvent(cpu.postgresMs)}: ${parts})`;
};

/** How much of the machine the run had: the cores' busy share, and the load generator's own CPU beside Goalpost's. */
const machineNote = ({ cpu, uniqueEvents }: PipelineRun) => {
  const busy = cpu.machineBusyShare === null ? 'machine busy share unknown' : `all cores ${(cpu.machineBusyShare * 100).toFixed(0)}% busy`;
  return `${busy}; the load generator (this process: sending, and polling until the totals settle; signing was before the window) ${(cpu.loadGeneratorMs / uniqueEvents).toFixed(2)} ms/event`;
};

/**
 * P3: the pipeline with every donation in one campaign (the busiest case: one aggregate row),
 * spread over 20 campaigns, and with two worker processes; BullMQ's own no-op rate on the same
 * store is the baseline. With `queues: 'postgres'` (P3PG) only the one-campaign run is made.
 */
export async function benchEndToEnd(bench: Bench, options: { queues: 'redis' | 'postgres' } = { queues: 'redis' }): Promise<void> {
  const processes: RunningApi[] = [];
  const postgresOnly = options.queues === 'postgres';
  const scenario = postgresOnly ? 'P3 end to end, PostgreSQL only (no REDIS_URL)' : 'P3 end to end';
  const workers = bench.settings.e2eWorkers;
  try {
    const oneCampaign = await runPipeline(bench, { campaigns: 1, workers, queues: options.queues }, processes);
    const spread = postgresOnly ? null : await runPipeline(bench, { campaigns: 20, workers, queues: 'redis' }, processes);
    const scaledOut = postgresOnly ? null : await runPipeline(bench, { campaigns: 1, workers: workers * 2, queues: 'redis' }, processes);
    // Goalpost's processes have stopped (each run stops its own): the baseline has the machine.
    const noop = await noopBaseline(bench, options.queues, oneCampaign.uniqueEvents, workers, processes);
    const rate = (run: PipelineRun) => run.uniqueEvents / run.seconds;
    const line = (run: PipelineRun) =>
      `${run.seconds.toFixed(1)} s; ${run.donations} donations, ${run.refunds} refunds, totals verified; ${cpuNote(run)}; WAL ${(run.walBytes / run.uniqueEvents / 1024).toFixed(1)} kB/event; ${run.waits}`;
    bench.record({
      scenario,
      metric: `${oneCampaign.uniqueEvents.toLocaleString('en-US')} events (+10% dup, 5% reordered) to exact totals, every donation in one campaign`,
      unit: 'events/s',
      value: rate(oneCampaign),
      baseline: noop,
      baselineLabel: postgresOnly ? 'BullMQ no-op on PostgreSQL' : 'BullMQ no-op',
      target: { compare: 'value_at_least', limit: 1_500 },
      note: `${workers} worker process(es); ${line(oneCampaign)}; ${machineNote(oneCampaign)}`,
    });
    if (spread) bench.record({ scenario, metric: 'the same spread over 20 campaigns', unit: 'events/s', value: rate(spread), note: line(spread) });
    if (scaledOut) {
      bench.record({
        scenario,
        metric: `one campaign, ${workers * 2} worker processes (scale-out)`,
        unit: 'events/s',
        value: rate(scaledOut),
        note: `${(rate(scaledOut) / rate(oneCampaign)).toFixed(2)}× the ${workers}-process rate; ${line(scaledOut)}`,
      });
    }
    bench.record({
      scenario,
      metric: 'CPU per event, all processes (one campaign)',
      unit: 'ms',
      value: (oneCampaign.cpu.processesMs + oneCampaign.cpu.postgresMs) / oneCampaign.uniqueEvents,
      target: { compare: 'value_at_most', limit: 1.2 },
      note: `${cpuNote(oneCampaign)}; API and worker processes and this database's PostgreSQL backends (Redis left out: shared)`,
    });
    bench.record({ scenario, metric: 'webhook ingest, while the workers ran (one campaign)', unit: 'deliveries/s', value: oneCampaign.deliveries / oneCampaign.ingestSeconds, note: `p99 ${oneCampaign.ingestP99Ms} ms` });
  } finally {
    await Promise.all(processes.map((p) => p.child.stop()));
  }
}

/** BullMQ's no-op rate on the store the run used (a Redis prefix of its own, or a fresh database). */
async function noopBaseline(bench: Bench, queues: 'redis' | 'postgres', jobs: number, workers: number, processes: RunningApi[]): Promise<number> {
  if (queues === 'redis') {
    const prefix = benchRedisPrefix();
    return noopThroughput(bench, { kind: 'redis', redisUrl: bench.redisUrl, prefix }, jobs, workers, processes).finally(() =>
      dropRedisPrefix(bench.redisUrl, prefix).catch(() => {}),
    );
  }
  const database = await createBenchDatabase(bench.settings.databaseServer);
  try {
    await migrateQueueSchema(database.url);
    return await noopThroughput(bench, { kind: 'postgres', databaseUrl: database.url }, jobs, workers, processes);
  } finally {
    // Its workers stop before their database goes.
    await Promise.all(processes.splice(0).map((p) => p.child.stop()));
    await database.drop().catch(() => {});
  }
}
