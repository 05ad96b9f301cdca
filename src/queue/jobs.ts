import type { JobsOptions } from 'bullmq';
import type { Config } from '../config.js';

/**
 * Every background job Goalpost runs: its name, the queue it lives on and its payload.
 * Payloads are a discriminated union so a handler receives exactly its own type.
 */
export const QUEUES = {
  stripeEvents: 'stripe-events',
  receipts: 'receipts',
  webhooks: 'webhooks',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /**
   * Wake-up: apply the stored Stripe events that are due, in batches, until none is left. Why it
   * was sent (new events stored, a retry's time, a replay, the sweeper, reconciliation) is for logs.
   */
  'stripe-event.process': { reason: 'ingest' | 'retry' | 'replay' | 'sweep' | 'reconcile' };
  /**
   * Render and send rows of `receipts` (receipts, copies, refund confirmations, statements…): the
   * mails one ledger batch recorded, or a single mail.
   */
  'receipt.send': { receiptIds: number[] };
  /** POST one consumer event to one endpoint: attempt number `attempt` (1-based) of that delivery. */
  'webhook.deliver': { deliveryId: string; attempt: number };
  /** Re-enqueue stored work that never reached the queue (Redis was down, a crash after commit). */
  'maintenance.sweep': Record<string, never>;
  /** Page through Stripe's events list for anything the webhooks missed. */
  'stripe.reconcile': Record<string, never>;
  /** Close months that ended in each campaign's timezone and announce their final figures. */
  'period.close': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'stripe-event.process': QUEUES.stripeEvents,
  'receipt.send': QUEUES.receipts,
  'webhook.deliver': QUEUES.webhooks,
  'maintenance.sweep': QUEUES.maintenance,
  'stripe.reconcile': QUEUES.maintenance,
  'period.close': QUEUES.maintenance,
};

/** Retry policy per job, applied wherever the job is enqueued. */
export function jobOptions(config: Config): Record<JobName, JobsOptions> {
  // Finished jobs stay a while for the queue dashboard, failed ones longer as evidence (BullMQ counts ages in seconds).
  const KEEP = {
    removeOnComplete: { age: Math.ceil(config.JOB_KEEP_COMPLETED_MS / 1000), count: 5_000 },
    removeOnFail: { age: Math.ceil(config.JOB_KEEP_FAILED_MS / 1000) },
  };
  return {
    'stripe-event.process': { ...KEEP, attempts: config.STRIPE_EVENT_ATTEMPTS, backoff: { type: 'exponential', delay: config.STRIPE_EVENT_BACKOFF_MS } },
    // Jitter spreads the retries of receipts that all failed during one SMTP outage.
    'receipt.send': { ...KEEP, attempts: config.RECEIPT_ATTEMPTS, backoff: { type: 'exponential', delay: config.RECEIPT_BACKOFF_MS, jitter: 0.2 } },
    // Deliveries schedule their own retries (the Standard Webhooks schedule), one job per attempt.
    'webhook.deliver': { ...KEEP, attempts: 1 },
    'maintenance.sweep': { removeOnComplete: true, removeOnFail: 100 },
    'stripe.reconcile': { removeOnComplete: true, removeOnFail: 100 },
    'period.close': { removeOnComplete: true, removeOnFail: 100 },
  };
}
