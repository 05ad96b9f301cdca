import type { CampaignRow } from '../../db/campaigns.js';
import { addToPeriod, changeDonorDonations, recordCrossing, type PeriodAfterChange, type PeriodDelta } from '../../db/period-totals.js';
import { ensurePeriod, TOTAL_PERIOD } from '../../db/periods.js';
import { runNow, type LockedWork, type Queryable } from '../../db/pool.js';
import { movesFigures } from '../../domain/period-closing.js';
import { tierCrossings } from '../../domain/progress.js';
import { monthlyHistory } from '../months.js';
import { periodRestatedData } from '../period-closing.js';
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
 * Applies one donation's money change to its month and to the all-time row and records the
 * tiers and goal it reached (each once, ever). Tier and goal events go to webhook consumers for
 * the period the campaign's goal is about. Every donation of a campaign changes these same two
 * rows, so their locks are taken by `locked` — in an event's transaction, right before it
 * commits — and in key order (month before 'total'), as every writer of them does, so no two
 * transactions wait on each other in a circle. Donor counts are per-donor rows: they are
 * settled before, outside those locks.
 */
export async function applyToPeriods(
  db: Queryable,
  campaign: CampaignRow,
  periodKey: string,
  change: MoneyChange,
  donorKey: string,
  at: Date,
  locked: LockedWork = runNow,
): Promise<void> {
  const keys = [periodKey, TOTAL_PERIOD].sort();
  const donors: number[] = [];
  for (const key of keys) {
    if (change.donations === 0) {
      donors.push(0);
      continue;
    }
    // A donor row references its period's row (no lock taken on it: a key share does not wait on updates).
    await ensurePeriod(db, campaign.id, key);
    donors.push(await changeDonorDonations(db, campaign.id, key, donorKey, change.donations));
  }
  await locked(async () => {
    for (const [index, key] of keys.entries()) {
      const delta = { ...change, donors: donors[index]! };
      const moves = movesFigures(delta);
      let after = await addToPeriod(db, campaign.id, key, delta, moves);
      if (!after) {
        await ensurePeriod(db, campaign.id, key);
        after = await addToPeriod(db, campaign.id, key, delta, moves);
        if (!after) throw new Error(`period ${campaign.id}/${key} has no aggregate row`);
      }
      if (after.raised > after.raisedBefore) await recordReached(db, campaign, key, after, at);
      if (after.restatement !== null) await announceRestatement(db, campaign, key, delta, after.restatement, at);
    }
  });
}

/**
 * A closed month's figures changed (a late refund, dispute or payment): consumers get
 * `period.restated` with the month's new figures, what changed, and the restatement's number.
 */
async function announceRestatement(db: Queryable, campaign: CampaignRow, month: string, delta: PeriodDelta, restatement: number, at: Date): Promise<void> {
  const [figures] = await monthlyHistory(db, campaign, month, month);
  await emitConsumerEvent(db, {
    type: 'period.restated',
    data: periodRestatedData(campaign, figures!, delta, restatement),
    dedupeKey: `period.restated:${campaign.id}:${month}:${restatement}`,
    at,
  });
}

/** Records the tiers and goal a period's change reached (each once, ever) and tells consumers. */
export async function recordReached(db: Queryable, campaign: CampaignRow, periodKey: string, after: PeriodAfterChange, at: Date): Promise<void> {
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
