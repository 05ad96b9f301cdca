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

/** Busy and all clock ticks of the whole machine, every core (the first line of /proc/stat), or null off Linux. */
function machineTicks(): { busy: number; all: number } | null {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, all: busy + idle! + iowait! };
  } catch {
    return null;
  }
}

export interface CpuUse {
  processesMs: number;
  postgresMs: number;
  /** Milliseconds per process name, and per database session name (`pg:` + application_name). */
  byName: Map<string, number>;
  /**
   * What else shared the machine meanwhile: this process (the load generator and its polling),
   * and how busy all cores were (null where /proc/stat is missing).
   */
  loadGeneratorMs: number;
  machineBusyShare: number | null;
}

export interface CpuSampler {
  /** CPU milliseconds used since the start: by the given processes, and by this database's backends. */
  stop(): Promise<CpuUse>;
}

/**
 * CPU used by a scenario's own processes and by the PostgreSQL backends serving its database
 * (found in pg_stat_activity every 200 ms; a backend that starts later counts from zero). The
 * bench's own connections (its progress polling, these samplers) are Goalpost's cost to nobody
 * and are left out, and so is Redis, shared with everything else on the machine.
 */
export function sampleCpu(db: pg.Pool, processes: readonly { name: string; pid: number }[]): CpuSampler {
  const processStart = new Map(processes.map(({ pid }) => [pid, cpuMs(pid) ?? 0]));
  const ownStart = process.cpuUsage();
  const machineStart = machineTicks();
  const backends = new Map<number, { name: string; first: number; last: number }>();
  let running = true;
  const poll = async (initial: boolean) => {
    const { rows } = await db.query<{ pid: number; application_name: string }>(
      `SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name <> $1`,
      [BENCH_APPLICATION_NAME],
    );
    for (const { pid, application_name: name } of rows) {
      const now = cpuMs(pid);
      if (now === null) continue;
      const seen = backends.get(pid);
      if (seen) seen.last = now;
      // Backends there when sampling starts count from that moment; later ones from their start.
      else backends.set(pid, { name, first: initial ? now : 0, last: now });
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
      const byName = new Map<string, number>();
      const add = (name: string, ms: number) => byName.set(name, (byName.get(name) ?? 0) + ms);
      for (const { name, pid } of processes) add(name, Math.max(0, (cpuMs(pid) ?? 0) - processStart.get(pid)!));
      for (const backend of backends.values()) add(`pg:${backend.name || '?'}`, backend.last - backend.first);
      const sum = (pg: boolean) => [...byName].reduce((total, [name, ms]) => total + (name.startsWith('pg:') === pg ? ms : 0), 0);
      const own = process.cpuUsage(ownStart);
      const machine = machineTicks();
      const machineBusyShare = machine && machineStart ? (machine.busy - machineStart.busy) / Math.max(1, machine.all - machineStart.all) : null;
      return { processesMs: sum(false), postgresMs: sum(true), byName, loadGeneratorMs: (own.user + own.system) / 1000, machineBusyShare };
    },
  };
}
