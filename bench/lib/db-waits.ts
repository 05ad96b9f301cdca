import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { BENCH_APPLICATION_NAME } from './database.js';

export interface DatabaseWaits {
  /** Stops sampling; a line like "busy DB sessions (avg 2.2): IO:WALSync 30%, Lock:transactionid 13%, …". */
  stop(): Promise<string>;
}

/**
 * What the database's active sessions are waiting on, sampled every 100 ms until stopped
 * (pg_stat_activity, this pool's database only, the bench's own connections left out): the shares say where a scenario's time goes in
 * PostgreSQL — row locks, WAL flushes, or work ("on CPU").
 */
export function sampleDatabaseWaits(db: pg.Pool): DatabaseWaits {
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await db.query<{ wait: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') AS wait
         FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND application_name <> $1`,
        [BENCH_APPLICATION_NAME],
      );
      samples += 1;
      for (const { wait } of rows) counts.set(wait, (counts.get(wait) ?? 0) + 1);
      await sleep(100);
    }
  })().catch(() => {
    // The scenario failed and its database is going away; the samples so far are all there is.
  });
  return {
    async stop() {
      running = false;
      await loop;
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
      const shares = top.map(([wait, n]) => `${wait} ${Math.round((100 * n) / Math.max(total, 1))}%`).join(', ');
      return `busy DB sessions (avg ${(total / Math.max(samples, 1)).toFixed(1)}): ${shares || 'none'}`;
    },
  };
}
