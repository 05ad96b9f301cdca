import type { Queryable } from './pool.js';

export interface ClosingState {
  campaign_id: number;
  timezone: string;
  created_at: Date;
  /** The latest month already closed, if any. */
  last_closed: string | null;
  /** Months with a row that is not closed yet (the current one among them). */
  open_months: string[];
}

/** Per campaign, what the monthly closing needs to know: one pass over campaign_periods. */
export async function closingStates(db: Queryable): Promise<ClosingState[]> {
  const { rows } = await db.query<ClosingState>(
    `SELECT c.id AS campaign_id, c.timezone, c.created_at,
            max(p.period_key) FILTER (WHERE p.closed_at IS NOT NULL) AS last_closed,
            COALESCE(array_agg(p.period_key ORDER BY p.period_key) FILTER (WHERE p.closed_at IS NULL), '{}') AS open_months
     FROM campaigns c
     LEFT JOIN campaign_periods p ON p.campaign_id = c.id AND p.period_key <> 'total'
     GROUP BY c.id
     ORDER BY c.id`,
  );
  return rows;
}

/** Marks a month closed; false when it already was (another worker got there first). */
export async function markPeriodClosed(db: Queryable, campaignId: number, periodKey: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE campaign_periods SET closed_at = now() WHERE campaign_id = $1 AND period_key = $2 AND closed_at IS NULL`,
    [campaignId, periodKey],
  );
  return rowCount === 1;
}
