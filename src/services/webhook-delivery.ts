import { Webhook } from 'standardwebhooks';
import type { AppContext } from '../context.js';
import { conflict, notFound } from '../errors.js';
import { withTransaction, type Queryable } from '../db/pool.js';
import {
  cancelDelivery,
  claimDelivery,
  disableEndpoint,
  endpointSucceededSince,
  findDelivery,
  findDeliveryWithAttempts,
  findEndpoint,
  findEvent,
  insertAttempt,
  overdueDeliveries,
  requestManualAttempt,
  settleDelivery,
  type DeliveryStatus,
  type DeliveryWithAttempts,
  type DisabledReason,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../db/webhooks.js';
import { redactUrl } from '../domain/redact.js';
import { attemptOutcome, nextAttemptDelay } from '../domain/webhook-retry.js';
import { postGuarded, type PostResult } from '../integrations/outbound-http.js';
import { webhookDeliveries } from '../metrics.js';
import { QUEUES } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { ConsumerEventBody } from './consumer-events.js';

/**
 * Delivery of consumer events to webhook endpoints (Standard Webhooks): one delivery per
 * endpoint and event, one BullMQ job per attempt, every attempt recorded.
 */

type Deps = Pick<AppContext, 'config' | 'db' | 'queues' | 'logger'>;

/** Bytes of a receiver's answer kept with each attempt. */
export const RESPONSE_BODY_LIMIT = 1024;
const USER_AGENT = 'Goalpost-Webhooks/1.0';

/** The secrets that sign now: the current one, plus the previous one during its overlap. */
function signingSecrets(endpoint: Pick<WebhookEndpointRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>, now: Date): string[] {
  const previousValid =
    endpoint.previous_secret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now;
  return previousValid ? [endpoint.secret, endpoint.previous_secret!] : [endpoint.secret];
}

/** `webhook-signature`: one `v1,<base64>` per secret, space-separated, as the spec allows. */
function signatureHeader(secrets: string[], msgId: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(msgId, timestamp, body)).join(' ');
}

function deliverJobId(deliveryId: string, attempt: number): string {
  return `deliver-${deliveryId}-${attempt}`;
}

/**
 * Makes sure one live job exists for this attempt. The job id is derived from delivery and
 * attempt, so asking twice is one job; a finished job under that id (it found nothing to do,
 * or crashed) is replaced, and a delayed one is brought forward when the attempt is due now.
 */
async function ensureAttemptQueued(queues: Queues, deliveryId: string, attempt: number, delayMs: number): Promise<boolean> {
  const jobId = deliverJobId(deliveryId, attempt);
  if (delayMs === 0) {
    const existing = await (await queues.ready(QUEUES.webhooks)).getJob(jobId);
    if (existing && (await existing.getState()) === 'delayed') {
      await existing.promote();
      return true;
    }
  }
  return queues.ensure('webhook.deliver', { deliveryId, attempt }, { jobId, delay: delayMs });
}

async function disable(deps: Deps, db: Queryable, endpoint: WebhookEndpointRow, reason: DisabledReason, deliveryId: string) {
  if (await disableEndpoint(db, endpoint.id, reason)) {
    deps.logger.warn({ endpointId: endpoint.id, url: redactUrl(endpoint.url), reason, deliveryId }, 'webhook endpoint disabled');
  }
}

function describeFailure(result: PostResult): string | null {
  if (result.kind === 'error') return result.error;
  return result.status >= 200 && result.status < 300 ? null : `answered HTTP ${result.status}`;
}

/**
 * Writes the attempt and what follows from it in one transaction: success, the next attempt
 * of the schedule, or the end of it. Returns the delay of the next attempt, if any.
 */
async function recordAttempt(
  deps: Deps,
  input: { delivery: WebhookDeliveryRow; endpoint: WebhookEndpointRow; attempt: number; result: PostResult; at: Date },
): Promise<number | null> {
  const { delivery, endpoint, attempt, result, at } = input;
  const outcome = attemptOutcome(result);
  return withTransaction(deps.db, async (client) => {
    await insertAttempt(client, {
      deliveryId: delivery.id,
      attempt,
      trigger: delivery.manual_retry ? 'manual' : 'schedule',
      attemptedAt: at,
      statusCode: result.kind === 'response' ? result.status : null,
      latencyMs: result.latencyMs,
      responseBody: result.kind === 'response' ? result.body : null,
      error: result.kind === 'error' ? result.error : null,
    });
    let status: DeliveryStatus = outcome === 'succeeded' ? 'succeeded' : 'failed';
    let delay: number | null = null;
    if (outcome === 'gone') {
      await disable(deps, client, endpoint, 'gone', delivery.id);
    } else if (outcome === 'failed' && !delivery.manual_retry) {
      delay = nextAttemptDelay({
        schedule: deps.config.WEBHOOK_RETRY_SCHEDULE_MS,
        retryAfterCapMs: deps.config.WEBHOOK_RETRY_AFTER_CAP_MS,
        attemptsMade: attempt,
        result,
        now: at,
      });
      if (delay !== null) {
        status = 'pending';
      } else if (!(await endpointSucceededSince(client, endpoint.id, delivery.created_at))) {
        // The whole schedule failed and nothing else got through meanwhile: the endpoint is down.
        await disable(deps, client, endpoint, 'failing', delivery.id);
      }
    }
    await settleDelivery(client, delivery.id, {
      status,
      attempts: attempt,
      nextAttemptAt: delay === null ? null : new Date(at.getTime() + delay),
      lastStatusCode: result.kind === 'response' ? result.status : null,
      lastError: describeFailure(result),
    });
    return delay;
  });
}

/** One attempt of one delivery: the job body of 'webhook.deliver'. A stale or duplicate job does nothing. */
export async function attemptDelivery(deps: Deps, deliveryId: string, attempt: number): Promise<void> {
  const { config, db } = deps;
  // The claim outlives the request's own timeout, so only a crashed worker's delivery frees itself.
  const delivery = await claimDelivery(db, deliveryId, attempt, config.WEBHOOK_TIMEOUT_MS + config.WEBHOOK_CLAIM_MARGIN_MS);
  if (!delivery) return;
  const [endpoint, event] = await Promise.all([findEndpoint(db, delivery.endpoint_id), findEvent(db, delivery.event_id)]);
  if (!endpoint || !event) return;
  if (!endpoint.enabled) {
    await cancelDelivery(db, delivery.id, 'endpoint disabled');
    return;
  }
  const at = new Date();
  // jsonb hands keys back in its own order; consumers read {type, timestamp, data} first-to-last.
  const { type, timestamp, data } = event.payload as ConsumerEventBody;
  const body = JSON.stringify({ type, timestamp, data });
  const result = await postGuarded({
    url: endpoint.url,
    headers: {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      // The event id: the same for every attempt and endpoint, so receivers can deduplicate.
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatureHeader(signingSecrets(endpoint, at), event.id, at, body),
    },
    body,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    responseLimit: RESPONSE_BODY_LIMIT,
  });
  const nextDelay = await recordAttempt(deps, { delivery, endpoint, attempt, result, at });
  webhookDeliveries.inc({ outcome: nextDelay === null ? attemptOutcome(result) : 'retry_scheduled' });
  if (nextDelay !== null) await ensureAttemptQueued(deps.queues, delivery.id, attempt + 1, nextDelay);
}

/**
 * An admin's "send it again": one attempt now, outside the schedule, for a delivery that is not
 * already being attempted and whose endpoint is enabled.
 */
export async function retryDelivery(deps: Deps, deliveryId: string): Promise<DeliveryWithAttempts> {
  const delivery = await withTransaction(deps.db, async (client) => {
    const found = await findDelivery(client, deliveryId, { forUpdate: true });
    if (!found) throw notFound(`Webhook delivery "${deliveryId}"`);
    if (found.status === 'pending') throw conflict('This delivery is still pending; its next attempt is already queued.');
    const endpoint = await findEndpoint(client, found.endpoint_id);
    if (!endpoint?.enabled) throw conflict('The endpoint of this delivery is disabled; enable it before retrying.');
    return requestManualAttempt(client, deliveryId);
  });
  try {
    await ensureAttemptQueued(deps.queues, delivery.id, delivery.attempts + 1, 0);
  } catch (error) {
    // The delivery is recorded as due; the sweeper queues it once Redis answers again.
    deps.logger.warn({ err: error, deliveryId }, 'manual webhook retry not queued yet');
  }
  return (await findDeliveryWithAttempts(deps.db, delivery.id))!;
}

/**
 * Sweeper: attempts that are due but have no live job (Redis lost it, a crash after commit),
 * once WEBHOOK_OVERDUE_GRACE_MS past due, so delayed jobs that are merely late are left alone.
 */
export async function requeueOverdueDeliveries(deps: Deps): Promise<number> {
  let requeued = 0;
  for (const delivery of await overdueDeliveries(deps.db, deps.config.WEBHOOK_OVERDUE_GRACE_MS, 500)) {
    if (await ensureAttemptQueued(deps.queues, delivery.id, delivery.attempts + 1, 0)) requeued += 1;
  }
  return requeued;
}
