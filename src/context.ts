import type { Redis } from 'ioredis';
import type { ServiceConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createPool, type Db } from './db/pool.js';
import { postgresProgressFeed } from './db/progress-notifications.js';
import { jobOptions } from './queue/jobs.js';
import {
  createProducerConnection,
  createQueues,
  POSTGRES_ENQUEUE_TIMEOUT_MS,
  postgresQueueTransport,
  REDIS_ENQUEUE_TIMEOUT_MS,
  redisQueueTransport,
  type Queues,
} from './queue/queues.js';
import { ProgressReader } from './services/progress.js';
import { ProgressHub } from './http/progress-hub.js';
import { redisProgressFeed, type ProgressChangeFeed } from './services/progress-events.js';
import { createStripeClient, type Stripe } from './integrations/stripe.js';
import { createMailer, type Mailer } from './integrations/mail.js';

/**
 * Everything long-lived a process holds, built once at start-up and passed to the HTTP app and
 * the workers. Each module takes the parts it uses, not the whole context.
 */
export interface AppContext {
  config: ServiceConfig;
  logger: Logger;
  db: Db;
  /** Plain Redis commands (rate limits, pub/sub publish) when REDIS_URL is set; fails fast when Redis is away. */
  redis: Redis | null;
  /** BullMQ queues, on Redis or (no REDIS_URL) on PostgreSQL. */
  queues: Queues;
  /** Cross-process "a campaign's money changed": Redis pub/sub or PostgreSQL LISTEN/NOTIFY. */
  changes: ProgressChangeFeed;
  progress: ProgressReader;
  /** Live progress streams and cross-process cache invalidation; subscribes when an HTTP app starts it. */
  progressHub: ProgressHub;
  stripe: Stripe;
  /** Receipts' transport: SMTP, or .eml files in the outbox folder without SMTP_URL. */
  mailer: Mailer;
  close(): Promise<void>;
}

/** Redis for queues, fan-out and rate limits when REDIS_URL is set; otherwise all of it on PostgreSQL. */
function createTransports(config: ServiceConfig, db: Db, logger: Logger) {
  if (!config.REDIS_URL) {
    return {
      redis: null,
      queues: createQueues(
        postgresQueueTransport(config.DATABASE_URL, {
          connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
          enqueueTimeoutMs: config.QUEUE_ENQUEUE_TIMEOUT_MS ?? POSTGRES_ENQUEUE_TIMEOUT_MS,
        }),
        jobOptions(config),
      ),
      changes: postgresProgressFeed(db, config.DATABASE_URL, logger, {
        connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        retryMs: config.PROGRESS_LISTEN_RETRY_MS,
      }),
    };
  }
  const redis = createProducerConnection(config.REDIS_URL, { connectTimeout: config.REDIS_CONNECT_TIMEOUT_MS });
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  return {
    redis,
    queues: createQueues(
      redisQueueTransport(redis, config.REDIS_URL, config.REDIS_PREFIX, config.QUEUE_ENQUEUE_TIMEOUT_MS ?? REDIS_ENQUEUE_TIMEOUT_MS),
      jobOptions(config),
    ),
    changes: redisProgressFeed(redis, config.REDIS_URL, config.REDIS_PREFIX, logger),
  };
}

export function createContext(config: ServiceConfig, logger: Logger = createLogger(config)): AppContext {
  const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE, config.DATABASE_CONNECT_TIMEOUT_MS);
  const { redis, queues, changes } = createTransports(config, db, logger);
  const progress = new ProgressReader(db, config.PROGRESS_CACHE_TTL_MS);
  const progressHub = new ProgressHub({
    changes,
    progress,
    logger,
    maxConnectionsPerClient: config.SSE_MAX_CONNECTIONS_PER_CLIENT,
    maxStreams: config.SSE_MAX_STREAMS,
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    drainMs: config.SSE_DRAIN_MS,
    drainWaveMs: config.SSE_DRAIN_WAVE_MS,
    retryMinMs: config.SSE_RETRY_MIN_MS,
    retryMaxMs: config.SSE_RETRY_MAX_MS,
  });
  const stripe = createStripeClient(config);
  const mailer = createMailer(config, logger);
  return {
    config,
    logger,
    db,
    redis,
    queues,
    changes,
    progress,
    progressHub,
    stripe,
    mailer,
    async close() {
      await progressHub.close();
      mailer.close();
      await queues.close().catch(() => {});
      redis?.disconnect();
      await db.end().catch(() => {});
    },
  };
}
