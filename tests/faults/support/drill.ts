import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../../src/db/migrate.js';
import { createPool } from '../../../src/db/pool.js';
import { migrateQueueSchema } from '../../../src/queue/queues.js';
import { freePort, spawnTs, waitForHttp, type Child } from '../../../bench/lib/children.js';
import { ADMIN_KEY, WEBHOOK_SECRET } from '../../../bench/lib/bench.js';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from './infra.js';

export { ADMIN_KEY, WEBHOOK_SECRET };

export interface ServiceProcess {
  child: Child;
  /** Base URL (API processes only). */
  url: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * One drill's world: private PostgreSQL and Redis, a migrated database, the Stripe emulator (in
 * this process, sending no webhooks: the drills deliver events themselves), and Goalpost's own
 * API and worker entry points run as child processes against them.
 */
export interface Drill {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  stripe: TestStripeEmulator;
  databaseUrl: string;
  /** A small pool for the drill's own checks (survives restarts: pg reconnects per query). */
  db: pg.Pool;
  env: Record<string, string>;
  startApi(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  startWorker(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  /** Everything the drill started is stopped and deleted. */
  close(): Promise<void>;
}

export async function startDrill(env: Record<string, string> = {}): Promise<Drill> {
  const postgres = await startPrivatePostgres();
  const redis = await startPrivateRedis();
  const stripe = await startStripeEmulator();
  const databaseUrl = await postgres.createDatabase('goalpost');
  await migrate(databaseUrl);
  // The postgres-only project (vitest.faults.config.ts) runs the drill without REDIS_URL: the
  // queues on PostgreSQL, whose restart then takes them down too. `npm run migrate` would
  // create BullMQ's tables with ours in that mode, so the drill does as well.
  const postgresOnly = process.env.GOALPOST_TEST_MODE === 'postgres-only';
  if (postgresOnly) await migrateQueueSchema(databaseUrl);
  const db = createPool(databaseUrl, 4);
  const processes: ServiceProcess[] = [];
  const outboxDir = join(tmpdir(), `goalpost-faults-outbox-${randomBytes(3).toString('hex')}`);
  const baseEnv: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl,
    ...(!postgresOnly && { REDIS_URL: redis.url }),
    REDIS_PREFIX: `gp-faults-${randomBytes(3).toString('hex')}`,
    ADMIN_API_KEY: ADMIN_KEY,
    // Production refuses to start without a Stripe key; the emulator takes any test key.
    STRIPE_SECRET_KEY: 'sk_test_goalpost_emulator',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: stripe.url,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000000',
    SWEEP_EVERY_MS: '1000',
    RECONCILE_EVERY_MS: '3600000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    RECEIPT_OUTBOX_DIR: outboxDir,
    ...env,
  };

  const track = (process: ServiceProcess) => {
    processes.push(process);
    return process;
  };

  return {
    postgres,
    redis,
    stripe,
    databaseUrl,
    db,
    env: baseEnv,
    async startApi(extraEnv = {}) {
      const port = await freePort();
      const child = spawnTs('api', 'src/bin/api.ts', { ...baseEnv, ...extraEnv, PORT: String(port) });
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(child, `${url}/healthz`);
      return track({ child, url, stop: (signal) => child.stop(signal) });
    },
    async startWorker(extraEnv = {}) {
      const child = spawnTs('worker', 'src/bin/worker.ts', { ...baseEnv, ...extraEnv });
      return track({ child, url: '', stop: (signal) => child.stop(signal) });
    },
    async close() {
      await Promise.all(processes.map((p) => p.stop()));
      await db.end().catch(() => {});
      await stripe.close();
      await redis.destroy();
      await postgres.destroy();
      rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every table's row count and a checksum of its contents: two equal fingerprints mean nothing
 * in the database changed in between.
 */
export async function databaseFingerprint(db: pg.Pool, only?: string[]): Promise<Record<string, string>> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const tables = rows.map((row) => row.name).filter((name) => !only || only.includes(name));
  const fingerprint: Record<string, string> = {};
  for (const name of tables) {
    const table = pg.escapeIdentifier(name);
    const { rows } = await db.query<{ count: string; checksum: string | null }>(
      `SELECT count(*) AS count, md5(string_agg(t::text, '|' ORDER BY t::text)) AS checksum FROM ${table} t`,
    );
    fingerprint[name] = `${rows[0]!.count}:${rows[0]!.checksum ?? '-'}`;
  }
  return fingerprint;
}
