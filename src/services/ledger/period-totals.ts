import type { CampaignRow } from '../../db/campaigns.js';
import {
  addToPeriods,
  changePeriodDonors,
  recordCrossings,
  type Crossing,
  type PeriodAfterChange,
  type PeriodDelta,
} from '../../db/period-totals.js';
import { ensurePeriods, TOTAL_PERIOD } from '../../db/periods.js';
import type { Queryable } from '../../db/pool.js';
import { movesFigures } from '../../domain/period-closing.js';
import { tierCrossings } from '../../domain/progress.js';
import type { ConsumerEventRequest } from '../consumer-events.js';
import { goalReachedData, tierReachedData } from '../consumer-payloads.js';
import { monthlyHistory } from '../months.js';
import { periodRestatedData } from '../period-closing.js';
import type { PeriodChange } from './effects.js';

/** The period whose goal the campaign shows: each month for monthly goals, all time for total ones. */
function isGoalPeriod(campaign: CampaignRow, periodKey: string): boolean {
  return campaign.goal_period === 'total' ? periodKey === TOTAL_PERIOD : periodKey !== TOTAL_PERIOD;
}

/** One aggregate row's share of a batch: its changes in the order their events were applied. */
interface PeriodFold {
  campaign: CampaignRow;
  periodKey: string;
  changes: PeriodChange[];
}

/** Each change counts in its month and in the campaign's all-time row; rows in key order. */
function foldsOf(changes: readonly PeriodChange[]): PeriodFold[] {
  const folds = new Map<string, PeriodFold>();
  for (const change of changes) {
    for (const periodKey of [change.periodKey, TOTAL_PERIOD]) {
      const key = `${String(change.campaign.id).padStart(12, '0')}:${periodKey}`;
      const fold = folds.get(key) ?? { campaign: change.campaign, periodKey, changes: [] };
      fold.changes.push(change);
      folds.set(key, fold);
    }
  }
  return [...folds.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, fold]) => fold);
}

/** How many counted donations each donor gained or lost in this row over the batch. */
function donorChangesOf(fold: PeriodFold): { campaignId: number; periodKey: string; donorKey: string; change: number }[] {
  const byDonor = new Map<string, number>();
  for (const { change, donorKey } of fold.changes) {
    if (change.donations) byDonor.set(donorKey, (byDonor.get(donorKey) ?? 0) + change.donations);
  }
  return [...byDonor]
    .filter(([, change]) => change !== 0)
    .map(([donorKey, change]) => ({ campaignId: fold.campaign.id, periodKey: fold.periodKey, donorKey, change }));
}

/**
 * Folds a batch's money changes into the per-period aggregates, a few statements for the whole
 * batch however many campaigns it touched: one creates the rows not there yet, the donors' rows
 * follow (they reference the period rows), then one UPDATE adds every row's share, locking the
 * rows once per batch and in key order (campaign, then period key: months before 'total'), like
 * every writer, so no two batches wait on each other in a circle. Returns the consumer events
 * of the tiers and goals reached (each recorded once, ever, in tier_crossings: one insert for
 * the batch), dated by the change that crossed them, and of closed months whose figures the
 * batch moved (period.restated: one restatement per month and batch, with what it changed).
 */
export async function foldPeriodChanges(db: Queryable, changes: readonly PeriodChange[]): Promise<ConsumerEventRequest[]> {
  const folds = foldsOf(changes);
  if (!folds.length) return [];
  // Every row exists before the donors' rows reference it (a key share: it does not wait on the updates below).
  await ensurePeriods(db, folds.map(({ campaign, periodKey }) => ({ campaignId: campaign.id, periodKey })));
  const flatDonorChanges = folds.flatMap(donorChangesOf);
  const donorDeltas = await changePeriodDonors(db, flatDonorChanges);
  const donorsDelta = new Map<string, number>();
  flatDonorChanges.forEach(({ campaignId, periodKey }, index) => {
    const key = `${campaignId}:${periodKey}`;
    donorsDelta.set(key, (donorsDelta.get(key) ?? 0) + donorDeltas[index]!);
  });
  const deltas = folds.map((fold) => deltaOf(fold, donorsDelta.get(`${fold.campaign.id}:${fold.periodKey}`) ?? 0));
  const afters = await addToPeriods(
    db,
    folds.map((fold, index) => ({ campaignId: fold.campaign.id, periodKey: fold.periodKey, delta: deltas[index]!, movesFigures: movesFigures(deltas[index]!) })),
  );
  const reached = folds.map((fold, index) => (fold.changes.some(({ change }) => change.raised > 0) ? reachedIn(fold, afters[index]!) : []));
  const first = await recordCrossings(db, reached.flat().map(({ crossing }) => crossing));
  const events: ConsumerEventRequest[] = [];
  for (const [index, fold] of folds.entries()) {
    for (const { crossing, event } of reached[index]!) if (first.has(crossing) && event) events.push(event);
    const { restatement: number } = afters[index]!;
    if (number !== null) events.push(await restatement(db, fold, deltas[index]!, number));
  }
  return events;
}

/** The row's share of the batch: its changes summed, with how its donors count changed. */
function deltaOf(fold: PeriodFold, donors: number): PeriodDelta {
  const delta = { raised: 0, refunded: 0, disputed: 0, donations: 0, donors };
  for (const { change } of fold.changes) {
    delta.raised += change.raised;
    delta.refunded += change.refunded;
    delta.disputed += change.disputed;
    delta.donations += change.donations;
  }
  return delta;
}

/**
 * A closed month's figures changed (a late refund, dispute or payment): consumers get
 * `period.restated` with the month's new figures, what changed, and the restatement's number.
 */
async function restatement(db: Queryable, fold: PeriodFold, delta: PeriodDelta, number: number): Promise<ConsumerEventRequest> {
  const { campaign, periodKey: month } = fold;
  const [figures] = await monthlyHistory(db, campaign, month, month);
  return {
    type: 'period.restated',
    data: periodRestatedData(campaign, figures!, delta, number),
    dedupeKey: `period.restated:${campaign.id}:${month}:${number}`,
    at: fold.changes[fold.changes.length - 1]!.at,
  };
}

/** A tier or goal a change crossed, with the consumer event it makes if recorded now (none outside the goal's period). */
interface Reached {
  crossing: Crossing;
  event: ConsumerEventRequest | null;
}

/**
 * Walks the row's changes in order from where the batch found it, so each tier or goal is
 * dated by (and announced with the figures of) the change that crossed it.
 */
function reachedIn(fold: PeriodFold, after: PeriodAfterChange): Reached[] {
  const { campaign, periodKey } = fold;
  const announce = isGoalPeriod(campaign, periodKey);
  const reached: Reached[] = [];
  let raised = after.raisedBefore;
  for (const { change, at } of fold.changes) {
    const before = raised;
    raised += change.raised;
    if (raised <= before) continue;
    const figures = { raised, goal: after.goal, reachedAt: at };
    for (const amount of tierCrossings(after.tiers, before, raised)) {
      const tier = after.tiers.find((t) => t.amount === amount)!;
      reached.push({
        crossing: { campaignId: campaign.id, periodKey, kind: 'tier', amount, at },
        event: announce
          ? { type: 'tier.reached', data: tierReachedData(campaign, periodKey, tier, figures), dedupeKey: `tier.reached:${campaign.id}:${periodKey}:${amount}`, at }
          : null,
      });
    }
    if (before < after.goal && raised >= after.goal) {
      reached.push({
        crossing: { campaignId: campaign.id, periodKey, kind: 'goal', amount: after.goal, at },
        event: announce ? { type: 'goal.reached', data: goalReachedData(campaign, periodKey, figures), dedupeKey: `goal.reached:${campaign.id}:${periodKey}`, at } : null,
      });
    }
  }
  return reached;
}
