import autocannon, { type Options, type Result } from 'autocannon';

export interface LoadSummary {
  /** Completed requests per second over the whole run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

function summarize(result: Result): LoadSummary {
  return {
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
}

export async function runLoad(options: Options): Promise<LoadSummary> {
  return summarize(await autocannon(options));
}

/**
 * A short unmeasured run first so every server is measured warm (JIT, pools, caches), then the
 * measured run. Either one failing a request is a bench error, not a slow result.
 */
export async function measure(options: Options, warmupSeconds: number, allowStatus: (status: number) => boolean = (s) => s < 300): Promise<LoadSummary> {
  if (warmupSeconds > 0) await runLoad({ ...options, duration: warmupSeconds });
  const summary = await runLoad(options);
  const unexpected = Object.entries(summary.statusCodes).filter(([code]) => !allowStatus(Number(code)));
  if (summary.errors || unexpected.length) {
    throw new Error(`load against ${options.url} had ${summary.errors} errors/timeouts and unexpected statuses ${JSON.stringify(Object.fromEntries(unexpected))}`);
  }
  return summary;
}

/**
 * Runs each named load once per round and returns every round of each. Comparing loads of the
 * same round (see `pairedRatio`) cancels the drift of a shared machine; the median over rounds
 * then drops a round a neighbour's burst spoiled. Odd rounds run the loads in reverse order, so
 * no load always runs right after the same other one and an order effect, if there is one, is
 * not in every pair alike (P1's 1,000,000-donation read, always run after the 1,000 one, read
 * faster in five of six rounds of two runs, 0.97-1.11x, for the same cached body).
 */
export async function alternateRounds<K extends string>(
  rounds: number,
  runs: Record<K, (warmupSeconds: number) => Promise<LoadSummary>>,
  warmupSeconds: number,
): Promise<Record<K, LoadSummary[]>> {
  const keys = Object.keys(runs) as K[];
  const results = Object.fromEntries(keys.map((key) => [key, [] as LoadSummary[]])) as Record<K, LoadSummary[]>;
  for (let round = 0; round < Math.max(1, rounds); round += 1) {
    for (const key of round % 2 ? [...keys].reverse() : keys) results[key].push(await runs[key](round === 0 ? warmupSeconds : 0));
  }
  return results;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median over rounds of candidate / baseline throughput, each pair from the same round. */
export function pairedRatio(candidate: readonly LoadSummary[], baseline: readonly LoadSummary[]): number {
  return median(candidate.map((summary, round) => summary.rps / baseline[round]!.rps));
}

/** The round with the median throughput: its figures (p99, status codes) stand for the load. */
export function typicalRound(rounds: readonly LoadSummary[]): LoadSummary {
  const sorted = [...rounds].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
