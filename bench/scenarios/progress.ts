import { performance } from 'node:perf_hooks';
import { findCampaignBySlug } from '../../src/db/campaigns.js';
import { periodKeyOf } from '../../src/domain/period.js';
import { computeProgress } from '../../src/services/progress.js';
import { createCampaign, type Bench, type BenchCampaign } from '../lib/bench.js';
import { seedDonations } from '../lib/database.js';
import { alternateRounds, measure, median, pairedRatio, typicalRound } from '../lib/load.js';

export interface ProgressCampaigns {
  small: BenchCampaign;
  big: BenchCampaign;
  /** The small campaign's progress body: the baseline server answers with the same bytes. */
  body: string;
  etag: string;
}

/** Two campaigns with a month of donations each (1,000 and 1,000,000 by default). */
export async function prepareProgressCampaigns(bench: Bench): Promise<ProgressCampaigns> {
  const small = await createCampaign(bench, 'bench-small');
  const big = await createCampaign(bench, 'bench-big');
  const month = periodKeyOf(new Date(), small.timezone);
  const started = performance.now();
  await seedDonations(bench.db, small, month, bench.settings.smallDonations);
  await seedDonations(bench.db, big, month, bench.settings.bigDonations);
  process.stderr.write(`  seeded ${bench.settings.smallDonations + bench.settings.bigDonations} donations in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const response = await fetch(`${bench.api.url}/v1/campaigns/${small.slug}/progress`);
  return { small, big, body: await response.text(), etag: response.headers.get('etag') ?? '' };
}

/**
 * The read without its cache: the same computation a cache miss runs, timed in this process
 * against the bench database, alternating campaigns so drift hits both equally.
 */
async function timeCacheMisses(bench: Bench, campaigns: ProgressCampaigns) {
  const small = (await findCampaignBySlug(bench.db, campaigns.small.slug))!;
  const big = (await findCampaignBySlug(bench.db, campaigns.big.slug))!;
  const periodKey = periodKeyOf(new Date(), small.timezone);
  const times = { small: [] as number[], big: [] as number[] };
  for (let i = 0; i < bench.settings.computeSamples; i += 1) {
    for (const [key, campaign] of [['small', small], ['big', big]] as const) {
      const started = performance.now();
      await computeProgress(bench.db, campaign, periodKey);
      times[key].push(performance.now() - started);
    }
  }
  return { small: median(times.small), big: median(times.big) };
}

export async function benchProgressRead(bench: Bench, campaigns: ProgressCampaigns): Promise<void> {
  const { settings, api } = bench;
  const load = { connections: settings.connections, duration: settings.duration };
  const progressUrl = (slug: string) => `${api.url}/v1/campaigns/${slug}/progress`;
  // Each round runs the bare handler and the reads (odd rounds in reverse); the 1,000 and 1,000,000 reads back to back.
  const rounds = await alternateRounds(
    settings.rounds,
    {
      baseline: (warmup) => measure({ ...load, url: `${bench.baselineUrl}/v1/campaigns/${campaigns.small.slug}/progress` }, warmup),
      small: (warmup) => measure({ ...load, url: progressUrl(campaigns.small.slug) }, warmup),
      big: (warmup) => measure({ ...load, url: progressUrl(campaigns.big.slug) }, warmup),
      notModified: (warmup) =>
        measure({ ...load, url: progressUrl(campaigns.small.slug), headers: { 'if-none-match': campaigns.etag } }, warmup, (s) => s === 304),
    },
    settings.warmup,
  );
  const typical = {
    baseline: typicalRound(rounds.baseline),
    small: typicalRound(rounds.small),
    big: typicalRound(rounds.big),
    notModified: typicalRound(rounds.notModified),
  };
  const scenario = 'P1 progress read';
  bench.record({ scenario, metric: 'bare Express handler', unit: 'req/s', value: typical.baseline.rps, note: `p99 ${typical.baseline.p99Ms} ms` });
  bench.record({
    scenario,
    metric: `GET progress (${settings.smallDonations.toLocaleString('en-US')} donations)`,
    unit: 'req/s',
    value: typical.small.rps,
    baseline: typical.baseline.rps,
    ratio: pairedRatio(rounds.small, rounds.baseline),
    baselineLabel: 'bare',
    target: { compare: 'ratio_at_least', limit: 0.9 },
    note: `p99 ${typical.small.p99Ms} ms`,
  });
  bench.record({
    scenario,
    metric: 'GET progress, If-None-Match → 304',
    unit: 'req/s',
    value: typical.notModified.rps,
    baseline: typical.baseline.rps,
    ratio: pairedRatio(rounds.notModified, rounds.baseline),
    baselineLabel: 'bare',
    target: { compare: 'ratio_at_least', limit: 0.9 },
    note: `p99 ${typical.notModified.p99Ms} ms; statuses ${JSON.stringify(typical.notModified.statusCodes)}`,
  });
  bench.record({
    scenario,
    metric: `GET progress (${settings.bigDonations.toLocaleString('en-US')} donations)`,
    unit: 'req/s',
    value: typical.big.rps,
    baseline: typical.small.rps,
    ratio: pairedRatio(rounds.big, rounds.small),
    baselineLabel: `${settings.smallDonations.toLocaleString('en-US')}`,
    target: { compare: 'ratio_within', limit: 1.1 },
    note: `p99 ${typical.big.p99Ms} ms`,
  });
  const misses = await timeCacheMisses(bench, campaigns);
  bench.record({
    scenario,
    metric: `cache-miss compute, median (${settings.bigDonations.toLocaleString('en-US')} donations)`,
    unit: 'ms',
    value: misses.big,
    baseline: misses.small,
    baselineLabel: `${settings.smallDonations.toLocaleString('en-US')}`,
    target: { compare: 'ratio_within', limit: 1.1 },
  });
}
