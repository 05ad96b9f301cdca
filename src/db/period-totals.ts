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

export interface DonorChange {
  campaignId: number;
  periodKey: string;
  donorKey: string;
  /** Counted donations of this donor there gained (+) or lost (-). */
  change: number;
}

const donorOrder = (a: DonorChange, b: DonorChange) =>
  a.campaignId - b.campaignId || a.periodKey.localeCompare(b.periodKey) || a.donorKey.localeCompare(b.donorKey);

/**
 * Applies the counted-donation changes of a batch to the donors' rows (`period_donors`), in key
 * order, and returns for each one how donors_count changes: +1 for a donor's first counted
 * donation in the period, -1 when their last one stops counting, else 0. Gains go in one
 * statement; losses (refunds, disputes) one row at a time, deleting rows that reach zero.
 */
export async function changePeriodDonors(db: Queryable, changes: readonly DonorChange[]): Promise<number[]> {
  const sorted = changes.map((change, index) => ({ change, index })).sort((a, b) => donorOrder(a.change, b.change));
  const deltas = changes.map(() => 0);
  const gains = sorted.filter(({ change }) => change.change > 0);
  if (gains.length) {
    const { rows } = await db.query<{ campaign_id: number; period_key: string; donor_email: string; donations: number }>(
      `INSERT INTO period_donors (campaign_id, period_key, donor_email, donations)
       SELECT c, p, d, n FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS g(c, p, d, n, o)
       ORDER BY o
       ON CONFLICT (campaign_id, period_key, donor_email) DO UPDATE SET donations = period_donors.donations + EXCLUDED.donations
       RETURNING campaign_id, period_key, donor_email, donations`,
      [
        gains.map(({ change }) => change.campaignId), gains.map(({ change }) => change.periodKey),
        gains.map(({ change }) => change.donorKey), gains.map(({ change }) => change.change),
      ],
    );
    const after = new Map(rows.map((row) => [`${row.campaign_id}\u0000${row.period_key}\u0000${row.donor_email}`, row.donations]));
    for (const { change, index } of gains) {
      // Only as many as this batch added: the donor had none there before.
      if (after.get(`${change.campaignId}\u0000${change.periodKey}\u0000${change.donorKey}`) === change.change) deltas[index] = 1;
    }
  }
  for (const { change, index } of sorted.filter(({ change }) => change.change < 0)) {
    const key = [change.campaignId, change.periodKey, change.donorKey];
    const { rows } = await db.query(
      `DELETE FROM period_donors WHERE campaign_id = $1 AND period_key = $2 AND donor_email = $3 AND donations + $4 <= 0
       RETURNING 1`,
      [...key, change.change],
    );
    if (rows.length) {
      deltas[index] = -1;
      continue;
    }
    await db.query(
      `UPDATE period_donors SET donations = donations + $4 WHERE campaign_id = $1 AND period_key = $2 AND donor_email = $3`,
      [...key, change.change],
    );
  }
  return deltas;
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
