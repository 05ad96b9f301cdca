import { randomBytes } from 'node:crypto';
import { AppError, notFound } from '../errors.js';
import { withTransaction, type Db, type Queryable } from '../db/pool.js';
import {
  deleteEndpoint,
  disableEndpoint,
  findEndpoint,
  insertEndpoint,
  listDeliveries,
  rotateEndpointSecret,
  updateEndpoint,
  type DeliveryWithAttempts,
  type WebhookEndpointRow,
} from '../db/webhooks.js';
import { checkTarget, UnresolvableTargetError, UnsafeTargetError } from '../integrations/outbound-http.js';

/** The admin list of endpoints is a plain keyset read: no rule stands between it and the table. */
export { listEndpoints } from '../db/webhooks.js';

const NO_SUCH_HOST = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

/** `whsec_` + base64 of 32 random bytes: the format the standardwebhooks libraries read. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function newEndpointId(): string {
  return `ep_${randomBytes(12).toString('hex')}`;
}

/** What a registration may target: private addresses (development only), and how long its DNS may take before 503. */
export interface TargetPolicy {
  allowPrivate: boolean;
  resolveTimeoutMs: number;
}

/** The SSRF guard at registration: the same check every delivery repeats. */
async function assertSafeWebhookUrl(url: string, policy: TargetPolicy): Promise<void> {
  try {
    await checkTarget(url, { allowPrivate: policy.allowPrivate, signal: AbortSignal.timeout(policy.resolveTimeoutMs) });
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

/** ["*"] stays alone; a list is deduplicated and sorted so equal subscriptions look equal. */
export function normalizeEvents(events: string[]): string[] {
  return events.includes('*') ? ['*'] : [...new Set(events)].sort();
}

export async function createEndpoint(
  db: Db,
  input: { url: string; events: string[]; description: string },
  policy: TargetPolicy,
): Promise<WebhookEndpointRow> {
  await assertSafeWebhookUrl(input.url, policy);
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
  policy: TargetPolicy,
): Promise<WebhookEndpointRow> {
  if (patch.url !== undefined) await assertSafeWebhookUrl(patch.url, policy);
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

/** A new signing secret; the old one keeps signing beside it for `overlapMs` (WEBHOOK_SECRET_OVERLAP_MS). */
export async function rotateSecret(db: Db, id: string, overlapMs: number): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = newWebhookSecret();
  const endpoint = await rotateEndpointSecret(db, id, secret, overlapMs);
  if (!endpoint) throw notFound(`Webhook endpoint "${id}"`);
  return { endpoint, secret };
}

/** The endpoint a request names; an unknown id is the typed not_found error (404). */
export async function requireEndpoint(db: Queryable, id: string): Promise<WebhookEndpointRow> {
  const endpoint = await findEndpoint(db, id);
  if (!endpoint) throw notFound(`Webhook endpoint "${id}"`);
  return endpoint;
}

/** Deletes an endpoint with its delivery history; deleting one that is not there is 404, not a silent success. */
export async function removeEndpoint(db: Queryable, id: string): Promise<void> {
  if (!(await deleteEndpoint(db, id))) throw notFound(`Webhook endpoint "${id}"`);
}

/** A page of an endpoint's deliveries; an unknown endpoint is 404 rather than an empty page. */
export async function endpointDeliveries(
  db: Queryable,
  id: string,
  page: Parameters<typeof listDeliveries>[2],
): Promise<DeliveryWithAttempts[]> {
  await requireEndpoint(db, id);
  return listDeliveries(db, id, page);
}
