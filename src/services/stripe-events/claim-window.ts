import { performance } from 'node:perf_hooks';
import type { Queryable } from '../../db/pool.js';
import { claimStripeEvents, type StoredStripeEvent } from '../../db/stripe-events.js';

/**
 * Where a worker process's claims start (one window per database pool, shared by its batches).
 *
 * A processed event's row leaves the queue (stripe_event_queue), but its index entry stays until
 * VACUUM, and autovacuum comes by every minute at best. A claim from the start walks every such
 * entry before the first due event: in a busy minute that is up to a minute's events (the queue
 * keeps the walk from growing with the events table's history, not from growing within a minute;
 * before the queue, a claim of 30 events in P3 read about one page per 13 events processed since
 * the last vacuum).
 *
 * So for `intervalMs` (LEDGER_CLAIM_WINDOW_MS) after a claim from the start, each claim starts
 * at the oldest event the claim before it took, and walks only what was processed since. What
 * was before that point was not claimable then: processed, held by another batch, waiting for a
 * retry's time, or stored by an ingest not yet committed. What becomes due back there later — a
 * retry whose time came, a deferred event requeued, a replay, a late ingest commit, the events of
 * a batch that rolled back — is taken by the next claim from the start: at most `intervalMs`
 * plus one batch (LEDGER_BATCH_TIME_BUDGET_MS) later while newer events keep the worker busy,
 * and at once when the window holds nothing due, so the window never ends a drain.
 */
export class ClaimWindow {
  private start: Date | null = null;
  private fullClaimAt = Number.NEGATIVE_INFINITY;
  /** Claims from the start so far: a windowed claim that ends after one began leaves `start` to it. */
  private fullClaims = 0;

  constructor(
    private readonly intervalMs: number,
    // Monotonic: a wall clock stepped back would stretch the interval by the step.
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Claims up to `limit` due events in the caller's transaction (claimStripeEvents): from the
   * window while its interval lasts and it holds something due, else from the start.
   */
  async claim(db: Queryable, limit: number): Promise<StoredStripeEvent[]> {
    if (this.start && this.now() - this.fullClaimAt < this.intervalMs) {
      const generation = this.fullClaims;
      const claimed = await claimStripeEvents(db, limit, this.start);
      const [oldest] = claimed;
      if (oldest) {
        if (generation === this.fullClaims) this.start = oldest.received_at;
        return claimed;
      }
    }
    this.fullClaims += 1;
    const claimed = await claimStripeEvents(db, limit, null);
    const [oldest] = claimed;
    this.fullClaimAt = this.now();
    this.start = oldest?.received_at ?? null;
    return claimed;
  }
}
