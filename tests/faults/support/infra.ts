import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '../../../bench/lib/children.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';

/**
 * Private PostgreSQL and Redis servers for the fault drills: their own data directories and
 * ports, so a drill can kill or restart them without touching anything else on the machine.
 */

/** Servers still running when the test process exits are killed, so none outlives a crashed run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function postgresBinDir(): string {
  const override = process.env.FAULTS_PG_BIN;
  if (override) return override;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!found) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (set FAULTS_PG_BIN)');
  return found;
}

/** initdb and postgres refuse to run as root; as root we run them as the postgres user. */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function retryUntil(what: string, timeoutMs: number, probe: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms: ${(lastError as Error)?.message}`);
}

export interface PrivatePostgres {
  port: number;
  /** Connection URL of a database on this server. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown: every client connection is cut, as in a real restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const identity = serverIdentity();
  const dataDir = mkdtempSync(join(tmpdir(), 'goalpost-faults-pg-'));
  if (identity) chownSync(dataDir, identity.uid, identity.gid);
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8'], {
    stdio: 'ignore',
    ...identity,
  });
  const port = await freePort();
  let server: ChildProcess | undefined;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

  const start = async () => {
    // Durability settings off: the drills test Goalpost's recovery, not the disk's.
    server = track(spawn(
      join(bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
        '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      { stdio: 'ignore', ...identity },
    ));
    await retryUntil('private PostgreSQL', 30_000, async () => {
      if (server?.exitCode !== null) throw new Error(`postgres exited with ${server?.exitCode}`);
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      await client.end();
    });
  };

  const stop = async () => {
    if (!server) return;
    server.kill('SIGINT');
    if (!(await waitForExit(server, 20_000))) {
      server.kill('SIGKILL');
      await waitForExit(server, 5_000);
    }
    server = undefined;
  };

  await start();
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  port: number;
  url: string;
  /**
   * Stops the server. `keepData` saves a snapshot it reloads on start (a Redis with
   * persistence, as BullMQ asks for); without it the restart comes back empty.
   */
  stop(options?: { keepData?: boolean }): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-faults-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;

  const start = async () => {
    server = track(spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction'],
      { stdio: 'ignore' },
    ));
    await retryUntil('private Redis', 15_000, async () => {
      if (server?.exitCode !== null) throw new Error(`redis-server exited with ${server?.exitCode}`);
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    });
  };

  const stop = async ({ keepData = false } = {}) => {
    if (!server) return;
    const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    // SHUTDOWN closes the connection instead of answering.
    await client.call('SHUTDOWN', keepData ? 'SAVE' : 'NOSAVE').catch(() => {});
    client.disconnect();
    if (!(await waitForExit(server, 10_000))) {
      server.kill('SIGKILL');
      await waitForExit(server, 5_000);
    }
    if (!keepData) rmSync(join(dir, 'dump.rdb'), { force: true });
    server = undefined;
  };

  await start();
  return {
    port,
    url,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
