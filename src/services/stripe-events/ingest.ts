import { setTimeout as sleep } from 'node:timers/promises';
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
  // Checked to be an object, not rebuilt: a record schema would copy every event's object on the
  // hot path, and what the store keeps is the signed text, not this parse.
  data: z.object({ object: z.custom<Record<string, unknown>>(isJsonObject) }),
});

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One decoder for every delivery, with the settings Stripe's SDK decodes a Buffer with. */
const utf8 = new TextDecoder('utf-8');

const invalidSignature = (detail: string) => new AppError('invalid_signature', detail);

/**
 * Checks the Stripe-Signature header against the raw bytes with every configured secret (more
 * than one while a secret is being rotated), then that what was signed is a Stripe event. A
 * signature older (or newer) than `toleranceMs` (STRIPE_WEBHOOK_TOLERANCE_MS) is a replay.
 */
function verifyStripeEvent(
  stripe: Stripe,
  body: string,
  signature: string | undefined,
  secrets: readonly string[],
  toleranceMs: number,
): IncomingStripeEvent {
  if (!signature) throw invalidSignature('The Stripe-Signature header is missing.');
  // Given a string, the SDK verifies and parses it as it is: the body is decoded once, here.
  let verified: unknown = null;
  for (const secret of secrets) {
    try {
      verified = stripe.webhooks.constructEvent(body, signature, secret, toleranceMs / 1000);
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

/** PostgreSQL refused the value itself (a timestamp out of range): the body's fault. */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** An escape that may stand for text PostgreSQL cannot hold: NUL, or half of a surrogate pair. */
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i;
const UNSTORABLE_TEXT = /[\0\p{Cs}]/u;

function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE_TEXT.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnstorableText);
  return Object.entries(value).some(([key, item]) => UNSTORABLE_TEXT.test(key) || holdsUnstorableText(item));
}

/**
 * The payload column keeps the signed text as it is (json, not jsonb), so PostgreSQL no longer
 * refuses what its text type cannot hold — a NUL, a lone surrogate — and the handlers would meet
 * it instead. Such a body is refused at the door as before; only a body with a suspect escape
 * (a rare one) is looked into.
 */
function isStorable(body: string): boolean {
  return !SUSPECT_ESCAPE.test(body) || !holdsUnstorableText(JSON.parse(body));
}

const unstorable = () => new AppError('validation_failed', 'The event could not be stored as sent.');

interface VerifiedDelivery {
  event: IncomingStripeEvent;
  payloadJson: string;
}

type StoreOutcome = { stored: true } | { stored: false; error: AppError };

/** The store is down (or refused the batch for a reason that is not the body's fault). */
const storeUnavailable = () =>
  new AppError('service_unavailable', 'The event store is unavailable; retry later.', [], { 'Retry-After': '10' });

/** One event at a time: finds which delivery of a refused batch is at fault, and stores the rest. */
async function storeOne(deps: IngestDeps, delivery: VerifiedDelivery): Promise<StoreOutcome> {
  try {
    await insertStripeEvent(deps.db, delivery.event, delivery.payloadJson, 'webhook');
    return { stored: true };
  } catch (error) {
    if (isDataException(error)) return { stored: false, error: unstorable() };
    deps.logger.error({ err: error, eventId: delivery.event.id }, 'could not store a Stripe event');
    return { stored: false, error: storeUnavailable() };
  }
}

/**
 * How long a process waits after a wake-up before it sends the next: a woken worker claims until
 * nothing is due, so in a burst more wake-ups would only cost Redis round trips (they were 8 % of
 * the API's CPU in P3). The money of a batch committed meanwhile moves at most this much later.
 */
const WAKE_SPACING_MS = 20;

/**
 * Wake-ups for stored batches, at most one per WAKE_SPACING_MS. A wake-up sent after a batch's
 * commit covers it (the worker claims whatever is stored when it runs), so the batches committed
 * while one is on its way, or in the pause after it, are all covered by the single next one: a
 * burst costs a few jobs, not one per batch, and no answer waits for Redis. A lost wake-up is the
 * sweeper's to make good, as with Redis away.
 */
function wakeUpsAfterCommit(deps: IngestDeps): () => void {
  let sending = false;
  let again = false;
  const send = async () => {
    do {
      again = false;
      if (!(await wakeEventWorkers(deps.queues, 'ingest'))) {
        deps.logger.warn('Stripe events stored but no worker woken (queue store away?); the sweeper will wake one');
      }
      // Unreferenced: a process stopping in the pause leaves the last batches to the sweeper.
      await sleep(WAKE_SPACING_MS, undefined, { ref: false });
    } while (again);
    sending = false;
  };
  return () => {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    void send();
  };
}

/**
 * Stores a batch of verified deliveries with one INSERT (one commit, one WAL flush for all of
 * them), then asks for a wake-up. A batch the database refuses as a whole is retried event by
 * event, so one bad body cannot fail its neighbours.
 */
async function store(deps: IngestDeps, wake: () => void, batch: VerifiedDelivery[]): Promise<StoreOutcome[]> {
  let outcomes: StoreOutcome[];
  try {
    await insertStripeEvents(deps.db, batch, 'webhook');
    outcomes = batch.map(() => ({ stored: true }));
  } catch {
    outcomes = await Promise.all(batch.map((delivery) => storeOne(deps, delivery)));
  }
  if (outcomes.some((outcome) => outcome.stored)) wake();
  return outcomes;
}

type IngestDeps = Pick<AppContext, 'db' | 'queues' | 'stripe' | 'config' | 'logger'>;

export interface WebhookIngest {
  /** POST /v1/webhooks/stripe: verify, store once, answer; a worker is woken after the commit. */
  ingest(rawBody: Buffer, signature: string | undefined): Promise<{ eventId: string }>;
}

/**
 * Nothing but verification and storage happens on Stripe's clock; processing runs in the
 * workers. Deliveries arriving together are stored together (group commit), which is what
 * keeps the acknowledgement fast when Stripe sends many events at once.
 */
export function createWebhookIngest(deps: IngestDeps): WebhookIngest {
  const wake = wakeUpsAfterCommit(deps);
  const batches = new Batcher<VerifiedDelivery, StoreOutcome>((batch) => store(deps, wake, batch), {
    maxBatch: 200,
    maxInFlight: 2,
  });
  return {
    async ingest(rawBody, signature) {
      const body = utf8.decode(rawBody);
      const event = verifyStripeEvent(deps.stripe, body, signature, deps.config.stripeWebhookSecrets, deps.config.STRIPE_WEBHOOK_TOLERANCE_MS);
      if (!isStorable(body)) throw unstorable();
      const outcome = await batches.submit({ event, payloadJson: body });
      if (!outcome.stored) throw outcome.error;
      stripeEventsReceived.inc({ type: event.type });
      return { eventId: event.id };
    },
  };
}
