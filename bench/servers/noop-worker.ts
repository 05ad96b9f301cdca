/**
 * BullMQ's own ceiling on this machine: a worker process whose job does nothing, on the same
 * Redis, with the concurrency Goalpost's Stripe event worker uses.
 */
import { Worker } from 'bullmq';

const worker = new Worker(process.env.QUEUE_NAME!, async () => {}, {
  connection: { url: process.env.REDIS_URL!, maxRetriesPerRequest: null },
  prefix: process.env.REDIS_PREFIX!,
  concurrency: Number(process.env.CONCURRENCY ?? 8),
});
worker.on('error', () => {});
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
