import type { Queryable } from '../../db/pool.js';
import { claimStripeEvents, type StoredStripeEvent } from '../../db/stripe-events.js';

/**
 * How long a worker process's claims may start where its last full claim found the oldest due
 * event, before one claims from the start again. It bounds how late an event that became due
 * behind that point is taken while newer events keep the worker busy (see ClaimWindow): a poll
 * step well under the second in which the progress bar must move, not a setting.
 */
export const FULL_CLAIM_INTERVAL_MS = 250;

/**
 * Where a worker process's claims start (one window per database pool, shared by its batches).
 *
 * A processed event leaves its entry in the claimable index (an UPDATE adds a version; only
 * VACUUM removes the old entry), and autovacuum comes by every minute at best, later on a large
 * table. A claim from the start walks every such entry before the first due event: measured in
 * P3, a claim of 30 events read about one page per 13 events processed since the last vacuum,
 * 2,000 pages after 26,000 events, and that grows for as long as a busy spell lasts.
 *
 * So for FULL_CLAIM_INTERVAL_MS after a full claim, each claim starts at the oldest event the
 * claim before it took: everything before that was not due then (processed, held by another
 * batch, waiting for a retry's time, or stored by a transaction not yet committed), and a claim
 * walks only what was processed since the last one. What becomes due back there
 * later — a retry whose time came, an event deferred and requeued, a replay, an ingest that
 * committed late, an event another batch gave back — is taken by the next full claim, at most
 * FULL_CLAIM_INTERVAL_MS later. A windowed claim that finds nothing claims from the start at
 * once, so a worker never stops draining while anything is due.
 */
export class ClaimWindow {
  private start: Date | null = null;
  private fullClaimAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Claims up to `limit` due events in the caller's transaction (claimStripeEvents), from the
   * window while its interval lasts and it holds something due, else from the start.
   */
  async claim(db: Queryable, limit: number): Promise<StoredStripeEvent[]> {
    if (this.start && this.now() - this.fullClaimAt < FULL_CLAIM_INTERVAL_MS) {
      const claimed = await claimStripeEvents(db, limit, this.start);
      const [oldest] = claimed;
      if (oldest) {
        this.start = oldest.received_at;
        return claimed;
      }
    }
    const claimed = await claimStripeEvents(db, limit, null);
    this.fullClaimAt = this.now();
    this.start = claimed[0]?.received_at ?? null;
    return claimed;
  }
}
