import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestHandler } from 'express';
import type { Queues } from './queue/queues.js';
import { QUEUES } from './queue/jobs.js';

/**
 * Goalpost's Prometheus metrics, on a registry of its own so nothing else in the process (a
 * library's default registry) leaks into /metrics. Code anywhere imports the counters it feeds.
 * Label values are bounded sets (event types, job names, outcomes), never ids or raw URLs.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'goalpost_' });

export const httpRequestDuration = new Histogram({
  name: 'goalpost_http_request_duration_seconds',
  help: 'HTTP request latency by route pattern and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const stripeEventsReceived = new Counter({
  name: 'goalpost_stripe_events_received_total',
  help: 'Verified Stripe events accepted by the webhook endpoint (or found by reconciliation), by type',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const stripeEventsProcessed = new Counter({
  name: 'goalpost_stripe_events_processed_total',
  help: 'Stripe events handled, by type and outcome (processed, ignored, or deferred until the payment they belong to)',
  labelNames: ['type', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const stripeEventsFailed = new Counter({
  name: 'goalpost_stripe_events_failed_total',
  help: 'Stripe event processing attempts that failed, by type',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const queueJobs = new Gauge({
  name: 'goalpost_queue_jobs',
  help: 'Jobs per queue and state, read from Redis at scrape time',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'goalpost_job_duration_seconds',
  help: 'Background job run time by job name and outcome',
  labelNames: ['job', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export const donationsSucceeded = new Counter({
  name: 'goalpost_donations_total',
  help: 'Donations that succeeded, by currency and frequency',
  labelNames: ['currency', 'frequency'] as const,
  registers: [metricsRegistry],
});

export const donationAmount = new Counter({
  name: 'goalpost_donation_amount_minor_units_total',
  help: 'Sum of succeeded donations in the currency minor unit, by currency',
  labelNames: ['currency'] as const,
  registers: [metricsRegistry],
});

export const refundsRequested = new Counter({
  name: 'goalpost_refunds_requested_total',
  help: 'Refunds requested from Stripe through the admin API, by outcome (accepted, or failed at Stripe)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const receiptsSent = new Counter({
  name: 'goalpost_receipts_sent_total',
  help: 'Mails sent (receipts, copies, refund confirmations, statements), by kind',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const receiptsFailed = new Counter({
  name: 'goalpost_receipts_failed_total',
  help: 'Mail send attempts that failed, by kind',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'goalpost_webhook_deliveries_total',
  help: 'Consumer webhook delivery attempts, by outcome (succeeded, retry_scheduled, failed for good, gone: 410 disabled the endpoint)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const sseConnections = new Gauge({
  name: 'goalpost_sse_connections',
  help: 'Open live-progress (Server-Sent Events) connections in this process',
  registers: [metricsRegistry],
});

export const sseFanOutDuration = new Histogram({
  name: 'goalpost_sse_fanout_seconds',
  help: 'A progress change pushed to the streams of this process: re-reading the figures (phase=read), then writing them to every reader (phase=write)',
  labelNames: ['phase'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** Mail outcomes in one call so every send site reports both ways the same. */
export function countReceipt(kind: string, outcome: 'sent' | 'failed'): void {
  (outcome === 'sent' ? receiptsSent : receiptsFailed).inc({ kind });
}

export function countDonation(donation: { amount: number; currency: string; frequency: string }): void {
  donationsSucceeded.inc({ currency: donation.currency, frequency: donation.frequency });
  donationAmount.inc({ currency: donation.currency }, donation.amount);
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

/** Queue depths are read on scrape: the numbers live in Redis, shared by every process. */
export async function collectQueueDepths(queues: Queues): Promise<void> {
  await Promise.all(
    Object.values(QUEUES).map(async (name) => {
      const counts = await queues.queue(name).getJobCounts(...JOB_STATES);
      for (const state of JOB_STATES) queueJobs.set({ queue: name, state }, counts[state] ?? 0);
    }),
  );
}

/**
 * Times every response under the route pattern that handled it (`/v1/campaigns/:slug`), so ids
 * in URLs never become label values; requests no route matched share one label. Live streams
 * are left out: their duration is the visitor's reading time, not latency.
 */
export const observeHttp: RequestHandler = (req, res, next) => {
  const stop = httpRequestDuration.startTimer();
  res.on('finish', () => {
    if (res.getHeader('Content-Type')?.toString().startsWith('text/event-stream')) return;
    const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || 'unmatched';
    stop({ method: req.method, route, status_code: String(res.statusCode) });
  });
  next();
};
