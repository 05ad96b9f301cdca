import { listPeriodRows } from '../db/periods.js';
import type { CampaignRow } from '../db/campaigns.js';
import type { Queryable } from '../db/pool.js';
import { periodKeysBetween, periodLabel } from '../domain/period.js';

export interface MonthFigures {
  month: string;
  label: string;
  goal: number;
  raised: number;
  refunded: number;
  donations_count: number;
  donors_count: number;
  tiers_reached: number[];
}

/** Every month in [from, to], newest first; a month with no record carries the goal in force then. */
export async function monthlyHistory(db: Queryable, campaign: CampaignRow, from: string, to: string): Promise<MonthFigures[]> {
  const rows = await listPeriodRows(db, campaign.id, from, to);
  const byKey = new Map(rows.map((row) => [row.period_key, row]));
  const ascending = periodKeysBetween(from, to).reverse();
  let goal = rows.find((row) => row.period_key < from)?.goal_amount ?? rows[0]?.goal_amount ?? campaign.goal_amount;
  const months = ascending.map((month): MonthFigures => {
    const row = byKey.get(month);
    if (row) goal = row.goal_amount;
    return {
      month,
      label: periodLabel(month),
      goal,
      raised: row?.raised ?? 0,
      refunded: row?.refunded ?? 0,
      donations_count: row?.donations_count ?? 0,
      donors_count: row?.donors_count ?? 0,
      tiers_reached: row?.tiers_reached.map(Number) ?? [],
    };
  });
  return months.reverse();
}
