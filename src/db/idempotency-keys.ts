import type { Queryable } from './pool.js';

export interface IdempotencyKeyRow {
  request_hash: string;
  status_code: number | null;
  response: unknown;
  /** False once the key is past its 24 h life or its request was abandoned: it may be claimed anew. */
  live: boolean;
}

/** Keys answer for 24 h (at least as long as Stripe's own idempotency keys). */
const KEY_LIFETIME = `interval '24 hours'`;
/** A request that has not finished after this long died with its process; its key is freed. */
const ABANDONED_AFTER = `interval '2 minutes'`;

export async function findIdempotencyKey(db: Queryable, scope: string, key: string): Promise<IdempotencyKeyRow | null> {
  const { rows } = await db.query<IdempotencyKeyRow>(
    `SELECT request_hash, status_code, response,
            created_at > now() - ${KEY_LIFETIME}
              AND (response IS NOT NULL OR created_at > now() - ${ABANDONED_AFTER}) AS live
     FROM idempotency_keys WHERE scope = $1 AND key = $2`,
    [scope, key],
  );
  return rows[0] ?? null;
}

/**
 * Takes the key for one request. Atomic: of concurrent identical requests exactly one claims it;
 * an expired or abandoned key is taken over. Returns false when someone else holds it.
 */
export async function claimIdempotencyKey(db: Queryable, scope: string, key: string, requestHash: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (scope, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, created_at = now()
       WHERE idempotency_keys.created_at <= now() - ${KEY_LIFETIME}
          OR (idempotency_keys.response IS NULL AND idempotency_keys.created_at <= now() - ${ABANDONED_AFTER})`,
    [scope, key, requestHash],
  );
  return rowCount === 1;
}

export async function completeIdempotencyKey(
  db: Queryable,
  scope: string,
  key: string,
  statusCode: number,
  response: unknown,
): Promise<void> {
  await db.query(`UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2`, [
    scope,
    key,
    statusCode,
    JSON.stringify(response),
  ]);
}

/** A request that failed gives its key back, so the client can retry with it. */
export async function releaseIdempotencyKey(db: Queryable, scope: string, key: string): Promise<void> {
  await db.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND response IS NULL`, [scope, key]);
}

/** Keys are promised for 24 h; older ones only take space. */
export async function purgeExpiredIdempotencyKeys(db: Queryable, olderThanHours = 48): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
    olderThanHours,
  ]);
  return rowCount ?? 0;
}
