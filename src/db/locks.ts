import type { Queryable } from './pool.js';

/**
 * Serialises work on the same Stripe objects across workers for the rest of the transaction.
 * Two events about one payment (a refund and the payment itself, arriving together) always
 * share an id, so one waits for the other's commit and then sees it: neither can miss the
 * other. Ids are locked in sorted order so two transactions never wait on each other in a circle.
 */
export async function lockStripeIds(db: Queryable, ids: readonly (string | null | undefined)[]): Promise<void> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
  for (const id of unique) {
    await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [id]);
  }
}
