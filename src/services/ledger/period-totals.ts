import type { CampaignRow } from '../../db/campaigns.js';
import { addToPeriod, changeDonorDonations, lockPeriodRows, recordCrossing, type PeriodAfterChange } from '../../db/period-totals.js';
import { ensurePeriod, TOTAL_PERIOD } from '../../db/periods.js';
import type { Queryable } from '../../db/pool.js';
import { tierCrossings } from '../../domain/progress.js';
import { emitConsumerEvent } from '../consumer-events.js';
import { goalReachedData, tierReachedData } from '../consumer-payloads.js';

export interface MoneyChange {
  raised: number;
  refunded: number;
  disputed: number;
  /** +1 when the donation starts counting, -1 when it stops, else 0. */
  donations: -1 | 0 | 1;
}

/** The period whose goal the campaign shows: each month for monthly goals, all time for total ones. */
function isGoalPeriod(campaign: CampaignRow, periodKey: string): boolean {
  return campaign.goal_period === 'total' ? periodKey === TOTAL_PERIOD : periodKey !== TOTAL_PERIOD;
}

/**
 * Applies one donation's money change to its month and to the all-time row, under those rows'
 * locks, and records the tiers and goal it reached (each once, ever). Tier and goal events go to
 * webhook consumers for the period the campaign's goal is about.
 */
export async function applyToPeriods(
  db: Queryable,
  campaign: CampaignRow,
  periodKey: string,
  change: MoneyChange,
  donorKey: string,
  at: Date,
): Promise<void> {
  const keys = [periodKey, TOTAL_PERIOD];
  for (const key of keys) await ensurePeriod(db, campaign.id, key);
  await lockPeriodRows(db, campaign.id, keys);
  for (const key of keys) {
    const donors = change.donations === 0 ? 0 : await changeDonorDonations(db, campaign.id, key, donorKey, change.donations);
    const after = await addToPeriod(db, campaign.id, key, { ...change, donors });
    if (after.raised > after.raisedBefore) await recordReached(db, campaign, key, after, at);
  }
}

async function recordReached(db: Queryable, campaign: CampaignRow, periodKey: string, after: PeriodAfterChange, at: Date): Promise<void> {
  const announce = isGoalPeriod(campaign, periodKey);
  const figures = { raised: after.raised, goal: after.goal, reachedAt: at };
  for (const amount of tierCrossings(after.tiers, after.raisedBefore, after.raised)) {
    const first = await recordCrossing(db, { campaignId: campaign.id, periodKey, kind: 'tier', amount, at });
    const tier = after.tiers.find((t) => t.amount === amount)!;
    if (first && announce) {
      await emitConsumerEvent(db, {
        type: 'tier.reached',
        data: tierReachedData(campaign, periodKey, tier, figures),
        dedupeKey: `tier.reached:${campaign.id}:${periodKey}:${amount}`,
        at,
      });
    }
  }
  if (after.raisedBefore < after.goal && after.raised >= after.goal) {
    const first = await recordCrossing(db, { campaignId: campaign.id, periodKey, kind: 'goal', amount: after.goal, at });
    if (first && announce) {
      await emitConsumerEvent(db, {
        type: 'goal.reached',
        data: goalReachedData(campaign, periodKey, figures),
        dedupeKey: `goal.reached:${campaign.id}:${periodKey}`,
        at,
      });
    }
  }
}
