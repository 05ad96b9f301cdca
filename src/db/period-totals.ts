import type { Queryable } from './pool.js';
import type { Tier } from '../domain/progress.js';

/**
 * Running aggregates per campaign period (campaign_periods), changed only together with the
 * ledger entries that explain them, in one transaction.
 */
export interface PeriodDelta {
  raised: number;
  refunded: number;
  disputed: number;
  donations: number;
  donors: number;
}

/**
 * One more (or one fewer) counted donation for a donor in a period. Returns how donors_count
 * changes: +1 for a donor's first counted donation there, -1 when their last one stops counting.
 */
export async function changeDonorDonations(
  db: Queryable,
  campaignId: number,
  periodKey: string,
  donorKey: string,
  change: 1 | -1,
): Promise<number> {
  if (change === 1) {
    const { rows } = await db.query<{ donations: number }>(
      `INSERT INTO period_donors (campaign_id, period_key, donor_email, donations) VALUES ($1, $2, $3, 1)
       ON CONFLICT (campaign_id, period_key, donor_email) DO UPDATE SET donations = period_donors.donations + 1
       RETURNING donations`,
      [campaignId, periodKey, donorKey],
    );
    return rows[0]!.donations === 1 ? 1 : 0;
  }
  const { rows } = await db.query<{ donations: number }>(
    `DELETE FROM period_donors WHERE campaign_id = $1 AND period_key = $2 AND donor_email = $3 AND donations = 1
     RETURNING 0 AS donations`,
    [campaignId, periodKey, donorKey],
  );
  if (rows.length) return -1;
  await db.query(
    `UPDATE period_donors SET donations = donations - 1 WHERE campaign_id = $1 AND period_key = $2 AND donor_email = $3`,
    [campaignId, periodKey, donorKey],
  );
  return 0;
}

export interface PeriodAfterChange {
  raisedBefore: number;
  raised: number;
  goal: number;
  tiers: Tier[];
  /** Set when the month was closed already: this change is its n-th restatement. */
  restatement: number | null;
}

/**
 * Adds a change to a period's aggregate row, locking it until the transaction ends. Null when
 * the row does not exist yet (the caller creates it and adds again).
 */
export async function addToPeriod(
  db: Queryable,
  campaignId: number,
  periodKey: string,
  delta: PeriodDelta,
  /** The change moves a figure (domain/period-closing.ts): on a closed month, that is a restatement. */
  movesFigures = false,
): Promise<PeriodAfterChange | null> {
  const { rows } = await db.query<{ raised: number; goal_amount: number; tiers: Tier[]; restatement: number | null }>(
    `UPDATE campaign_periods SET raised = raised + $3, refunded = refunded + $4, disputed = disputed + $5,
       donations_count = donations_count + $6, donors_count = donors_count + $7, updated_at = now(),
       restatements = restatements + CASE WHEN closed_at IS NOT NULL AND $8 THEN 1 ELSE 0 END
     WHERE campaign_id = $1 AND period_key = $2
     RETURNING raised, goal_amount, tiers, CASE WHEN closed_at IS NOT NULL AND $8 THEN restatements END AS restatement`,
    [campaignId, periodKey, delta.raised, delta.refunded, delta.disputed, delta.donations, delta.donors, movesFigures],
  );
  const row = rows[0];
  if (!row) return null;
  return { raisedBefore: row.raised - delta.raised, raised: row.raised, goal: row.goal_amount, tiers: row.tiers, restatement: row.restatement };
}

/** Records that a tier (or the goal) was reached; true only the first time, ever. */
export async function recordCrossing(
  db: Queryable,
  crossing: { campaignId: number; periodKey: string; kind: 'tier' | 'goal'; amount: number; at: Date },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO tier_crossings (campaign_id, period_key, kind, amount, reached_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [crossing.campaignId, crossing.periodKey, crossing.kind, crossing.amount, crossing.at],
  );
  return rowCount === 1;
}

/**
 * Many counted donations at once for donors of one period (an import's chunk): one per entry of
 * `donorKeys`, repeats allowed. Returns how many of these donors are new to the period.
 */
export async function addDonorsToPeriod(db: Queryable, campaignId: number, periodKey: string, donorKeys: readonly string[]): Promise<number> {
  if (!donorKeys.length) return 0;
  const { rows } = await db.query<{ new_donors: number }>(
    `WITH incoming AS (SELECT key, count(*)::int AS n FROM unnest($3::text[]) AS key GROUP BY key),
     upserted AS (
       INSERT INTO period_donors (campaign_id, period_key, donor_email, donations)
       SELECT $1, $2, key, n FROM incoming
       ON CONFLICT (campaign_id, period_key, donor_email) DO UPDATE SET donations = period_donors.donations + EXCLUDED.donations
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS new_donors FROM upserted`,
    [campaignId, periodKey, donorKeys],
  );
  return rows[0]!.new_donors;
}
