/**
 * A process killed while it held the embedded PostgreSQL's start lock is dead even before its
 * parent reaps it: a container's PID 1 may leave it a zombie for a while, and the next start
 * must take the lock over rather than wait for it (db/embedded-postgres.ts, isAlive).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { useEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { createLogger } from '../../src/logger.js';
import { eventually } from '../helpers/receipts.js';

const cleanups: (() => void | Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A process that has exited and is not reaped: its parent `exec`s into a sleep that never waits for children. */
async function zombie(): Promise<number> {
  const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  cleanups.push(() => void parent.kill('SIGKILL'));
  const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
  const stateOf = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0];
  await eventually(async () => stateOf() === 'Z', 5_000, 'the child to exit unreaped');
  return pid;
}

test.skipIf(!existsSync('/proc/self'))('takes over a start lock whose holder was killed and is not reaped yet, instead of waiting for it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'goalpost-killed-owner-'));
  // Like a folder made by mkdir (mkdtemp's is private): run as root, the server runs as "postgres".
  chmodSync(dataDir, 0o755);
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const holder = await zombie();
  // Signals still reach a zombie: only its state says it is gone.
  expect(() => process.kill(holder, 0)).not.toThrow();
  writeFileSync(join(dataDir, 'starting.lock'), String(holder));

  // A start timeout far below the test's: waiting on the lock would fail with "for too long".
  const server = await useEmbeddedPostgres(dataDir, createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), 3_000);
  cleanups.push(() => server.stop());
  expect(server.owned).toBe(true);
  expect(existsSync(join(dataDir, 'starting.lock'))).toBe(false);
}, 120_000);
