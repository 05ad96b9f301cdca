import type { Queryable } from './pool.js';

export type StripeEventStatus = 'received' | 'processing' | 'processed' | 'ignored' | 'deferred' | 'failed';
export type StripeEventSource = 'webhook' | 'reconciliation';

/** The parts of a Stripe event the store keeps as columns; the whole event is the payload. */
export interface IncomingStripeEvent {
  id: string;
  type: string;
  api_version: string | null;
  livemode: boolean;
  created: number;
}

export interface StripeEventRow {
  id: string;
  type: string;
  api_version: string | null;
  livemode: boolean;
  created: Date;
  source: StripeEventSource;
  status: StripeEventStatus;
  attempts: number;
  last_error: string | null;
  note: string | null;
  /** Why an ignored event deserves an operator's look (currency_mismatch, livemode_mismatch, foreign). */
  flag: string | null;
  received_at: Date;
  started_at: Date | null;
  processed_at: Date | null;
  reruns: number;
}

export interface StoredStripeEvent extends StripeEventRow {
  payload: { id: string; type: string; created: number; data: { object: unknown } };
}

const COLUMNS = `id, type, api_version, livemode, created, source, status, attempts, last_error, note, flag,
  received_at, started_at, processed_at, reruns`;

/**
 * Stores a verified event once. `payloadJson` is the exact body Stripe signed, so it is not
 * serialised a second time on the webhook's hot path. Returns false when it was already stored.
 */
export async function insertStripeEvent(
  db: Queryable,
  event: IncomingStripeEvent,
  payloadJson: string,
  source: StripeEventSource,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO stripe_events (id, type, api_version, livemode, created, payload, source)
     VALUES ($1, $2, $3, $4, to_timestamp($5), $6::jsonb, $7)
     ON CONFLICT (id) DO NOTHING`,
    [event.id, event.type, event.api_version, event.livemode, event.created, payloadJson, source],
  );
  return rowCount === 1;
}

/**
 * Takes an event for processing and counts the attempt, in the transaction that applies it: the
 * row stays locked until that commits, so a duplicate job waits and then finds it finished.
 * Finished events (processed, ignored, deferred, failed) are not taken: a redelivered or
 * duplicate job is a no-op; replay puts an event back to 'received' first.
 */
export async function claimStripeEvent(db: Queryable, id: string): Promise<StoredStripeEvent | null> {
  const { rows } = await db.query<StoredStripeEvent>(
    `UPDATE stripe_events SET status = 'processing', attempts = attempts + 1, started_at = now()
     WHERE id = $1 AND status IN ('received', 'processing')
     RETURNING ${COLUMNS}, payload`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findStoredStripeEvent(db: Queryable, id: string): Promise<StoredStripeEvent | null> {
  const { rows } = await db.query<StoredStripeEvent>(`SELECT ${COLUMNS}, payload FROM stripe_events WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function recordStripeEventOutcome(
  db: Queryable,
  id: string,
  outcome: { status: 'processed' | 'ignored' | 'deferred'; note: string | null; flag?: string },
): Promise<void> {
  await db.query(
    `UPDATE stripe_events SET status = $2, note = $3, flag = $4, last_error = NULL, processed_at = now() WHERE id = $1`,
    [id, outcome.status, outcome.note, outcome.flag ?? null],
  );
}

/**
 * A failed attempt, recorded after its transaction (and with it the claim) rolled back: counted,
 * and back to 'received' for the next retry, or 'failed' after the last one.
 */
export async function recordStripeEventFailure(db: Queryable, id: string, error: string, final: boolean): Promise<void> {
  await db.query(
    `UPDATE stripe_events SET status = $3, last_error = $2, attempts = attempts + 1, started_at = now()
     WHERE id = $1 AND status IN ('received', 'processing')`,
    [id, error.slice(0, 2_000), final ? 'failed' : 'received'],
  );
}

/**
 * Replay: the event is taken again by the next job, whatever it ended as. started_at is
 * cleared so the sweeper can tell a rerun that never reached the queue (findRerunsToQueue).
 */
export async function resetStripeEventForReplay(db: Queryable, id: string): Promise<StripeEventRow | null> {
  const { rows } = await db.query<StripeEventRow>(
    `UPDATE stripe_events SET status = 'received', started_at = NULL, reruns = reruns + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Deferred events whose payment has landed go back to 'received', to run again in their own
 * job (in their own transaction, so no transaction ever waits on another's Stripe ids in a circle).
 */
export async function releaseDeferredEvents(db: Queryable, ids: readonly string[]): Promise<{ id: string; reruns: number }[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<{ id: string; reruns: number }>(
    `UPDATE stripe_events
     SET status = 'received', started_at = NULL, reruns = reruns + 1, note = 'released: what it waited for has arrived'
     WHERE id = ANY($1::text[]) AND status = 'deferred'
     RETURNING id, reruns`,
    [ids],
  );
  return rows;
}

/** The job id of an event's run after its n-th release or replay: a sweep asking again adds nothing. */
export function rerunJobId(event: { id: string; reruns: number }): string {
  return `${event.id}-rerun-${event.reruns}`;
}

/** Released or replayed events whose job never started (Redis was away, or the process died). */
export async function findRerunsToQueue(db: Queryable, limit: number): Promise<{ id: string; reruns: number }[]> {
  const { rows } = await db.query<{ id: string; reruns: number }>(
    `SELECT id, reruns FROM stripe_events WHERE status = 'received' AND reruns > 0 AND started_at IS NULL
     ORDER BY received_at LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Newest first, keyset-paginated on (received_at, id); `position` keeps received_at's microseconds. */
export async function listStripeEvents(
  db: Queryable,
  options: { limit: number; status?: StripeEventStatus; type?: string; flag?: string; after?: { position: string; id: string } },
): Promise<(StripeEventRow & { position: string })[]> {
  const { rows } = await db.query<StripeEventRow & { position: string }>(
    `SELECT ${COLUMNS}, received_at::text AS position FROM stripe_events
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::text IS NULL OR type = $2)
       AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::text))
       AND ($6::text IS NULL OR flag = $6)
     ORDER BY received_at DESC, id DESC
     LIMIT $5`,
    [options.status ?? null, options.type ?? null, options.after?.position ?? null, options.after?.id ?? null, options.limit, options.flag ?? null],
  );
  return rows;
}

/** Unix seconds of the newest stored event, where reconciliation starts looking. */
export async function newestStripeEventCreated(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ created: number | null }>(
    `SELECT extract(epoch FROM max(created))::bigint AS created FROM stripe_events`,
  );
  return rows[0]?.created ?? null;
}

/** Events stored but never taken by a worker: Redis was away when they arrived. */
export async function findUnqueuedStripeEvents(db: Queryable, receivedBefore: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM stripe_events WHERE status = 'received' AND attempts = 0 AND received_at < $1
     ORDER BY received_at LIMIT $2`,
    [receivedBefore, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Events whose last attempt started long ago and never finished: its worker died mid-way, or the
 * retry job was lost. Every attempt (and its retry backoff) is far shorter than that.
 */
export async function findStalledStripeEvents(
  db: Queryable,
  startedBefore: Date,
  limit: number,
): Promise<{ id: string; attempts: number; reruns: number }[]> {
  const { rows } = await db.query<{ id: string; attempts: number; reruns: number }>(
    `SELECT id, attempts, reruns FROM stripe_events
     WHERE status IN ('received', 'processing') AND attempts > 0 AND started_at < $1
     ORDER BY started_at LIMIT $2`,
    [startedBefore, limit],
  );
  return rows;
}

export async function markStripeEventFailed(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(
    `UPDATE stripe_events SET status = 'failed', last_error = $2 WHERE id = $1 AND status IN ('received', 'processing')`,
    [id, error],
  );
}

/** Deferred events that waited longer than anything of ours could: another integration's payments. */
export async function expireDeferredStripeEvents(db: Queryable, deferredBefore: Date): Promise<number> {
  const { rowCount } = await db.query(
    `WITH expired AS (
       UPDATE stripe_events SET status = 'ignored',
         note = 'waited too long for a Goalpost payment it belongs to (another integration''s payment?)'
       WHERE status = 'deferred' AND processed_at < $1
       RETURNING id
     )
     DELETE FROM pending_adjustments WHERE stripe_event_id IN (SELECT id FROM expired)`,
    [deferredBefore],
  );
  return rowCount ?? 0;
}

/**
 * Stores several verified webhook events in one statement (one commit, one WAL flush): the
 * ingest route's group commit. A duplicate id, in the table or in the batch, stores nothing.
 */
export async function insertStripeEvents(
  db: Queryable,
  events: { event: IncomingStripeEvent; payloadJson: string }[],
  source: StripeEventSource,
): Promise<void> {
  await db.query(
    `INSERT INTO stripe_events (id, type, api_version, livemode, created, payload, source)
     SELECT id, type, api_version, livemode, to_timestamp(created), payload::jsonb, $7
     FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::text[])
       AS incoming(id, type, api_version, livemode, created, payload)
     ON CONFLICT (id) DO NOTHING`,
    [
      events.map(({ event }) => event.id),
      events.map(({ event }) => event.type),
      events.map(({ event }) => event.api_version),
      events.map(({ event }) => event.livemode),
      events.map(({ event }) => event.created),
      events.map(({ payloadJson }) => payloadJson),
      source,
    ],
  );
}
