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
     VALUES ($1, $2, $3, $4, to_timestamp($5), $6::json, $7)
     ON CONFLICT (id) DO NOTHING`,
    [event.id, event.type, event.api_version, event.livemode, event.created, payloadJson, source],
  );
  return rowCount === 1;
}

// The claim runs for every batch: named, so each connection prepares it once (its text is fixed,
// whatever the batch's size). So is the ingest INSERT, per padded size (see below).
// Due events are found through stripe_event_queue, which holds a row exactly while an event is
// 'received' (kept by triggers, whoever writes the event: migration 1798400000000_stripe-event-queue).
// The claim is the function claim_stripe_events (migration 1798500000000_stripe-event-claim says
// why a function): it picks and locks queue rows in key order, then reads and locks their events,
// as every writer of an event locks it (a replay waits for the batch holding the event); a row
// another statement holds is left for a later claim rather than waited for.
const CLAIM = `SELECT ${COLUMNS}, payload FROM claim_stripe_events($1, $2) WITH ORDINALITY ORDER BY ordinality`;

/**
 * Takes up to `limit` events due for processing, oldest first, and locks them for the caller's
 * transaction: a concurrent claim skips them (SKIP LOCKED), so workers split the backlog between
 * them, and a worker that dies mid-batch rolls back and leaves them to the next claim. Finished
 * events (processed, ignored, deferred, failed) are not taken; a replay or a requeue puts an
 * event back to 'received' first. A failed attempt waits for its next_attempt_at.
 *
 * `from` (received_at) skips older events: the queue's index keeps an entry for every event
 * processed since the queue's last vacuum, and a claim from the start walks all of them before
 * the first due one (services/stripe-events/claim-window.ts says who passes it and why).
 */
export async function claimStripeEvents(db: Queryable, limit: number, from: Date | null = null): Promise<StoredStripeEvent[]> {
  const { rows } = await db.query<StoredStripeEvent>({ name: 'claim-stripe-events', text: CLAIM, values: [limit, from ?? '-infinity'] });
  return rows;
}

export async function findStoredStripeEvent(db: Queryable, id: string): Promise<StoredStripeEvent | null> {
  const { rows } = await db.query<StoredStripeEvent>(`SELECT ${COLUMNS}, payload FROM stripe_events WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * The outcomes of a batch's events, in one statement. 'received' is the outcome of an event
 * deferred and requeued within the same batch (what it waited for arrived later in the batch):
 * the next claim takes it again.
 */
export async function recordStripeEventOutcomes(
  db: Queryable,
  outcomes: readonly { id: string; status: 'processed' | 'ignored' | 'deferred' | 'received'; note: string | null; flag?: string }[],
): Promise<void> {
  if (!outcomes.length) return;
  await db.query(
    `UPDATE stripe_events e
     SET status = o.status, note = o.note, flag = o.flag, last_error = NULL, attempts = e.attempts + 1, next_attempt_at = NULL,
       started_at = CASE WHEN o.status = 'received' THEN NULL ELSE now() END,
       processed_at = CASE WHEN o.status = 'received' THEN e.processed_at ELSE now() END,
       reruns = e.reruns + (o.status = 'received')::int
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS o(id, status, note, flag)
     WHERE e.id = o.id`,
    [outcomes.map((o) => o.id), outcomes.map((o) => o.status), outcomes.map((o) => o.note), outcomes.map((o) => o.flag ?? null)],
  );
}

/**
 * A failed attempt, recorded after what it wrote rolled back: counted, and back to 'received'
 * until `retryAt`, or 'failed' after the last attempt.
 */
export async function recordStripeEventFailure(
  db: Queryable,
  id: string,
  failure: { error: string; retryAt: Date | null },
): Promise<void> {
  await db.query(
    `UPDATE stripe_events SET status = $3, last_error = $2, attempts = attempts + 1, started_at = now(), next_attempt_at = $4
     WHERE id = $1 AND status IN ('received', 'processing')`,
    [id, failure.error.slice(0, 2_000), failure.retryAt ? 'received' : 'failed', failure.retryAt],
  );
}

/** Replay: the event is taken again by the next claim, whatever it ended as. */
export async function resetStripeEventForReplay(db: Queryable, id: string): Promise<StripeEventRow | null> {
  const { rows } = await db.query<StripeEventRow>(
    `UPDATE stripe_events SET status = 'received', started_at = NULL, next_attempt_at = NULL, reruns = reruns + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Deferred events one of whose ids has arrived go back to 'received': the next claim takes them
 * (after this transaction commits).
 */
export async function requeueDeferredEvents(db: Queryable, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<{ id: string }>(
    `UPDATE stripe_events
     SET status = 'received', started_at = NULL, next_attempt_at = NULL, reruns = reruns + 1,
       note = 'requeued: what it was deferred until has arrived'
     WHERE id = ANY($1::text[]) AND status = 'deferred'
     RETURNING id`,
    [ids],
  );
  return rows.map((row) => row.id);
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

/**
 * Whether some event has been due for a while and no worker took it: Redis was away when it was
 * stored (no wake-up reached a worker), or its retry's wake-up was lost.
 */
export async function hasOverdueStripeEvents(db: Queryable, dueBefore: Date): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM stripe_event_queue WHERE COALESCE(due_at, received_at) < $1 LIMIT 1`,
    [dueBefore],
  );
  return rows.length > 0;
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

/** Parameters each stored event takes in the ingest INSERT: id, type, api_version, livemode, created, payload. */
const PARAMS_PER_EVENT = 6;

/**
 * The ingest INSERT for batches of up to `rows` events. Every value is a parameter of its own: no
 * array literal to build (node-pg copies each text[] element through its escaping, and
 * PostgreSQL parses it back) and no unnest to materialise, so a 2 kB payload travels and is read
 * as it is.
 * Batches are padded with NULL rows up to a power of two, so a connection prepares a handful of
 * statements rather than one per batch size.
 */
function insertManyStatement(rows: number): string {
  const values: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const at = 2 + row * PARAMS_PER_EVENT;
    values.push(`($${at}::text, $${at + 1}::text, $${at + 2}::text, $${at + 3}::boolean, $${at + 4}::bigint, $${at + 5}::text)`);
  }
  return `INSERT INTO stripe_events (id, type, api_version, livemode, created, payload, source)
  SELECT id, type, api_version, livemode, to_timestamp(created), payload::json, $1::text
  FROM (VALUES ${values.join(', ')}) AS incoming(id, type, api_version, livemode, created, payload)
  WHERE id IS NOT NULL
  ON CONFLICT (id) DO NOTHING`;
}

interface InsertManyStatement {
  name: string;
  text: string;
  rows: number;
}

const insertManyStatements = new Map<number, InsertManyStatement>();

function insertManyStatementFor(events: number): InsertManyStatement {
  const rows = 2 ** Math.ceil(Math.log2(Math.max(1, events)));
  let statement = insertManyStatements.get(rows);
  if (!statement) {
    statement = { name: `insert-stripe-events-${rows}`, text: insertManyStatement(rows), rows };
    insertManyStatements.set(rows, statement);
  }
  return statement;
}

/**
 * Stores several verified webhook events in one statement (one commit, one WAL flush): the
 * ingest route's group commit. A duplicate id, in the table or in the batch, stores nothing.
 */
export async function insertStripeEvents(
  db: Queryable,
  events: readonly { event: IncomingStripeEvent; payloadJson: string }[],
  source: StripeEventSource,
): Promise<void> {
  const { name, text, rows } = insertManyStatementFor(events.length);
  // The padding rows' parameters stay NULL.
  const values: unknown[] = new Array<unknown>(1 + rows * PARAMS_PER_EVENT).fill(null);
  values[0] = source;
  events.forEach(({ event, payloadJson }, index) => {
    const at = 1 + index * PARAMS_PER_EVENT;
    values[at] = event.id;
    values[at + 1] = event.type;
    values[at + 2] = event.api_version;
    values[at + 3] = event.livemode;
    values[at + 4] = event.created;
    values[at + 5] = payloadJson;
  });
  await db.query({ name, text, values });
}
