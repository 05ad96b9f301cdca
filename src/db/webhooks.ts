import type { OutboxRow } from './outbox.js';
import type { Queryable } from './pool.js';

export type DisabledReason = 'manual' | 'gone' | 'failing';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string;
  events: string[];
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  enabled: boolean;
  disabled_reason: DisabledReason | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookEventRow {
  id: string;
  type: string;
  payload: unknown;
  created_at: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  manual_retry: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookAttemptRow {
  attempt: number;
  trigger: 'schedule' | 'manual';
  attempted_at: string;
  status_code: number | null;
  latency_ms: number;
  response_body: string | null;
  error: string | null;
}

export type DeliveryWithAttempts = WebhookDeliveryRow & { event_type: string; attempt_log: WebhookAttemptRow[] };

const ENDPOINT_COLUMNS = `id, url, description, events, secret, previous_secret, previous_secret_expires_at,
  enabled, disabled_reason, disabled_at, created_at, updated_at`;
const DELIVERY_COLUMNS = `id, endpoint_id, event_id, status, attempts, next_attempt_at, last_status_code, last_error,
  manual_retry, created_at, updated_at`;

export async function insertEndpoint(
  db: Queryable,
  endpoint: { id: string; url: string; description: string; events: string[]; secret: string },
): Promise<WebhookEndpointRow> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `INSERT INTO webhook_endpoints (id, url, description, events, secret) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${ENDPOINT_COLUMNS}`,
    [endpoint.id, endpoint.url, endpoint.description, endpoint.events, endpoint.secret],
  );
  return rows[0]!;
}

export async function findEndpoint(db: Queryable, id: string, options: { forUpdate?: boolean } = {}) {
  const { rows } = await db.query<WebhookEndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function listEndpoints(
  db: Queryable,
  page: { limit: number; after?: { created_at: string; id: string } },
): Promise<WebhookEndpointRow[]> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
     WHERE $2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::text)
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    [page.limit, page.after?.created_at ?? null, page.after?.id ?? null],
  );
  return rows;
}

export async function updateEndpoint(
  db: Queryable,
  id: string,
  fields: { url: string; description: string; events: string[]; enabled: boolean },
): Promise<WebhookEndpointRow> {
  // Re-enabling clears the record of why it was disabled; disabling goes through disableEndpoint.
  const { rows } = await db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints SET url = $2, description = $3, events = $4,
       enabled = $5,
       disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END,
       disabled_at = CASE WHEN $5 THEN NULL ELSE disabled_at END,
       updated_at = now()
     WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [id, fields.url, fields.description, fields.events, fields.enabled],
  );
  return rows[0]!;
}

/**
 * Disables an enabled endpoint and cancels its deliveries still waiting for a retry (they stay
 * listed; an admin can retry them once the endpoint is enabled again). False when it already was.
 */
export async function disableEndpoint(db: Queryable, id: string, reason: DisabledReason): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
     WHERE id = $1 AND enabled`,
    [id, reason],
  );
  if (rowCount !== 1) return false;
  await db.query(
    `UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = NULL, manual_retry = false,
       last_error = COALESCE(last_error, 'endpoint disabled'), updated_at = now()
     WHERE endpoint_id = $1 AND status = 'pending' AND (locked_until IS NULL OR locked_until < now())`,
    [id],
  );
  return true;
}

export async function rotateEndpointSecret(
  db: Queryable,
  id: string,
  secret: string,
  overlapMs: number,
): Promise<WebhookEndpointRow | null> {
  const { rows } = await db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints SET previous_secret = secret, secret = $2,
       previous_secret_expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
     WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [id, secret, overlapMs],
  );
  return rows[0] ?? null;
}

export async function deleteEndpoint(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
  return rowCount === 1;
}

export async function findEvent(db: Queryable, id: string): Promise<WebhookEventRow | null> {
  const { rows } = await db.query<WebhookEventRow>(
    `SELECT id, type, payload, created_at FROM webhook_events WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Takes a pending delivery for its attempt number `attempt`, for `lockMs`. Null when the
 * attempt was made already, the delivery is no longer pending or another worker holds it.
 */
export async function claimDelivery(
  db: Queryable,
  id: string,
  attempt: number,
  lockMs: number,
): Promise<WebhookDeliveryRow | null> {
  const { rows } = await db.query<WebhookDeliveryRow>(
    `UPDATE webhook_deliveries SET locked_until = now() + $3 * interval '1 millisecond'
     WHERE id = $1 AND status = 'pending' AND attempts = $2 - 1
       AND (locked_until IS NULL OR locked_until < now())
     RETURNING ${DELIVERY_COLUMNS}`,
    [id, attempt, lockMs],
  );
  return rows[0] ?? null;
}

export async function insertAttempt(
  db: Queryable,
  attempt: {
    deliveryId: string;
    attempt: number;
    trigger: 'schedule' | 'manual';
    /** When the request started (the latency runs from here). */
    attemptedAt: Date;
    statusCode: number | null;
    latencyMs: number;
    responseBody: string | null;
    error: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_attempts (delivery_id, attempt, trigger, attempted_at, status_code, latency_ms, response_body, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      attempt.deliveryId, attempt.attempt, attempt.trigger, attempt.attemptedAt, attempt.statusCode, attempt.latencyMs,
      attempt.responseBody, attempt.error,
    ],
  );
}

/** Records the state after an attempt and releases the claim. */
export async function settleDelivery(
  db: Queryable,
  id: string,
  state: {
    status: DeliveryStatus;
    attempts: number;
    nextAttemptAt: Date | null;
    lastStatusCode: number | null;
    lastError: string | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, last_status_code = $5,
       last_error = $6, manual_retry = false, locked_until = NULL, updated_at = now()
     WHERE id = $1`,
    [id, state.status, state.attempts, state.nextAttemptAt, state.lastStatusCode, state.lastError],
  );
}

/** Ends a pending delivery without an attempt (its endpoint was disabled meanwhile). */
export async function cancelDelivery(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = NULL, manual_retry = false,
       locked_until = NULL, last_error = $2, updated_at = now()
     WHERE id = $1`,
    [id, reason],
  );
}

/** Whether any delivery to the endpoint got a 2xx since `since` (it is not failing throughout). */
export async function endpointSucceededSince(db: Queryable, endpointId: string, since: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
     WHERE d.endpoint_id = $1 AND a.attempted_at >= $2 AND a.status_code BETWEEN 200 AND 299
     LIMIT 1`,
    [endpointId, since],
  );
  return rowCount === 1;
}

export async function findDelivery(db: Queryable, id: string, options: { forUpdate?: boolean } = {}) {
  const { rows } = await db.query<WebhookDeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Puts a finished delivery back to pending for one admin-requested attempt, due now. */
export async function requestManualAttempt(db: Queryable, id: string): Promise<WebhookDeliveryRow> {
  const { rows } = await db.query<WebhookDeliveryRow>(
    `UPDATE webhook_deliveries SET status = 'pending', manual_retry = true, next_attempt_at = now(), updated_at = now()
     WHERE id = $1 RETURNING ${DELIVERY_COLUMNS}`,
    [id],
  );
  return rows[0]!;
}

const ATTEMPT_LOG = `COALESCE((SELECT json_agg(json_build_object(
    'attempt', a.attempt, 'trigger', a.trigger,
    'attempted_at', to_char(a.attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'status_code', a.status_code, 'latency_ms', a.latency_ms, 'response_body', a.response_body, 'error', a.error)
    ORDER BY a.id)
  FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::json)`;

export async function listDeliveries(
  db: Queryable,
  endpointId: string,
  page: { limit: number; status?: DeliveryStatus; after?: { created_at: string; id: string } },
): Promise<DeliveryWithAttempts[]> {
  const { rows } = await db.query<DeliveryWithAttempts>(
    `SELECT d.id, d.endpoint_id, d.event_id, d.status, d.attempts, d.next_attempt_at, d.last_status_code,
            d.last_error, d.manual_retry, d.created_at, d.updated_at, e.type AS event_type, ${ATTEMPT_LOG} AS attempt_log
     FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
     WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2)
       AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3::timestamptz, $4::text))
     ORDER BY d.created_at DESC, d.id DESC LIMIT $5`,
    [endpointId, page.status ?? null, page.after?.created_at ?? null, page.after?.id ?? null, page.limit],
  );
  return rows;
}

export async function findDeliveryWithAttempts(db: Queryable, id: string): Promise<DeliveryWithAttempts | null> {
  const { rows } = await db.query<DeliveryWithAttempts>(
    `SELECT d.id, d.endpoint_id, d.event_id, d.status, d.attempts, d.next_attempt_at, d.last_status_code,
            d.last_error, d.manual_retry, d.created_at, d.updated_at, e.type AS event_type, ${ATTEMPT_LOG} AS attempt_log
     FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Pending deliveries whose attempt is overdue by more than `graceMs` and held by no worker. */
export async function overdueDeliveries(
  db: Queryable,
  graceMs: number,
  limit: number,
): Promise<Pick<WebhookDeliveryRow, 'id' | 'attempts'>[]> {
  const { rows } = await db.query<Pick<WebhookDeliveryRow, 'id' | 'attempts'>>(
    `SELECT id, attempts FROM webhook_deliveries
     WHERE status = 'pending' AND next_attempt_at < now() - $1 * interval '1 millisecond'
       AND (locked_until IS NULL OR locked_until < now())
     ORDER BY next_attempt_at LIMIT $2`,
    [graceMs, limit],
  );
  return rows;
}

/**
 * Fans the events of an `inserted` CTE (id, type, created_at) out in the same statement: one
 * delivery per enabled endpoint subscribed to the event's type that existed when it happened,
 * due now, and the `webhook.deliver` outbox row of its first attempt. An event no endpoint
 * wants costs nothing more. Ends in a `jobs` CTE holding the new outbox rows.
 */
const FAN_OUT = `deliveries AS (
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, next_attempt_at)
    SELECT 'whd_' || left(replace(gen_random_uuid()::text, '-', ''), 24), w.id, i.id, now()
    FROM inserted i JOIN webhook_endpoints w
      ON w.enabled AND w.created_at <= i.created_at AND (w.events @> ARRAY[i.type] OR w.events @> ARRAY['*'])
    -- An endpoint deleted meanwhile is skipped once that delete commits, instead of failing the
    -- foreign key and with it the ledger's whole batch.
    FOR KEY SHARE OF w
    RETURNING id
  ),
  jobs AS (
    INSERT INTO outbox (job_name, payload, dedupe_key)
    SELECT 'webhook.deliver', jsonb_build_object('deliveryId', id, 'attempt', 1), 'webhook.deliver:' || id || ':1' FROM deliveries
    RETURNING id, job_name, payload
  )`;

/**
 * Stores a consumer event once per dedupe key, with its deliveries (FAN_OUT). Returns the
 * outbox rows of their first attempts, or null when that key was stored before.
 */
export async function insertWebhookEvent(
  db: Queryable,
  event: { id: string; type: string; payload: string; dedupeKey: string },
): Promise<OutboxRow[] | null> {
  // One row per job, or one of nulls for a new event no endpoint wants; none when the key existed.
  const { rows } = await db.query<OutboxRow | { id: null }>(
    `WITH inserted AS (
       INSERT INTO webhook_events (id, type, payload, dedupe_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id, type, created_at
     ),
     ${FAN_OUT}
     SELECT j.id, j.job_name, j.payload FROM inserted LEFT JOIN jobs j ON true ORDER BY j.id`,
    [event.id, event.type, event.payload, event.dedupeKey],
  );
  if (!rows.length) return null;
  return rows.filter((row): row is OutboxRow => row.id !== null);
}

/**
 * Inserts consumer events with their deliveries (FAN_OUT) in one statement (the ledger's batch).
 * Events whose dedupe key exists are skipped (also a key twice in `events`: the first counts).
 * Returns the outbox rows of the first attempts.
 */
export async function insertWebhookEventsWithJobs(
  db: Queryable,
  events: readonly { id: string; type: string; payloadJson: string; dedupeKey: string }[],
): Promise<OutboxRow[]> {
  if (!events.length) return [];
  const { rows } = await db.query<OutboxRow>({
    name: 'insert-webhook-events-with-jobs',
    text: `WITH inserted AS (
       INSERT INTO webhook_events (id, type, payload, dedupe_key)
       SELECT id, type, payload::jsonb, dedupe_key
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS e(id, type, payload, dedupe_key, n)
       ORDER BY n
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id, type, created_at
     ),
     ${FAN_OUT}
     SELECT id, job_name, payload FROM jobs ORDER BY id`,
    values: [events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.payloadJson), events.map((e) => e.dedupeKey)],
  });
  return rows;
}
