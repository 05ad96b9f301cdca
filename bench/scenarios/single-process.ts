import type { Bench } from '../lib/bench.js';
import { freePort, residentBytes, sampleRss } from '../lib/children.js';
import { measure } from '../lib/load.js';
import type { ProgressCampaigns } from './progress.js';

const MB = 2 ** 20;

/**
 * P5, beside the API process: `npm start` as a clean clone runs it (no Stripe key, so the
 * emulator runs in-process), one compiled Node process holding the API, every worker and the
 * emulator. Reported, not held to the API's 150 MB: it carries the workers' and emulator's heap.
 * Its RSS is read after start-up and at the peak of a progress-read load like P1's.
 */
export async function benchSingleProcess(bench: Bench, campaigns: ProgressCampaigns): Promise<void> {
  const { STRIPE_API_BASE: _external, ...env } = bench.serviceEnv;
  const single = await bench.startChild(
    'npm-start',
    'src/bin/start.ts',
    {
      ...env,
      NODE_ENV: 'development',
      // Its own queues and channels (under the run's prefix, so the run's clean-up removes them).
      REDIS_PREFIX: `${env.REDIS_PREFIX}:single`,
      STRIPE_EMULATOR_PORT: String(await freePort()),
    },
    '/healthz',
  );
  const scenario = 'P5 memory';
  const startBytes = residentBytes(single.child.pid) ?? 0;
  bench.record({ scenario, metric: '`npm start` single process RSS just after start-up', unit: 'MB', value: startBytes / MB });
  const sampler = sampleRss(single.child.pid);
  const load = await measure(
    { url: `${single.url}/v1/campaigns/${campaigns.small.slug}/progress`, connections: bench.settings.connections, duration: bench.settings.duration },
    bench.settings.warmup,
  );
  bench.record({
    scenario,
    metric: '`npm start` single process RSS peak under progress reads',
    unit: 'MB',
    value: sampler.stop().peakBytes / MB,
    note: `${Math.round(load.rps)} req/s while sampled`,
  });
  await single.child.stop();
}
