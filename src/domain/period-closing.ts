import { nextPeriodKey, periodKeyOf, periodKeysBetween, previousPeriodKey, type PeriodKey } from './period.js';

/**
 * The months of a campaign that have ended (in its timezone, at least `delayMs` ago) and are
 * not closed yet, oldest first. Months since the campaign's creation count even without any
 * donation (their closing reports zeros); months before it only when they hold figures.
 */
export function monthsToClose(
  campaign: { timezone: string; created_at: Date; last_closed: PeriodKey | null; open_months: PeriodKey[] },
  now: Date,
  delayMs: number,
): PeriodKey[] {
  const current = periodKeyOf(new Date(now.getTime() - delayMs), campaign.timezone);
  const lastEnded = previousPeriodKey(current);
  const created = periodKeyOf(campaign.created_at, campaign.timezone);
  const afterClosed = campaign.last_closed ? nextPeriodKey(campaign.last_closed) : created;
  const first = afterClosed > created ? afterClosed : created;
  const sinceLastClosing = first <= lastEnded ? periodKeysBetween(first, lastEnded) : [];
  const withFigures = campaign.open_months.filter((month) => month < current);
  return [...new Set([...withFigures, ...sinceLastClosing])].sort();
}

/** A change to a month's figures; on a month already closed it is announced as `period.restated`. */
export interface FiguresChange {
  raised: number;
  refunded: number;
  disputed: number;
  donations: number;
  donors: number;
}

/** Whether a change moves any figure a closing reported (only such a change restates a closed month). */
export function movesFigures(change: FiguresChange): boolean {
  return Object.values(change).some((value) => value !== 0);
}
