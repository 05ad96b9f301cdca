import type { Queryable } from './pool.js';

/**
 * Serialises work on the same Stripe objects across workers for the rest of the transaction.
 * Two events about one payment (a refund and the payment itself, arriving together) always
 * share an id, so they never run side by side: one commits before the other sees the payment.
 * Takes, without waiting, every lock it can, in sorted order, and returns the ids another
 * transaction holds: the caller leaves the work needing them for later (the ledger's batches
 * skip such events, and the next claim takes them once that transaction committed). Nothing
 * ever waits on these locks, so they can never be part of a deadlock.
 */
export async function tryLockStripeIds(db: Queryable, ids: readonly (string | null | undefined)[]): Promise<Set<string>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
  if (!unique.length) return new Set();
  const { rows } = await db.query<{ id: string; locked: boolean }>({
    name: 'lock-stripe-ids',
    text: 'SELECT id, pg_try_advisory_xact_lock(hashtextextended(id, 0)) AS locked FROM unnest($1::text[]) AS id',
    values: [unique],
  });
  return new Set(rows.filter((row) => !row.locked).map((row) => row.id));
}
