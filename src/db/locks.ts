import type { Queryable } from './pool.js';

/**
 * Serialises work on the same Stripe objects across workers for the rest of the transaction.
 * Two events about one payment (a refund and the payment itself, arriving together) always
 * share an id, so one waits for the other's commit and then sees it: neither can miss the
 * other. Ids are locked in sorted order so two transactions never wait on each other in a circle.
 */
export async function lockStripeIds(db: Queryable, ids: readonly (string | null | undefined)[]): Promise<void> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
  if (!unique.length) return;
  // One round trip: unnest yields the ids in array order, and each row takes its lock in turn.
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest($1::text[]) AS id', [unique]);
}
