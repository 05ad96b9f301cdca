import { performance } from 'node:perf_hooks';
import type { Bench, BenchCampaign } from '../lib/bench.js';
import { sampleCpu } from '../lib/cpu.js';

type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** Stripe's request encoding (bracket paths), as the SDK writes it. */
function stripeForm(value: FormValue, prefix = '', pairs: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') pairs.push([prefix, value]);
  else if (Array.isArray(value)) value.forEach((item, index) => stripeForm(item, `${prefix}[${index}]`, pairs));
  else for (const [key, item] of Object.entries(value)) stripeForm(item, prefix ? `${prefix}[${key}]` : key, pairs);
  return pairs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(url: string, init: RequestInit, expectStatus: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== expectStatus) throw new Error(`${init.method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return elapsed;
}

/**
 * What Goalpost adds on top of Stripe's own work when a donor starts a checkout: the median
 * time of POST /v1/campaigns/:slug/checkout minus the median time of the very Checkout Session
 * create it sent, replayed straight to the emulator. One request at a time, alternating, so both
 * see the same machine.
 */
export async function benchCheckoutOverhead(bench: Bench, campaign: BenchCampaign, emulatorUrl: string): Promise<void> {
  const checkoutUrl = `${bench.api.url}/v1/campaigns/${campaign.slug}/checkout`;
  const checkout: RequestInit = {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      amount: 2_500,
      frequency: 'one_time',
      email: 'donor@bench.example',
      name: 'Bench Donor',
      anonymous: false,
      message: 'Keep it up',
      cover_fees: false,
      success_url: 'https://bench.example/thanks',
      cancel_url: 'https://bench.example/',
    }),
  };
  await timed(checkoutUrl, checkout, 201);

  const log = (await (await fetch(`${emulatorUrl}/_emulator/requests`)).json()) as { requests: { route: string; params: FormValue }[] };
  const sent = log.requests.filter((request) => request.route === 'POST /v1/checkout/sessions').at(-1);
  if (!sent) throw new Error('the checkout did not reach the Stripe emulator');
  const direct: RequestInit = {
    method: 'POST',
    headers: { Authorization: 'Bearer sk_test_goalpost_bench', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(stripeForm(sent.params)).toString(),
  };

  const samples = bench.settings.checkouts;
  const round = async () => ({
    goalpost: await timed(checkoutUrl, checkout, 201),
    emulator: await timed(`${emulatorUrl}/v1/checkout/sessions`, direct, 200),
  });
  // The first rounds warm both up and are not kept.
  for (let index = 0; index < 20; index += 1) await round();
  // What the overhead is made of: the API's CPU and its PostgreSQL sessions' over the timed requests.
  const cpu = sampleCpu(bench.db, [{ name: 'api', pid: bench.api.child.pid }]);
  const times = { goalpost: [] as number[], emulator: [] as number[] };
  for (let index = 0; index < samples; index += 1) {
    const { goalpost, emulator } = await round();
    times.goalpost.push(goalpost);
    times.emulator.push(emulator);
  }
  const used = await cpu.stop();
  const perCheckout = (ms: number) => (ms / samples).toFixed(2);
  const scenario = 'P4 checkout';
  const goalpost = median(times.goalpost);
  const emulator = median(times.emulator);
  bench.record({ scenario, metric: 'emulator session create alone, median', unit: 'ms', value: emulator });
  bench.record({ scenario, metric: 'POST /v1/campaigns/:slug/checkout, median', unit: 'ms', value: goalpost });
  bench.record({
    scenario,
    metric: 'checkout overhead over the emulator (median)',
    unit: 'ms',
    value: goalpost - emulator,
    target: { compare: 'value_at_most', limit: 5 },
    note: `${samples} sequential requests each; CPU per checkout: the API process ${perCheckout(used.processesMs)} ms, its PostgreSQL sessions ${perCheckout(used.postgresMs)} ms`,
  });
}
