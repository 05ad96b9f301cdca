/**
 * `npm run bench`: Goalpost's performance promises measured beside baselines run in the same
 * invocation on the same machine (absolute numbers drift on shared machines; ratios hold).
 * Servers run as child processes on loopback; the load generator is this process.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ADMIN_KEY, WEBHOOK_SECRET, benchSettings, createResults, type Bench, type RunningApi } from './lib/bench.js';
import { ensureBuilt, freePort, residentBytes, sampleRss, spawnCompiled, spawnTs, waitForHttp, type Child } from './lib/children.js';
import { benchRedisPrefix, createBenchDatabase, dropRedisPrefix, openBenchPool } from './lib/database.js';
import { readLargestProfile, summarizeProfile, type ProfileSummary } from './lib/profile.js';
import { formatTable, machineInfo, writeReport, type Failure } from './lib/report.js';
import { benchProgressRead, prepareProgressCampaigns } from './scenarios/progress.js';
import { benchCheckoutOverhead } from './scenarios/checkout-overhead.js';
import { benchEndToEnd } from './scenarios/end-to-end.js';
import { benchProgressStreams } from './scenarios/progress-streams.js';
import { benchEndToEndPostgresOnly } from './scenarios/end-to-end-postgres.js';
import { benchWebhookAck } from './scenarios/webhook-ack.js';
import { benchSingleProcess } from './scenarios/single-process.js';

const RESULTS_PATH = fileURLToPath(new URL('./results/latest.json', import.meta.url));
/**
 * BENCH_CPU_PROFILE=1: every Goalpost process (API, workers) runs with --cpu-prof, and the run
 * ends with where each one's CPU went.
 */
const PROFILE_DIR = fileURLToPath(new URL(`./results/profile-${Date.now()}`, import.meta.url));
const profiling = process.env.BENCH_CPU_PROFILE === '1';
const profiled = new Set<string>();
const MB = 2 ** 20;

const settings = benchSettings();
const startedAt = new Date();
const results = createResults();
const failures: Failure[] = [];
const children: Child[] = [];

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function startChild(
  name: string,
  entry: string,
  env: Record<string, string>,
  readyPath?: string,
  options: { port?: number; portVariable?: string } = {},
): Promise<RunningApi> {
  const port = options.port ?? (await freePort());
  const profile = profiling && (entry === 'src/bin/api.ts' || entry === 'src/bin/worker.ts' || entry === 'src/bin/start.ts');
  if (profile) profiled.add(name);
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, name)}`] : [];
  // Goalpost's own processes run compiled, with production's heap flags; bench servers run from TypeScript.
  const spawnEntry = entry.startsWith('src/bin/') ? spawnCompiled : spawnTs;
  const child = spawnEntry(name, entry, { ...env, [options.portVariable ?? 'PORT']: String(port) }, nodeArgs);
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  if (readyPath !== undefined) await waitForHttp(child, `${url}${readyPath}`);
  return { url, child };
}

/** Runs one scenario; a failure is recorded and the run goes on to the next one. */
async function scenario(id: string, title: string, run: () => Promise<void>): Promise<void> {
  if (!settings.only.includes(id)) return;
  log(`${id} ${title} …`);
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    // A server that died is the likeliest cause; its last words belong in the report.
    const dead = children.filter((child) => (child.process.exitCode ?? 0) !== 0 || child.process.signalCode !== null);
    const deaths = dead.map((child) => `\n${child.name} exited (${child.process.exitCode ?? child.process.signalCode}):\n${child.outputTail()}`);
    const reason = `${(error as Error).message}${deaths.join('')}`;
    failures.push({ scenario: `${id} ${title}`, reason });
    log(`  ${id} FAILED: ${reason}`);
  }
  log(`  ${id} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

ensureBuilt();
const database = await createBenchDatabase(settings.databaseServer);
const redisPrefix = benchRedisPrefix();
const db = openBenchPool(database.url, 4);
try {
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';
  // Stripe is the emulator, standalone (`npm run stripe:emulator`), wired to this run's API the
  // way `npm start` wires them; the bench makes no payments through it.
  const apiPort = await freePort();
  const emulator = await startChild(
    'stripe-emulator',
    'src/bin/stripe-emulator.ts',
    // A development tool: it refuses NODE_ENV=production, which the bench gives its other children.
    { NODE_ENV: 'development', LOG_LEVEL: logLevel, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}` },
    '/',
    { portVariable: 'STRIPE_EMULATOR_PORT' },
  );
  const serviceEnv = {
    NODE_ENV: 'production',
    LOG_LEVEL: logLevel,
    DATABASE_URL: database.url,
    REDIS_URL: settings.redisUrl,
    REDIS_PREFIX: redisPrefix,
    ADMIN_API_KEY: ADMIN_KEY,
    // Production refuses to start without a Stripe key; the emulator takes any test key.
    STRIPE_SECRET_KEY: 'sk_test_goalpost_emulator',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: emulator.url,
    CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000000',
    // BENCH_NODE_OPTIONS tries runtime flags on Goalpost's processes only, e.g. heap limits for P5.
    ...(process.env.BENCH_NODE_OPTIONS && { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }),
  };
  const api = await startChild('api', 'src/bin/api.ts', serviceEnv, '/healthz', { port: apiPort });
  const idleRssBytes = residentBytes(api.child.pid) ?? 0;
  const bench: Bench = { settings, redisUrl: settings.redisUrl, db, api, baselineUrl: '', serviceEnv, startChild, ...results };

  log('preparing campaigns …');
  const campaigns = await prepareProgressCampaigns(bench);
  bench.baselineUrl = (await startChild('baseline', 'bench/servers/baseline.ts', { BASELINE_BODY: campaigns.body }, '/')).url;

  if (settings.only.includes('P5')) bench.record({ scenario: 'P5 memory', metric: 'API RSS just after start-up', unit: 'MB', value: idleRssBytes / MB });
  const recordRss = (load: string, peakBytes: number) => {
    if (settings.only.includes('P5')) {
      bench.record({ scenario: 'P5 memory', metric: `API RSS peak under ${load} load`, unit: 'MB', value: peakBytes / MB, target: { compare: 'value_at_most', limit: 150 } });
    }
  };

  await scenario('P1', 'progress read vs a bare Express handler', async () => {
    const rssUnderReads = sampleRss(api.child.pid);
    await benchProgressRead(bench, campaigns);
    recordRss('P1', rssUnderReads.stop().peakBytes);
  });

  await scenario('P2', 'webhook acknowledgement vs the bare handler', async () => {
    const rssUnderWebhooks = sampleRss(api.child.pid);
    await benchWebhookAck(bench, campaigns.small);
    recordRss('P2', rssUnderWebhooks.stop().peakBytes);
  });
  await scenario('P5', '`npm start` single process (API + workers + emulator) beside the API process', () =>
    benchSingleProcess(bench, campaigns),
  );
  await scenario('P4', 'checkout overhead over the emulator', () => benchCheckoutOverhead(bench, campaigns.small, emulator.url));

  await scenario('P6', '10,000 live progress streams on one process', () => benchProgressStreams(bench, campaigns.small));

  await scenario('P3', 'end to end: signed events through ingest and workers to exact totals', () => benchEndToEnd(bench));
  await scenario('P3PG', 'P3 with no REDIS_URL: the queues on PostgreSQL', () => benchEndToEndPostgresOnly(bench));
} finally {
  await Promise.all(children.map((child) => child.stop()));
  await db.end();
  await dropRedisPrefix(settings.redisUrl, redisPrefix).catch((error) => log(`could not clean Redis keys: ${error}`));
  await database.drop().catch((error) => log(`could not drop the bench database: ${error}`));
}

const cpuProfiles: Record<string, ProfileSummary> = {};
for (const name of profiled) {
  const profile = await readLargestProfile(join(PROFILE_DIR, name));
  if (profile) cpuProfiles[name] = summarizeProfile(profile);
}

const report = {
  started_at: startedAt.toISOString(),
  finished_at: new Date().toISOString(),
  machine: machineInfo(),
  settings: Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'databaseServer' && key !== 'redisUrl').map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : value])),
  metrics: results.metrics,
  failures,
  ...(profiling && { cpu_profiles: { directory: PROFILE_DIR, share_of_busy_time: cpuProfiles } }),
};
await writeReport(RESULTS_PATH, report);

process.stdout.write(`\n${formatTable(report.metrics)}\n`);
for (const { scenario: name, metric: line, note } of report.metrics) if (note) process.stdout.write(`  ${name} · ${line}: ${note}\n`);
for (const { scenario: name, reason } of failures) process.stdout.write(`FAILED ${name}: ${reason}\n`);
for (const [name, summary] of Object.entries(cpuProfiles)) {
  process.stdout.write(`\n${name} process CPU, share of busy time: self | inclusive (profile in ${join(PROFILE_DIR, name)}):\n`);
  summary.self.forEach(({ where, percent }, index) => {
    const inclusive = summary.inclusive[index];
    process.stdout.write(`  ${String(percent).padStart(5)}%  ${where.padEnd(44)} | ${String(inclusive?.percent ?? '').padStart(5)}%  ${inclusive?.where ?? ''}\n`);
  });
}
process.stdout.write(`\nresults written to ${RESULTS_PATH}\n`);
const missed = report.metrics.filter((m) => m.pass === false).length;
process.exitCode = failures.length ? 1 : 0;
if (missed) process.stdout.write(`${missed} target(s) missed (see the table)\n`);
