import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Redis } from 'ioredis';
import supertest from 'supertest';
import { loadConfig, randomWebhookSecret, requireDatabaseUrl, type ServiceConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { createRequestListener } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { startWorkers, type RunningWorkers } from '../../src/queue/worker-runtime.js';
import { jobRegistry } from '../../workers/index.js';
import { cloneTestDatabase } from './database.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
/** The webhook secret test services verify with (unless a test passes its own), made up per test file. */
export const TEST_WEBHOOK_SECRET = randomWebhookSecret();

export interface TestService {
  ctx: AppContext;
  config: ServiceConfig;
  /** Base URL of the API listening on a real port. */
  url: string;
  api: ReturnType<typeof supertest>;
  admin: { Authorization: string };
  startWorkers(): RunningWorkers;
  close(): Promise<void>;
}

/** A unique Redis key prefix per test service, so parallel test files never share queues. */
export function testRedisPrefix(): string {
  return `gp-test-${randomBytes(4).toString('hex')}`;
}

/**
 * The `postgres-only` test project (vitest.config.ts) runs files with no REDIS_URL: queues,
 * change fan-out and rate limits on PostgreSQL, as a machine with only Node runs them.
 */
export const POSTGRES_ONLY = process.env.GOALPOST_TEST_MODE === 'postgres-only';

/**
 * As a real start does (runtime.ts), serve once Redis is ready: the producer has no offline
 * queue, so a rate limiter counting before then lets requests through uncounted.
 */
async function redisReady(redis: Redis): Promise<void> {
  // Not events.once: it would reject on an 'error' the client then recovers from by reconnecting.
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
}

/**
 * The real service on its own copy of the migrated test database and real Redis (own key
 * prefix; none in the postgres-only project), listening on an ephemeral port. Workers run in-process only when a test starts them.
 * Pass DATABASE_URL to share another service's database (e.g. a second API process).
 */
export async function startTestService(env: Record<string, string> = {}): Promise<TestService> {
  const database = env.DATABASE_URL ? undefined : await cloneTestDatabase();
  const config = requireDatabaseUrl(loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database?.url,
    ...(!POSTGRES_ONLY && { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' }),
    REDIS_PREFIX: testRedisPrefix(),
    ADMIN_API_KEY: ADMIN_KEY,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    PORT: '0',
    // Without SMTP_URL receipts become .eml files; keep them out of the working tree.
    RECEIPT_OUTBOX_DIR: join(tmpdir(), 'goalpost-test-outbox'),
    ...env,
  }));
  const ctx = createContext(config, createLogger(config));
  // A test that names its own REDIS_URL is about a Redis that does not answer.
  if (ctx.redis && !env.REDIS_URL) await redisReady(ctx.redis);
  const server: Server = await new Promise((resolve) => {
    const listening = createServer(createRequestListener(ctx)).listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const running: RunningWorkers[] = [];
  return {
    ctx,
    config,
    url,
    api: supertest(url),
    admin: { Authorization: `Bearer ${ADMIN_KEY}` },
    startWorkers() {
      const workers = startWorkers(ctx, jobRegistry());
      running.push(workers);
      return workers;
    },
    async close() {
      await Promise.all(running.map((workers) => workers.close()));
      ctx.progressHub.endStreams();
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await ctx.close();
      await database?.drop();
    },
  };
}

export function uniqueSlug(base = 'campaign'): string {
  return `${base}-${randomBytes(4).toString('hex')}`;
}
