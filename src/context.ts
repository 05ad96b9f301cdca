import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createPool, type Db } from './db/pool.js';
import { jobOptions } from './queue/jobs.js';
import { createProducerConnection, createQueues, type Queues } from './queue/queues.js';
import { ProgressReader } from './services/progress.js';
import { ProgressHub } from './http/progress-hub.js';
import { createStripeClient, type Stripe } from './integrations/stripe.js';
import { createMailer, type Mailer } from './integrations/mail.js';

/**
 * Everything long-lived a process holds, built once at start-up and passed to the HTTP app and
 * the workers. Each module takes the parts it uses, not the whole context.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Db;
  /** Plain Redis commands (rate limits, pub/sub publish); fails fast when Redis is away. */
  redis: Redis;
  queues: Queues;
  progress: ProgressReader;
  /** Live progress streams and cross-process cache invalidation; subscribes when an HTTP app starts it. */
  progressHub: ProgressHub;
  stripe: Stripe;
  /** Receipts' transport: SMTP, or .eml files in the outbox folder without SMTP_URL. */
  mailer: Mailer;
  close(): Promise<void>;
}

export function createContext(config: Config, logger: Logger = createLogger(config)): AppContext {
  const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const redis = createProducerConnection(config.REDIS_URL);
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  const queues = createQueues(redis, config.REDIS_PREFIX, jobOptions(config));
  const progress = new ProgressReader(db);
  const progressHub = new ProgressHub({
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    progress,
    logger,
    maxConnectionsPerClient: config.SSE_MAX_CONNECTIONS_PER_CLIENT,
    maxStreams: config.SSE_MAX_STREAMS,
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    drainMs: config.SSE_DRAIN_MS,
  });
  const stripe = createStripeClient(config);
  const mailer = createMailer(config, logger);
  return {
    config,
    logger,
    db,
    redis,
    queues,
    progress,
    progressHub,
    stripe,
    mailer,
    async close() {
      await progressHub.close();
      mailer.close();
      await queues.close().catch(() => {});
      redis.disconnect();
      await db.end().catch(() => {});
    },
  };
}
