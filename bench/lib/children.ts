import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free loopback port, found by letting the kernel pick one and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Children still running when this process exits are killed, so none outlives a crashed run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** The last output (stdout and stderr) of the child, for error messages. */
  outputTail(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a TypeScript entry point as its own Node process (the tsx loader inside that process, so
 * the pid is the server itself: its RSS is what we sample and a signal reaches it directly).
 */
export function spawnTs(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  return spawnNode(name, [...nodeArgs, '--conditions=source', '--import', 'tsx', entry], env);
}

/** Builds dist/ when it is missing or stale, as `npm start` does. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/ensure-build.mjs')], { stdio: 'inherit' });
}

/**
 * The Node flags `npm run <script>` passes before its dist/ entry (the heap settings P5 chose),
 * read from package.json so the bench runs exactly what production runs. BENCH_HEAP_FLAGS
 * replaces them for a comparison run (`BENCH_HEAP_FLAGS= ` runs with V8's defaults).
 */
export function productionNodeFlags(script: string): string[] {
  const override = process.env.BENCH_HEAP_FLAGS;
  if (override !== undefined) return override.split(/\s+/).filter(Boolean);
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = /&& node (.*?)dist\//.exec(scripts[script] ?? '');
  if (!command) throw new Error(`npm run ${script} does not run node dist/…`);
  return command[1]!.trim().split(/\s+/).filter(Boolean);
}

/**
 * Runs a Goalpost entry point compiled, as production does: `src/bin/api.ts` becomes
 * `node <the flags of npm run api> dist/src/bin/api.js`, with no TypeScript loader.
 */
export function spawnCompiled(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  const file = /^src\/bin\/(.+)\.ts$/.exec(entry)?.[1];
  if (!file) throw new Error(`${entry} is not a src/bin entry point`);
  const script = file === 'stripe-emulator' ? 'stripe:emulator' : file;
  return spawnNode(name, [...productionNodeFlags(script), ...nodeArgs, join('dist', entry.replace(/\.ts$/, '.js'))], { ...serviceSettings(), ...env });
}

/**
 * BENCH_SERVICE_ENV: Goalpost settings for every process the bench starts from an entry point,
 * as `KEY=value` pairs separated by spaces (`BENCH_SERVICE_ENV='LEDGER_CLAIM_WINDOW_MS=0'`), to
 * measure a setting against its default. The bench's own settings (database, prefix) win.
 */
function serviceSettings(): Record<string, string> {
  const pairs = (process.env.BENCH_SERVICE_ENV ?? '').split(/\s+/).filter(Boolean);
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`BENCH_SERVICE_ENV: "${pair}" is not KEY=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

function spawnNode(name: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // PGAPPNAME names the child's database sessions in pg_stat_activity (the bench's CPU breakdown reads it).
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', PGAPPNAME: name, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const tail: string[] = [];
  const keep = (chunk: string) => {
    tail.push(chunk);
    if (tail.length > 60) tail.shift();
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    process: child,
    pid: child.pid!,
    outputTail: () => tail.join('').slice(-6_000),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timeout = sleep(15_000).then(() => 'timeout' as const);
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Polls a URL until it answers 200; fails early (with the child's stderr) if the child dies. */
export async function waitForHttp(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void child.exited.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${child.name} exited before answering ${url}:\n${child.outputTail()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.outputTail()}`);
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface RssSampler {
  stop(): { peakBytes: number; samples: number };
}

/** Samples a process's RSS every `intervalMs` until stopped; reports the peak. */
export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  let peakBytes = 0;
  let samples = 0;
  const take = () => {
    const bytes = residentBytes(pid);
    if (bytes === null) return;
    samples += 1;
    peakBytes = Math.max(peakBytes, bytes);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakBytes, samples };
    },
  };
}
