import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { BENCH_APPLICATION_NAME } from './database.js';

/** Linux reports process CPU time in clock ticks: 100 a second on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds a process has used so far, or null when it is gone. */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start at the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export interface CpuSampler {
  /** CPU milliseconds used since the start: by the given processes, and by this database's backends. */
  stop(): Promise<{ processesMs: number; postgresMs: number }>;
}

/**
 * CPU used by a scenario's own processes and by the PostgreSQL backends serving its database
 * (found in pg_stat_activity every 200 ms; a backend that starts later counts from zero). The
 * bench's own connections (its progress polling, these samplers) are Goalpost's cost to nobody
 * and are left out, and so is Redis, shared with everything else on the machine.
 */
export function sampleCpu(db: pg.Pool, pids: readonly number[]): CpuSampler {
  const processStart = new Map(pids.map((pid) => [pid, cpuMs(pid) ?? 0]));
  const backends = new Map<number, { first: number; last: number }>();
  let running = true;
  const poll = async (initial: boolean) => {
    const { rows } = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> $1`,
      [BENCH_APPLICATION_NAME],
    );
    for (const { pid } of rows) {
      const now = cpuMs(pid);
      if (now === null) continue;
      const seen = backends.get(pid);
      if (seen) seen.last = now;
      // Backends there when sampling starts count from that moment; later ones from their start.
      else backends.set(pid, { first: initial ? now : 0, last: now });
    }
  };
  const loop = (async () => {
    await poll(true);
    while (running) {
      await sleep(200);
      await poll(false);
    }
  })().catch(() => {});
  return {
    async stop() {
      running = false;
      await loop;
      for (const [pid, backend] of backends) backend.last = cpuMs(pid) ?? backend.last;
      const processesMs = pids.reduce((sum, pid) => sum + Math.max(0, (cpuMs(pid) ?? 0) - processStart.get(pid)!), 0);
      const postgresMs = [...backends.values()].reduce((sum, b) => sum + (b.last - b.first), 0);
      return { processesMs, postgresMs };
    },
  };
}
