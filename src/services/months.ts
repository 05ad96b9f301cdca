import { earliestPeriodWithMoney, listPeriodRows } from '../db/periods.js';
import type { CampaignRow } from '../db/campaigns.js';
import type { Queryable } from '../db/pool.js';
import { monthlyDonorFigures, type MonthlyDonorFiguresRow, type MonthSpan } from '../db/monthly-donors.js';
import { monthlyPeriod, periodCount, periodKeyOf, periodKeysBetween, periodLabel } from '../domain/period.js';
import { AppError } from '../errors.js';

/** The longest month range the history answers. */
const MAX_HISTORY_MONTHS = 240;

/**
 * Where the month history starts when no `from` is asked for: the campaign's creation month, or
 * an earlier month holding money (a donation dated before the campaign was created here, e.g.
 * imported), never after `to` and never more than the longest range allowed.
 */
async function defaultHistoryStart(db: Queryable, campaign: CampaignRow, to: string): Promise<string> {
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
): Promise<MonthRow[]> {
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
  return monthRows(db, campaign, from, to, now);
}

/**
 * A month row of GET /v1/admin/campaigns/:slug/months: the month's figures and its monthly
 * donors' (db/monthly-donors.ts says how each is counted). raised_one_time + raised_monthly is
 * raised; offline money is one-time.
 */
export type MonthRow = MonthFigures & Omit<MonthlyDonorFiguresRow, 'period_key'>;

function monthSpans(months: readonly string[], timeZone: string, now: Date): MonthSpan[] {
  const current = periodKeyOf(now, timeZone);
  return months.map((key) => {
    const period = monthlyPeriod(key, timeZone);
    return { key, startsAt: new Date(period.starts_at), endsAt: new Date(period.ends_at), current: key === current };
  });
}

/** The admin's month history: every month in [from, to], newest first, monthly donors' figures beside. */
async function monthRows(db: Queryable, campaign: CampaignRow, from: string, to: string, now = new Date()): Promise<MonthRow[]> {
  const [months, donorRows] = await Promise.all([
    monthlyHistory(db, campaign, from, to),
    monthlyDonorFigures(db, campaign.id, monthSpans(periodKeysBetween(from, to), campaign.timezone, now)),
  ]);
  const donorsByKey = new Map(donorRows.map(({ period_key, ...figures }) => [period_key, figures]));
  return months.map((month) => ({ ...month, ...donorsByKey.get(month.month)! }));
}
