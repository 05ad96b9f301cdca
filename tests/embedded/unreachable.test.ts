/**
 * A DATABASE_URL or REDIS_URL that does not answer at start: one log line naming the host and
 * what to do, never a stack trace; without PostgreSQL the process exits 1, without Redis it
 * starts and waits for it.
 */
import { afterAll, expect, test } from 'vitest';
import { cloneTestDatabase } from '../helpers/database.js';
import { freePort } from '../../bench/lib/children.js';
import { runEntryPoint, stopGracefully, type EntryPoint } from './processes.js';

const started: EntryPoint[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const entry of started) if (entry.child.exitCode === null) await stopGracefully(entry);
  for (const cleanup of cleanups) await cleanup();
});

const stackTrace = /\n\s+at |"stack"/;

test('an unreachable DATABASE_URL ends the start with one line naming the host and exit code 1', async () => {
  const port = await freePort();
  const api = runEntryPoint('api', { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/goalpost`, PORT: String(await freePort()), LOG_LEVEL: 'info' });
  started.push(api);
  expect(await api.exited).toBe(1);
  const output = api.lines.join('\n');
  expect(api.lines).toHaveLength(1);
  expect(output).toContain(`PostgreSQL at 127.0.0.1:${port} (DATABASE_URL) cannot be reached`);
  expect(output).toContain('leave DATABASE_URL unset to use the embedded PostgreSQL');
  expect(output).not.toMatch(stackTrace);
}, 120_000);

test('an unreachable REDIS_URL is one warning naming the host; the API starts and is not ready until Redis answers', async () => {
  const database = await cloneTestDatabase();
  cleanups.push(database.drop);
  const port = await freePort();
  const redisPort = await freePort();
  const api = runEntryPoint('api', { DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: String(port), LOG_LEVEL: 'info' });
  started.push(api);
  const warning = await api.logged('(REDIS_URL) cannot be reached');
  expect(warning).toContain(`Redis at 127.0.0.1:${redisPort}`);
  await api.logged('Goalpost API listening');
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(ready.status).toBe(503);
  expect((await ready.json()).checks.database).toBe('ok');
  expect(api.lines.join('\n')).not.toMatch(stackTrace);
}, 120_000);
