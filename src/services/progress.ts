import { AppError, notFound } from '../errors.js';
import { findCampaignBySlug, type CampaignRow } from '../db/campaigns.js';
import { findPeriodFigures, TOTAL_PERIOD } from '../db/periods.js';
import type { Queryable } from '../db/pool.js';
import { monthlyPeriod, periodKeyOf } from '../domain/period.js';
import { strongEtag } from '../domain/etag.js';
import { buildProgress, type Progress, type TotalPeriod } from '../domain/progress.js';
import type { ProgressChangeFeed } from '../domain/progress-changes.js';

export interface ProgressSnapshot {
  progress: Progress;
  /** The serialized body, computed once and served to every reader until it changes. */
  body: string;
  etag: string;
}

/** The period a progress read shows: the month asked for (or now), or all time for total goals. */
export function progressPeriodKey(campaign: CampaignRow, month: string | undefined, now: Date): string {
  if (campaign.goal_period === 'total' && month === undefined) return TOTAL_PERIOD;
  const current = periodKeyOf(now, campaign.timezone);
  if (month === undefined) return current;
  if (month > current) {
    throw new AppError('validation_failed', `The month ${month} has not started yet in ${campaign.timezone}.`, [
      { field: 'month', message: `must not be after the current month (${current})` },
    ]);
  }
  return month;
}

/**
 * What a monthly period shows as pledged: the current month asks the database (in the same
 * statement as the figures); a month that is over has nothing left due, so 0. Total periods
 * have none.
 */
function pledgedSince(periodKey: string, campaign: CampaignRow, now: Date): Date | null {
  if (periodKey === TOTAL_PERIOD || periodKey !== periodKeyOf(now, campaign.timezone)) return null;
  return new Date(monthlyPeriod(periodKey, campaign.timezone).starts_at);
}

export async function computeProgress(
  db: Queryable,
  campaign: CampaignRow,
  periodKey: string,
  now: Date = new Date(),
): Promise<ProgressSnapshot> {
  const since = pledgedSince(periodKey, campaign, now);
  const figures = await findPeriodFigures(db, campaign.id, periodKey, since);
  const period =
    periodKey === TOTAL_PERIOD
      ? ({ type: 'total', key: 'total', label: 'ALL TIME', starts_at: campaign.created_at.toISOString(), ends_at: null } satisfies TotalPeriod)
      : monthlyPeriod(periodKey, campaign.timezone);
  const reachedAt = new Map<number, string>();
  for (const crossing of figures?.crossings ?? []) {
    if (crossing.kind === 'tier') reachedAt.set(Number(crossing.amount), crossing.reached_at);
  }
  const progress = buildProgress({
    slug: campaign.slug,
    currency: campaign.currency,
    period,
    reachedAt,
    ...(period.type === 'monthly' && { pledged: figures?.pledged ?? 0 }),
    figures: {
      goal: figures?.goal_amount ?? campaign.goal_amount,
      tiers: figures?.tiers ?? campaign.tiers,
      raised: figures?.raised ?? 0,
      donations_count: figures?.donations_count ?? 0,
      donors_count: figures?.donors_count ?? 0,
      updated_at: (figures?.exact ? figures.updated_at : campaign.updated_at).toISOString(),
    },
  });
  const body = JSON.stringify(progress);
  return { progress, body, etag: strongEtag(body) };
}

/** "This month" (no ?month=) is cached under its own key, so a hit needs no timezone math. */
function snapshotKey(campaignId: number, month: string | undefined): string {
  return `${campaignId}|${month ?? 'current'}`;
}

interface CacheEntry<T> {
  value: T;
  expiresAt: number;
}

/**
 * The progress read sits on every article page of a busy site, so the serialized answer is kept
 * for a short time per campaign and period. A ledger change invalidates it at once (locally, and
 * in other API processes through the progress change channel); the TTL only bounds staleness
 * of campaign edits made through another replica.
 */
export class ProgressReader {
  private readonly campaigns = new Map<string, CacheEntry<CampaignRow | null>>();
  private readonly snapshots = new Map<string, CacheEntry<ProgressSnapshot>>();
  /** Reads under way, shared by every caller asking for the same figures meanwhile (no stampede on a miss). */
  private readonly reading = new Map<string, Promise<ProgressSnapshot>>();
  /** Bumped by each invalidation: a read that started before it must not fill the cache afterwards. */
  private readonly generations = new Map<number, number>();
  /** Every invalidation, whatever the campaign: a campaign read by slug does not know its id until it is read. */
  private invalidations = 0;

  constructor(
    private readonly db: Queryable,
    /** PROGRESS_CACHE_TTL_MS */
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async campaign(slug: string): Promise<CampaignRow | null> {
    const cached = this.campaigns.get(slug);
    if (cached && cached.expiresAt > this.clock()) return cached.value;
    const invalidations = this.invalidations;
    const campaign = await findCampaignBySlug(this.db, slug);
    // A change made while it was read (a pause) may be missing from it: answered, not kept.
    if (invalidations === this.invalidations) this.campaigns.set(slug, { value: campaign, expiresAt: this.clock() + this.ttlMs });
    return campaign;
  }

  /** A campaign readers may see: archived campaigns are gone from public pages. */
  async visibleCampaign(slug: string): Promise<CampaignRow> {
    const campaign = await this.campaign(slug);
    if (!campaign || campaign.status === 'archived') throw notFound(`Campaign "${slug}"`);
    return campaign;
  }

  /** The cached campaign when it is fresh and visible, without an await; undefined otherwise. */
  peekCampaign(slug: string): CampaignRow | undefined {
    const cached = this.campaigns.get(slug);
    if (!cached || cached.expiresAt <= this.clock() || !cached.value || cached.value.status === 'archived') return undefined;
    return cached.value;
  }

  snapshot(campaign: CampaignRow, month?: string): Promise<ProgressSnapshot> {
    const cacheKey = snapshotKey(campaign.id, month);
    const cached = this.snapshots.get(cacheKey);
    if (cached && cached.expiresAt > this.clock()) return Promise.resolve(cached.value);
    const pending = this.reading.get(cacheKey);
    if (pending) return pending;
    const read = this.read(campaign, month, cacheKey).finally(() => {
      if (this.reading.get(cacheKey) === read) this.reading.delete(cacheKey);
    });
    this.reading.set(cacheKey, read);
    return read;
  }

  private async read(campaign: CampaignRow, month: string | undefined, cacheKey: string): Promise<ProgressSnapshot> {
    const generation = this.generations.get(campaign.id) ?? 0;
    const now = this.clock();
    const periodKey = progressPeriodKey(campaign, month, new Date(now));
    const snapshot = await computeProgress(this.db, campaign, periodKey, new Date(now));
    if ((this.generations.get(campaign.id) ?? 0) !== generation) return snapshot;
    // "This month" must not outlive the month: the entry expires at the period's end at the latest.
    const periodEnd = snapshot.progress.period.ends_at ? Date.parse(snapshot.progress.period.ends_at) : Infinity;
    this.snapshots.set(cacheKey, { value: snapshot, expiresAt: Math.min(now + this.ttlMs, periodEnd) });
    return snapshot;
  }

  /**
   * The cached answer for a public progress read, without touching the database or the clock's
   * timezone math; undefined when anything needed is not cached and fresh (the caller then
   * takes the full path, which fills the cache).
   */
  peek(slug: string, month: string | undefined): ProgressSnapshot | undefined {
    const campaign = this.peekCampaign(slug);
    const cached = campaign && this.snapshots.get(snapshotKey(campaign.id, month));
    return cached && cached.expiresAt > this.clock() ? cached.value : undefined;
  }

  /** Drops everything cached for a campaign (its money or its settings changed). */
  invalidate(campaignId: number, slug?: string): void {
    this.invalidations += 1;
    this.generations.set(campaignId, (this.generations.get(campaignId) ?? 0) + 1);
    for (const key of [...this.snapshots.keys(), ...this.reading.keys()]) {
      if (key.startsWith(`${campaignId}|`)) {
        this.snapshots.delete(key);
        this.reading.delete(key);
      }
    }
    for (const [cachedSlug, entry] of this.campaigns) {
      if (cachedSlug === slug || entry.value?.id === campaignId) this.campaigns.delete(cachedSlug);
    }
  }
}

/**
 * Campaigns whose figures (money or monthly pledges) just changed: their cached progress is
 * dropped in this process at once and, through the change feed, in every other one, whose live
 * streams then push the new figures.
 */
export async function progressChanged(
  deps: { progress: Pick<ProgressReader, 'invalidate'>; changes: Pick<ProgressChangeFeed, 'publish'> },
  campaignIds: Iterable<number>,
): Promise<void> {
  const ids = [...campaignIds];
  for (const campaignId of ids) deps.progress.invalidate(campaignId);
  await Promise.all(ids.map((campaignId) => deps.changes.publish(campaignId)));
}
