import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { insertStripeEvent, insertStripeEvents, type IncomingStripeEvent } from '../../db/stripe-events.js';
import { Batcher } from '../batcher.js';
import type { Stripe } from '../../integrations/stripe.js';
import type { JobPayloads } from '../../queue/jobs.js';
import type { Queues } from '../../queue/queues.js';
import { stripeEventsReceived } from '../../metrics.js';

/** Year 3000: anything later is not a Stripe timestamp. */
const LATEST_CREATED = 32_503_680_000;

const eventShape = z.object({
  id: z.string().regex(/^evt_\w{1,250}$/),
  type: z.string().regex(/^[a-z0-9_.]{1,200}$/),
  created: z.number().int().min(0).max(LATEST_CREATED),
  livemode: z.boolean().default(false),
  api_version: z.string().max(100).nullable().default(null),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const invalidSignature = (detail: string) => new AppError('invalid_signature', detail);

/**
 * Checks the Stripe-Signature header against the raw bytes with every configured secret (more
 * than one while a secret is being rotated), then that what was signed is a Stripe event. A
 * signature older (or newer) than `toleranceMs` (STRIPE_WEBHOOK_TOLERANCE_MS) is a replay.
 */
export function verifyStripeEvent(
  stripe: Stripe,
  rawBody: Buffer,
  signature: string | undefined,
  secrets: readonly string[],
  toleranceMs: number,
): IncomingStripeEvent {
  if (!signature) throw invalidSignature('The Stripe-Signature header is missing.');
  let verified: unknown = null;
  for (const secret of secrets) {
    try {
      verified = stripe.webhooks.constructEvent(rawBody, signature, secret, toleranceMs / 1000);
      break;
    } catch {
      // try the next secret
    }
  }
  if (!verified) throw invalidSignature('The Stripe-Signature header does not match the body, or is too old.');
  const parsed = eventShape.safeParse(verified);
  if (!parsed.success) throw invalidSignature('The signed body is not a Stripe event.');
  const { id, type, created, livemode, api_version } = parsed.data;
  return { id, type, created, livemode, api_version };
}

export type WakeReason = JobPayloads['stripe-event.process']['reason'];

/**
 * Wakes a worker to apply the stored events that are due (one job for any number of events: the
 * worker claims them from the table in batches). Never waits long and never throws: with Redis
 * the queue store away the events are already stored, and the sweeper wakes a worker for events left waiting.
 * `delayMs` schedules the wake-up for a retry's time.
 */
export async function wakeEventWorkers(queues: Queues, reason: WakeReason, delayMs = 0): Promise<boolean> {
  if (!queues.transport.reachable()) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), queues.transport.enqueueTimeoutMs);
  });
  const added = queues
    .enqueue('stripe-event.process', { reason }, delayMs ? { delay: delayMs } : {})
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([added, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** PostgreSQL refused the value itself (a NUL character, a timestamp out of range): the body's fault. */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22');
}

interface VerifiedDelivery {
  event: IncomingStripeEvent;
  payloadJson: string;
}

type StoreOutcome = { stored: true; queued: boolean } | { stored: false; error: AppError };

/** The store is down (or refused the batch for a reason that is not the body's fault). */
const storeUnavailable = () =>
  new AppError('service_unavailable', 'The event store is unavailable; retry later.', [], { 'Retry-After': '10' });

/** One event at a time: finds which delivery of a refused batch is at fault, and stores the rest. */
async function storeOne(deps: IngestDeps, delivery: VerifiedDelivery): Promise<StoreOutcome> {
  try {
    await insertStripeEvent(deps.db, delivery.event, delivery.payloadJson, 'webhook');
    return { stored: true, queued: false };
  } catch (error) {
    if (isDataException(error)) return { stored: false, error: new AppError('validation_failed', 'The event could not be stored as sent.') };
    deps.logger.error({ err: error, eventId: delivery.event.id }, 'could not store a Stripe event');
    return { stored: false, error: storeUnavailable() };
  }
}

/**
 * Stores a batch of verified deliveries with one INSERT (one commit, one WAL flush for all of
 * them), then wakes a worker with one job for all of them. A batch the database refuses as a whole
 * is retried event by event, so one bad body cannot fail its neighbours.
 */
async function storeAndQueue(deps: IngestDeps, batch: VerifiedDelivery[]): Promise<StoreOutcome[]> {
  let outcomes: StoreOutcome[];
  try {
    await insertStripeEvents(deps.db, batch, 'webhook');
    outcomes = batch.map(() => ({ stored: true, queued: false }));
  } catch {
    outcomes = await Promise.all(batch.map((delivery) => storeOne(deps, delivery)));
  }
  const queued = outcomes.some((outcome) => outcome.stored) && (await wakeEventWorkers(deps.queues, 'ingest'));
  return outcomes.map((outcome) => (outcome.stored ? { stored: true, queued } : outcome));
}

type IngestDeps = Pick<AppContext, 'db' | 'queues' | 'stripe' | 'config' | 'logger'>;

export interface WebhookIngest {
  /** POST /v1/webhooks/stripe: verify, store once, enqueue after the commit, answer. */
  ingest(rawBody: Buffer, signature: string | undefined): Promise<{ eventId: string; queued: boolean }>;
}

/**
 * Nothing but verification and storage happens on Stripe's clock; processing runs in the
 * workers. Deliveries arriving together are stored together (group commit), which is what
 * keeps the acknowledgement fast when Stripe sends many events at once.
 */
export function createWebhookIngest(deps: IngestDeps): WebhookIngest {
  const batches = new Batcher<VerifiedDelivery, StoreOutcome>((batch) => storeAndQueue(deps, batch), {
    maxBatch: 200,
    maxInFlight: 2,
  });
  return {
    async ingest(rawBody, signature) {
      const event = verifyStripeEvent(deps.stripe, rawBody, signature, deps.config.stripeWebhookSecrets, deps.config.STRIPE_WEBHOOK_TOLERANCE_MS);
      const outcome = await batches.submit({ event, payloadJson: rawBody.toString('utf8') });
      if (!outcome.stored) throw outcome.error;
      stripeEventsReceived.inc({ type: event.type });
      if (!outcome.queued) deps.logger.warn({ eventId: event.id }, 'Stripe event stored but not queued (queue store away?); the sweeper will queue it');
      return { eventId: event.id, queued: outcome.queued };
    },
  };
}
