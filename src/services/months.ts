import { earliestPeriodWithMoney, listPeriodRows } from '../db/periods.js';
import type { CampaignRow } from '../db/campaigns.js';
import type { Queryable } from '../db/pool.js';
import { periodCount, periodKeyOf, periodKeysBetween, periodLabel } from '../domain/period.js';
import { AppError } from '../errors.js';

/** The longest month range the history answers. */
export const MAX_HISTORY_MONTHS = 240;

/**
 * Where the month history starts when no `from` is asked for: the campaign's creation month, or
 * an earlier month holding money (a donation dated before the campaign was created here, e.g.
 * imported), never after `to` and never more than the longest range allowed.
 */
export async function defaultHistoryStart(db: Queryable, campaign: CampaignRow, to: string): Promise<string> {
  const created = periodKeyOf(campaign.created_at, campaign.timezone);
  const withMoney = await earliestPeriodWithMoney(db, campaign.id);
  const earliest = [created, withMoney ?? created, to].sort()[0]!;
  return periodKeysBetween(earliest, to).slice(0, MAX_HISTORY_MONTHS).at(-1)!;
}

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

/**
 * GET /v1/admin/campaigns/:slug/months: the history for `?from=&to=` (both optional), which must
 * not reach past the current month, run backwards, or span more than MAX_HISTORY_MONTHS.
 */
export async function monthsOf(
  db: Queryable,
  campaign: CampaignRow,
  range: { from?: string; to?: string },
  now = new Date(),
): Promise<MonthFigures[]> {
  const current = periodKeyOf(now, campaign.timezone);
  const to = range.to ?? current;
  const from = range.from ?? (await defaultHistoryStart(db, campaign, to));
  const problems = [
    ...(to > current ? [{ field: 'to', message: `must not be after the current month (${current})` }] : []),
    ...(from > to ? [{ field: 'from', message: 'must not be after to' }] : []),
  ];
  if (problems.length) throw new AppError('validation_failed', 'The month range is not valid.', problems);
  if (periodCount(from, to) > MAX_HISTORY_MONTHS) {
    throw new AppError('validation_failed', 'The month range is too long.', [
      { field: 'from', message: `at most ${MAX_HISTORY_MONTHS} months per request` },
    ]);
  }
  return monthlyHistory(db, campaign, from, to);
}
