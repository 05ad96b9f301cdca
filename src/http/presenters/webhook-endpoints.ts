import type { DeliveryWithAttempts, WebhookEndpointRow } from '../../db/webhooks.js';

/** A consumer webhook endpoint as the admin API shows it: never its secret (only create and rotate return that). */
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
    // The old secret still signs until then; once the overlap is over it is history, not state.
    previous_secret_expires_at: endpoint.previous_secret && overlapEnds && overlapEnds > now ? overlapEnds.toISOString() : null,
    created_at: endpoint.created_at.toISOString(),
    updated_at: endpoint.updated_at.toISOString(),
  };
}

/** One delivery of one event to one endpoint, with every attempt made so far. */
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
