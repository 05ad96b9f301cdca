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
 * Runs each named load once per round, round-robin, and keeps each one's best round: the
 * machine is shared, so a neighbour's burst should cost one round, not skew the comparison.
 */
export async function bestOfRounds<K extends string>(
  rounds: number,
  runs: Record<K, (warmupSeconds: number) => Promise<LoadSummary>>,
  warmupSeconds: number,
): Promise<Record<K, LoadSummary>> {
  const best = {} as Record<K, LoadSummary>;
  for (let round = 0; round < rounds; round += 1) {
    for (const key of Object.keys(runs) as K[]) {
      const summary = await runs[key](round === 0 ? warmupSeconds : 0);
      if (!best[key] || summary.rps > best[key].rps) best[key] = summary;
    }
  }
  return best;
}
