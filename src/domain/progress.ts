import type { Period } from './period.js';

export interface Tier {
  amount: number;
  label: string;
  description: string;
}

export interface TotalPeriod {
  type: 'total';
  key: 'total';
  label: string;
  starts_at: string;
  ends_at: null;
}

export interface PeriodFigures {
  goal: number;
  tiers: Tier[];
  raised: number;
  donations_count: number;
  donors_count: number;
  updated_at: string;
}

export interface Progress {
  campaign: string;
  period: Period | TotalPeriod;
  currency: string;
  goal: number;
  raised: number;
  /**
   * Monthly periods only: what active monthly donors are still due to give in the month (active
   * subscriptions not paid since it began). Never part of `raised`; 0 once the month is over.
   */
  pledged?: number;
  percent: number;
  donations_count: number;
  donors_count: number;
  tiers: { amount: number; label: string; reached: boolean; reached_at: string | null }[];
  next_tier: { amount: number; label: string; remaining: number } | null;
  updated_at: string;
}

/** Percent of the goal raised, two decimals, not capped: a month can beat its goal. */
export function percentOf(raised: number, goal: number): number {
  if (goal <= 0) return 0;
  return Math.round((raised / goal) * 10_000) / 100;
}

/** Tiers whose amount lies in (before, after]: the ones a change of the total just reached. */
export function tierCrossings(tiers: readonly { amount: number }[], before: number, after: number): number[] {
  return tiers.filter((tier) => tier.amount > before && tier.amount <= after).map((tier) => tier.amount);
}

export function buildProgress(input: {
  slug: string;
  currency: string;
  period: Period | TotalPeriod;
  figures: PeriodFigures;
  reachedAt: ReadonlyMap<number, string>;
  pledged?: number;
}): Progress {
  const { figures } = input;
  const tiers = figures.tiers.map((tier) => {
    const reached = figures.raised >= tier.amount;
    return {
      amount: tier.amount,
      label: tier.label,
      reached,
      reached_at: reached ? (input.reachedAt.get(tier.amount) ?? null) : null,
    };
  });
  const next = figures.tiers.find((tier) => tier.amount > figures.raised);
  return {
    campaign: input.slug,
    period: input.period,
    currency: input.currency,
    goal: figures.goal,
    raised: figures.raised,
    ...(input.pledged !== undefined && { pledged: input.pledged }),
    percent: percentOf(figures.raised, figures.goal),
    donations_count: figures.donations_count,
    donors_count: figures.donors_count,
    tiers,
    next_tier: next ? { amount: next.amount, label: next.label, remaining: next.amount - figures.raised } : null,
    updated_at: figures.updated_at,
  };
}
