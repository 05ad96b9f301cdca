import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { periodKeyOf } from '../../src/domain/period.js';
import { progressChannel } from '../../src/services/progress-events.js';
import { createCampaign, type Bench, type BenchCampaign } from '../lib/bench.js';
import { residentBytes } from '../lib/children.js';
import { measure, median, pairedRatio, typicalRound } from '../lib/load.js';

const MB = 2 ** 20;
/** Connections being set up at once: a front page's readers arrive over seconds, not in one tick. */
const OPEN_CONCURRENCY = 200;
const PROGRESS_EVENT = Buffer.from('event: progress');
const OK_STATUS = Buffer.from('HTTP/1.1 200');
/** Streams opened and closed before the idle RSS is read, so V8's one-off heap growth under load is not counted per stream. */
const WARM_UP_STREAMS = 1_000;

interface Reader {
  socket: Socket;
  /** When the reader received its first progress event (ms, performance clock). */
  openedAt: number;
  /** When the reader saw the awaited figure; reset before each donation. */
  sawAt: number;
  endedAt: number;
}

/**
 * The n-th reader's own loopback address (127.0.0.0/8 is all loopback on Linux), so every stream
 * is a different client for the per-client cap, as readers on a front page are.
 */
function loopbackAddress(n: number): string {
  return `127.${1 + ((n >> 16) & 0xff)}.${(n >> 8) & 0xff}.${(n & 0xff) || 1}`;
}

/** The API's own count of live JS heap bytes (Prometheus default metrics), before any collection. */
async function heapUsedBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^goalpost_nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1] ?? 0);
}

/** The API's own timing of its pushes (goalpost_sse_fanout_seconds): total seconds and count per phase. */
async function fanOutTimings(url: string): Promise<Record<'read' | 'write', { sum: number; count: number }>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (series: string, phase: string) => Number(new RegExp(`^goalpost_sse_fanout_seconds_${series}\\{phase="${phase}"\\} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    read: { sum: value('sum', 'read'), count: value('count', 'read') },
    write: { sum: value('sum', 'write'), count: value('count', 'write') },
  };
}

/**
 * P6: `streams` live progress readers on one `npm start` process (API and workers in one), each
 * from its own address. Measures how long they take to open, the memory each costs (RSS delta),
 * how long a booked donation takes to reach the last of them, P1 while they are open, and how
 * a shutdown spreads their ends.
 */
export async function benchProgressStreams(bench: Bench, p1Campaign: BenchCampaign): Promise<void> {
  const streams = Number(process.env.BENCH_STREAMS ?? 10_000);
  const campaign = await createCampaign(bench, 'bench-live');
  const server = await bench.startChild(
    'start-p6',
    'src/bin/start.ts',
    { ...bench.serviceEnv, SSE_MAX_STREAMS: String(streams + 1_000), SSE_DRAIN_MS: '5000' },
    '/healthz',
  );
  const { hostname, port } = new URL(server.url);
  const streamPath = `/v1/campaigns/${campaign.slug}/progress/stream`;
  const scenario = 'P6 live progress streams';
  const readers: Reader[] = [];
  let marker = PROGRESS_EVENT;
  let seen = 0;
  let onSeen: (() => void) | null = null;

  // Readers are bare sockets speaking HTTP/1.1, so the load generator's own cost per reader
  // (it shares the machine) stays far below the server's.
  const openReader = (n: number, keep = true) =>
    new Promise<void>((resolve, reject) => {
      const reader: Reader = { socket: connect({ host: hostname, port: Number(port), localAddress: loopbackAddress(n) }), openedAt: 0, sawAt: 0, endedAt: 0 };
      const { socket } = reader;
      let answered = false;
      socket.write(`GET ${streamPath} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
      socket.on('data', (chunk: Buffer) => {
        if (!answered && !chunk.subarray(0, OK_STATUS.length).equals(OK_STATUS)) {
          reject(new Error(`stream ${n} answered ${chunk.toString('latin1', 0, 40)}`));
          socket.destroy();
          return;
        }
        answered = true;
        if (!reader.openedAt) {
          if (!chunk.includes(PROGRESS_EVENT)) return;
          reader.openedAt = performance.now();
          resolve();
          if (!keep) socket.destroy();
        }
        if (!reader.sawAt && marker !== PROGRESS_EVENT && chunk.includes(marker)) {
          reader.sawAt = performance.now();
          seen += 1;
          if (seen === readers.length) onSeen?.();
        }
      });
      socket.on('error', reject);
      socket.on('close', () => (reader.endedAt = performance.now()));
      if (keep) readers.push(reader);
    });

  const openMany = async (count: number, keep: boolean) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: OPEN_CONCURRENCY }, async () => {
        while (next < count) await openReader(next++, keep);
      }),
    );
  };

  try {
    await fetch(`${server.url}/v1/campaigns/${campaign.slug}/progress`).then((response) => response.arrayBuffer());
    await openMany(WARM_UP_STREAMS, false);
    await sleep(3_000);
    const idleBytes = residentBytes(server.child.pid) ?? 0;
    const idleHeap = await heapUsedBytes(server.url);

    const openStarted = performance.now();
    await openMany(streams, true);
    const openSeconds = (performance.now() - openStarted) / 1000;
    bench.record({ scenario, metric: `open ${streams.toLocaleString('en-US')} streams (first event on each)`, unit: 's', value: openSeconds, note: `${OPEN_CONCURRENCY} connecting at a time` });

    await sleep(3_000);
    const openBytes = residentBytes(server.child.pid) ?? 0;
    const openHeap = await heapUsedBytes(server.url);
    bench.record({
      scenario,
      metric: 'memory per open stream (RSS delta / streams)',
      unit: 'kB',
      value: (openBytes - idleBytes) / streams / 1024,
      target: { compare: 'value_at_most', limit: 10 },
      note:
        `RSS ${(idleBytes / MB).toFixed(0)} MB idle (after ${WARM_UP_STREAMS} streams opened and closed) → ${(openBytes / MB).toFixed(0)} MB with ${streams} open; ` +
        `JS heap used ${((openHeap - idleHeap) / streams / 1024).toFixed(1)} kB per stream (the rest is native: sockets, HTTP parsers, malloc)`,
    });

    // Money is booked the way the ledger books it: the aggregate row committed, then the change announced.
    const redis = new Redis(bench.redisUrl, { maxRetriesPerRequest: 1 });
    const fanOuts: number[] = [];
    const firsts: number[] = [];
    const serverBefore = await fanOutTimings(server.url);
    try {
      for (let donation = 1; donation <= 3; donation += 1) {
        const amount = 1_000 * donation;
        const { rows } = await bench.db.query<{ raised: string }>(
          `UPDATE campaign_periods SET raised = raised + $3, donations_count = donations_count + 1, updated_at = now()
           WHERE campaign_id = $1 AND period_key = $2 RETURNING raised`,
          [campaign.id, periodKeyOf(new Date(), campaign.timezone), amount],
        );
        for (const reader of readers) reader.sawAt = 0;
        seen = 0;
        marker = Buffer.from(`"raised":${rows[0]!.raised},`);
        const allSeen = new Promise<void>((resolve) => (onSeen = resolve));
        const booked = performance.now();
        await redis.publish(progressChannel(bench.serviceEnv.REDIS_PREFIX!), String(campaign.id));
        await Promise.race([allSeen, sleep(30_000)]);
        if (seen < readers.length) throw new Error(`only ${seen} of ${readers.length} readers saw donation ${donation} within 30 s`);
        const seenAt = readers.map((reader) => reader.sawAt);
        fanOuts.push(Math.max(...seenAt) - booked);
        firsts.push(Math.min(...seenAt) - booked);
        await sleep(1_000);
      }
    } finally {
      redis.disconnect();
    }
    const serverAfter = await fanOutTimings(server.url);
    const meanMs = (phase: 'read' | 'write') =>
      ((serverAfter[phase].sum - serverBefore[phase].sum) / Math.max(1, serverAfter[phase].count - serverBefore[phase].count)) * 1000;
    bench.record({
      scenario,
      metric: 'fan-out: money booked → last of the readers has it (median of 3)',
      unit: 'ms',
      value: median(fanOuts),
      target: { compare: 'value_at_most', limit: 1_000 },
      note:
        `each: ${fanOuts.map((ms) => ms.toFixed(0)).join(', ')} ms; first reader had it after ${firsts.map((ms) => ms.toFixed(0)).join(', ')} ms; ` +
        `the API's own time per change: re-read ${meanMs('read').toFixed(1)} ms, writes to the ${streams} sockets ${meanMs('write').toFixed(0)} ms`,
    });

    // P1 with the streams open, paired with the bare handler in the same minutes.
    const load = { connections: bench.settings.connections, duration: bench.settings.duration };
    const rounds = { baseline: [] as Awaited<ReturnType<typeof measure>>[], candidate: [] as Awaited<ReturnType<typeof measure>>[] };
    for (let round = 0; round < Math.max(1, bench.settings.rounds); round += 1) {
      const warmup = round === 0 ? bench.settings.warmup : 0;
      rounds.baseline.push(await measure({ ...load, url: `${bench.baselineUrl}/v1/campaigns/${p1Campaign.slug}/progress` }, warmup));
      rounds.candidate.push(await measure({ ...load, url: `${server.url}/v1/campaigns/${p1Campaign.slug}/progress` }, warmup));
    }
    bench.record({
      scenario,
      metric: `P1 progress read with ${streams.toLocaleString('en-US')} streams open`,
      unit: 'req/s',
      value: typicalRound(rounds.candidate).rps,
      baseline: typicalRound(rounds.baseline).rps,
      ratio: pairedRatio(rounds.candidate, rounds.baseline),
      baselineLabel: 'bare',
      target: { compare: 'ratio_at_least', limit: 0.9 },
      note: `p99 ${typicalRound(rounds.candidate).p99Ms} ms`,
    });

    const stopping = performance.now();
    await server.child.stop();
    const ends = readers.map((reader) => reader.endedAt).filter(Boolean);
    bench.record({
      scenario,
      metric: 'shutdown: first → last stream ended (waves)',
      unit: 's',
      value: ends.length ? (Math.max(...ends) - Math.min(...ends)) / 1000 : 0,
      note: `${ends.length} of ${streams} ended by the server; process exited after ${((performance.now() - stopping) / 1000).toFixed(1)} s`,
    });
  } finally {
    for (const reader of readers) reader.socket.destroy();
    await server.child.stop();
  }
}
