import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type pg from 'pg';
import { randomWebhookSecret } from '../../src/config.js';
import type { Child } from './children.js';
import { metric, type MetricInput, type Metric } from './report.js';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/** Every knob of the bench, from the environment (see PERF notes / README). */
export function benchSettings() {
  return {
    /** Seconds of each measured load run. */
    duration: envNumber('BENCH_DURATION', 6),
    /** Seconds of unmeasured load before a server's first measured run. */
    warmup: envNumber('BENCH_WARMUP', 2),
    /** Baseline and candidate alternate this many times; each keeps its best round. */
    rounds: envNumber('BENCH_ROUNDS', 3),
    connections: envNumber('BENCH_CONNECTIONS', 32),
    smallDonations: envNumber('BENCH_SMALL_DONATIONS', 1_000),
    bigDonations: envNumber('BENCH_BIG_DONATIONS', 1_000_000),
    /** Cache-miss progress computations timed per campaign. */
    computeSamples: envNumber('BENCH_COMPUTE_SAMPLES', 2_000),
    e2eEvents: envNumber('BENCH_E2E_EVENTS', 20_000),
    /**
     * Events of a campaign of their own sent through each end-to-end run's fresh processes before
     * the measured window, as the other scenarios warm up for BENCH_WARMUP seconds: the measured
     * events then meet compiled code, as a long-running service's do. 0 measures a cold start.
     */
    e2eWarmupEvents: envNumber('BENCH_E2E_WARMUP_EVENTS', 3_000),
    /** Earlier donations (with their checkouts, entries, events and receipts) each end-to-end run's database holds before it starts. */
    e2eHistory: envNumber('BENCH_E2E_HISTORY', 0),
    /** Worker processes in the end-to-end run (the API is one more process). */
    e2eWorkers: envNumber('BENCH_E2E_WORKERS', 1),
    e2eTimeout: envNumber('BENCH_E2E_TIMEOUT', 600),
    /**
     * BENCH_E2E_RECEIPTS=1: the CPU window of an end-to-end run lasts until every receipt is sent
     * (the run's rate still ends with the last event), so the receipts' whole cost is counted;
     * by default it ends with the last event, whatever share of receipts went out by then.
     */
    e2eReceipts: envNumber('BENCH_E2E_RECEIPTS', 0),
    checkouts: envNumber('BENCH_CHECKOUTS', 300),
    /**
     * Where end-to-end runs write their receipts (the bench has no SMTP server): a memory
     * filesystem where the machine has one. This VM's ext4 has no journal, and there creating a
     * file after many were deleted (every run's outbox is) scans the recently deleted inodes: in
     * a 20,000-event run that was 18 % of the worker's CPU samples (kernel `recently_deleted`,
     * under `openat`), growing from run to run — the disk's cost, not Goalpost's.
     */
    outboxParent: process.env.BENCH_OUTBOX_PARENT ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()),
    databaseServer: process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    only: (process.env.BENCH_ONLY ?? 'P1,P2,P3,P3PG,P4,P5,P6').toUpperCase().split(',').map((s) => s.trim()),
  };
}

export type BenchSettings = ReturnType<typeof benchSettings>;

export const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
/** Made up per run and handed to every child process, like a deployment's own secret. */
export const WEBHOOK_SECRET = randomWebhookSecret();

export interface RunningApi {
  url: string;
  child: Child;
}

export interface BenchCampaign {
  id: number;
  slug: string;
  currency: string;
  timezone: string;
}

/** What every scenario gets: the settings, the running processes, and a place for results. */
export interface Bench {
  settings: BenchSettings;
  redisUrl: string;
  db: pg.Pool;
  api: RunningApi;
  baselineUrl: string;
  /** Env every Goalpost child of this run shares (database, Redis prefix, secrets, log level). */
  serviceEnv: Record<string, string>;
  metrics: Metric[];
  record(input: MetricInput): void;
  /** Starts a child process (stopped at the end of the run); with `readyPath`, waits until it answers there. */
  startChild(name: string, entry: string, env: Record<string, string>, readyPath?: string): Promise<RunningApi>;
}

export function createResults(): Pick<Bench, 'metrics' | 'record'> {
  const metrics: Metric[] = [];
  return { metrics, record: (input) => void metrics.push(metric(input)) };
}

export async function adminRequest<T>(api: RunningApi, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A campaign created through the admin API, with its database id for seeding. */
export async function createCampaign(bench: Pick<Bench, 'api' | 'db'>, slug: string): Promise<BenchCampaign> {
  await adminRequest(bench.api, 'POST', '/v1/admin/campaigns', {
    slug,
    name: `Bench ${slug}`,
    description: 'Created by npm run bench.',
    currency: 'usd',
    timezone: 'America/New_York',
    goal: { period: 'monthly', amount: 500_000 },
    tiers: [
      { amount: 100_000, label: 'Keep the lights on', description: '' },
      { amount: 250_000, label: 'Fund a reporter', description: '' },
      { amount: 500_000, label: 'Open a bureau', description: '' },
    ],
    amount_presets: [500, 1_000, 2_500, 5_000],
    min_amount: 100,
    max_amount: 10_000_000,
    allowed_redirect_origins: ['https://bench.example'],
  });
  const { rows } = await bench.db.query<{ id: number }>('SELECT id FROM campaigns WHERE slug = $1', [slug]);
  return { id: rows[0]!.id, slug, currency: 'usd', timezone: 'America/New_York' };
}
