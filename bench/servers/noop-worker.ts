/**
 * BullMQ's own ceiling on this machine: a worker process whose job does nothing, on the same
 * store as Goalpost's (Redis, or PostgreSQL when only DATABASE_URL is given), with the
 * concurrency Goalpost's Stripe event worker uses.
 */
import { Worker, createPostgresBackend, withBackend } from 'bullmq';
import { POSTGRES_QUEUE_SCHEMA } from '../../src/queue/queues.js';

const concurrency = Number(process.env.CONCURRENCY ?? 8);
const queueName = process.env.QUEUE_NAME!;
const worker = process.env.REDIS_URL
  ? new Worker(queueName, async () => {}, {
      connection: { url: process.env.REDIS_URL, maxRetriesPerRequest: null },
      prefix: process.env.REDIS_PREFIX!,
      concurrency,
    })
  : new (withBackend(createPostgresBackend).Worker)(queueName, async () => {}, {
      connection: { connectionString: process.env.DATABASE_URL!, schema: POSTGRES_QUEUE_SCHEMA, migrate: true, max: concurrency + 1 },
      concurrency,
    });
worker.on('error', () => {});
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
