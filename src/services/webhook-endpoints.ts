import { randomBytes } from 'node:crypto';
import { AppError, notFound } from '../errors.js';
import { withTransaction, type Db } from '../db/pool.js';
import {
  disableEndpoint,
  findEndpoint,
  insertEndpoint,
  rotateEndpointSecret,
  updateEndpoint,
  type DeliveryWithAttempts,
  type WebhookEndpointRow,
} from '../db/webhooks.js';
import { checkTarget, UnresolvableTargetError, UnsafeTargetError } from '../integrations/outbound-http.js';
import { SECRET_OVERLAP_MS } from './webhook-delivery.js';

/** Reads the admin API serves as the database returns them. */
export { deleteEndpoint, findEndpoint, listDeliveries, listEndpoints } from '../db/webhooks.js';

/** Registration waits this long for DNS before answering 503. */
const RESOLVE_TIMEOUT_MS = 5_000;
const NO_SUCH_HOST = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

/** `whsec_` + base64 of 32 random bytes: the format the standardwebhooks libraries read. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function newEndpointId(): string {
  return `ep_${randomBytes(12).toString('hex')}`;
}

/** The SSRF guard at registration: the same check every delivery repeats. */
export async function assertSafeWebhookUrl(url: string, allowPrivate: boolean): Promise<void> {
  try {
    await checkTarget(url, { allowPrivate, signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS) });
  } catch (error) {
    if (error instanceof UnsafeTargetError) {
      const hint = error.refused === 'address' ? ' WEBHOOK_ALLOW_PRIVATE_TARGETS=true lifts this check for local development.' : '';
      throw new AppError('unsafe_webhook_target', `This URL cannot receive webhooks: ${error.message}.${hint}`, [
        { field: 'url', message: error.message },
      ]);
    }
    if (error instanceof UnresolvableTargetError && NO_SUCH_HOST.has(error.code ?? '')) {
      throw new AppError('validation_failed', 'The webhook URL is not valid.', [{ field: 'url', message: error.message }]);
    }
    throw new AppError('service_unavailable', 'The webhook URL could not be resolved right now; try again.', [], { 'Retry-After': '5' });
  }
}

export function endpointResource(endpoint: WebhookEndpointRow, now = new Date()) {
  const overlapEnds = endpoint.previous_secret_expires_at;
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabled_reason,
    disabled_at: endpoint.disabled_at?.toISOString() ?? null,
    previous_secret_expires_at: endpoint.previous_secret && overlapEnds && overlapEnds > now ? overlapEnds.toISOString() : null,
    created_at: endpoint.created_at.toISOString(),
    updated_at: endpoint.updated_at.toISOString(),
  };
}

export function deliveryResource(delivery: DeliveryWithAttempts) {
  return {
    id: delivery.id,
    endpoint_id: delivery.endpoint_id,
    event_id: delivery.event_id,
    event_type: delivery.event_type,
    status: delivery.status,
    attempt_count: delivery.attempts,
    next_attempt_at: delivery.next_attempt_at?.toISOString() ?? null,
    last_status_code: delivery.last_status_code,
    last_error: delivery.last_error,
    created_at: delivery.created_at.toISOString(),
    updated_at: delivery.updated_at.toISOString(),
    attempts: delivery.attempt_log,
  };
}

/** ["*"] stays alone; a list is deduplicated and sorted so equal subscriptions look equal. */
export function normalizeEvents(events: string[]): string[] {
  return events.includes('*') ? ['*'] : [...new Set(events)].sort();
}

export async function createEndpoint(
  db: Db,
  input: { url: string; events: string[]; description: string },
  allowPrivate: boolean,
): Promise<WebhookEndpointRow> {
  await assertSafeWebhookUrl(input.url, allowPrivate);
  return insertEndpoint(db, {
    id: newEndpointId(),
    url: input.url,
    description: input.description,
    events: normalizeEvents(input.events),
    secret: newWebhookSecret(),
  });
}

export async function patchEndpoint(
  db: Db,
  id: string,
  patch: Partial<{ url: string; events: string[]; description: string; enabled: boolean }>,
  allowPrivate: boolean,
): Promise<WebhookEndpointRow> {
  if (patch.url !== undefined) await assertSafeWebhookUrl(patch.url, allowPrivate);
  return withTransaction(db, async (client) => {
    const current = await findEndpoint(client, id, { forUpdate: true });
    if (!current) throw notFound(`Webhook endpoint "${id}"`);
    const enabled = patch.enabled ?? current.enabled;
    // Turning it off is a disabling like any other: recorded, and waiting retries canceled.
    if (current.enabled && !enabled) await disableEndpoint(client, id, 'manual');
    return updateEndpoint(client, id, {
      url: patch.url ?? current.url,
      description: patch.description ?? current.description,
      events: patch.events ? normalizeEvents(patch.events) : current.events,
      enabled,
    });
  });
}

export async function rotateSecret(db: Db, id: string): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = newWebhookSecret();
  const endpoint = await rotateEndpointSecret(db, id, secret, SECRET_OVERLAP_MS);
  if (!endpoint) throw notFound(`Webhook endpoint "${id}"`);
  return { endpoint, secret };
}
