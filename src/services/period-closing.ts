import type { AppContext } from '../context.js';
import { findCampaignById, type CampaignRow } from '../db/campaigns.js';
import { closingStates, markPeriodClosed } from '../db/period-closing.js';
import { ensurePeriod } from '../db/periods.js';
import { withTransaction } from '../db/pool.js';
import { monthlyPeriod, type PeriodKey } from '../domain/period.js';
import { monthsToClose } from '../domain/period-closing.js';
import { emitConsumerEvent } from './consumer-events.js';
import { monthlyHistory, type MonthFigures } from './months.js';

type Deps = Pick<AppContext, 'db' | 'logger'>;

/** The `period.closed` payload: the month's final figures, as the months API reports them; no donor data. */
export function periodClosedData(campaign: CampaignRow, figures: MonthFigures) {
  const period = monthlyPeriod(figures.month, campaign.timezone);
  return {
    campaign: campaign.slug,
    currency: campaign.currency,
    timezone: campaign.timezone,
    starts_at: period.starts_at,
    ends_at: period.ends_at,
    ...figures,
  };
}

/**
 * The `period.restated` payload: the same as `period.closed` with the month's figures as they are
 * now, plus `restatement` (1 for the first change after closing, then 2, …) and `changed` (what
 * this change added to each figure; negative when it took away).
 */
export function periodRestatedData(
  campaign: CampaignRow,
  figures: MonthFigures,
  change: { raised: number; refunded: number; disputed: number; donations: number; donors: number },
  restatement: number,
) {
  return {
    ...periodClosedData(campaign, figures),
    restatement,
    changed: {
      raised: change.raised,
      refunded: change.refunded,
      disputed: change.disputed,
      donations_count: change.donations,
      donors_count: change.donors,
    },
  };
}

/** Closes one month and announces it, in one transaction; false when it was closed already. */
async function closeMonth(deps: Deps, campaign: CampaignRow, month: PeriodKey): Promise<boolean> {
  return withTransaction(deps.db, async (client) => {
    // A month without donations has no row yet: it gets one, with the goal in force then.
    await ensurePeriod(client, campaign.id, month);
    if (!(await markPeriodClosed(client, campaign.id, month))) return false;
    const [figures] = await monthlyHistory(client, campaign, month, month);
    await emitConsumerEvent(client, {
      type: 'period.closed',
      data: periodClosedData(campaign, figures!),
      dedupeKey: `period.closed:${campaign.id}:${month}`,
    });
    return true;
  });
}

/**
 * Closes every month that has ended in its campaign's timezone (PERIOD_CLOSE_DELAY_MS ago) and
 * emits `period.closed` for each. Campaigns are independent: one failing does not hold up the
 * others, and its months are tried again on the next run.
 */
export async function closeEndedMonths(deps: Deps, now: Date, delayMs: number): Promise<{ closed: number; failed: number }> {
  let closed = 0;
  let failed = 0;
  for (const state of await closingStates(deps.db)) {
    const months = monthsToClose(state, now, delayMs);
    if (!months.length) continue;
    try {
      const campaign = await findCampaignById(deps.db, state.campaign_id);
      if (!campaign) continue;
      // Oldest first, and stop at a failure, so closings never skip a month.
      for (const month of months) {
        if (await closeMonth(deps, campaign, month)) {
          closed += 1;
          deps.logger.info({ campaign: campaign.slug, month }, 'month closed');
        }
      }
    } catch (error) {
      failed += 1;
      deps.logger.error({ err: error, campaignId: state.campaign_id }, 'closing a month failed');
    }
  }
  return { closed, failed };
}
