import type { CampaignRow } from '../../db/campaigns.js';
import { addDonorsToPeriod, addToPeriod } from '../../db/period-totals.js';
import { ensurePeriod, TOTAL_PERIOD } from '../../db/periods.js';
import type { Queryable } from '../../db/pool.js';
import { recordReached } from './period-totals.js';

export interface CountedDonation {
  periodKey: string;
  amount: number;
  donorKey: string;
  at: Date;
}

interface PeriodSum {
  raised: number;
  donations: number;
  donorKeys: string[];
  /** The latest of the donations: the date tiers and the goal they reach are recorded with. */
  at: Date;
}

/**
 * `applyToPeriods` for many new donations at once (offline donations, an import's chunk): one
 * change per period instead of one per donation, so a chunk of 500 rows costs a few statements
 * per month. Same rules: donor rows first, then each aggregate row in key order (months before
 * 'total', as every writer takes them), then the tiers and goal reached.
 */
export async function addDonationsToPeriods(db: Queryable, campaign: CampaignRow, donations: readonly CountedDonation[]): Promise<void> {
  const sums = new Map<string, PeriodSum>();
  for (const donation of donations) {
    for (const key of [donation.periodKey, TOTAL_PERIOD]) {
      const sum = sums.get(key) ?? { raised: 0, donations: 0, donorKeys: [], at: donation.at };
      sum.raised += donation.amount;
      sum.donations += 1;
      sum.donorKeys.push(donation.donorKey);
      if (donation.at > sum.at) sum.at = donation.at;
      sums.set(key, sum);
    }
  }
  const keys = [...sums.keys()].sort();
  const newDonors = new Map<string, number>();
  for (const key of keys) {
    await ensurePeriod(db, campaign.id, key);
    newDonors.set(key, await addDonorsToPeriod(db, campaign.id, key, sums.get(key)!.donorKeys));
  }
  for (const key of keys) {
    const sum = sums.get(key)!;
    const after = await addToPeriod(db, campaign.id, key, {
      raised: sum.raised,
      refunded: 0,
      disputed: 0,
      donations: sum.donations,
      donors: newDonors.get(key)!,
    });
    if (!after) throw new Error(`period ${campaign.id}/${key} has no aggregate row`);
    if (after.raised > after.raisedBefore) await recordReached(db, campaign, key, after, sum.at);
  }
}
