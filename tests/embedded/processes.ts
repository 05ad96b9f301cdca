import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The project's real entry points (`npm start`, `npm run api`, `npm run worker`) as child
 * processes with neither DATABASE_URL nor REDIS_URL, and what their process trees connect to.
 */

export interface EntryPoint {
  child: ChildProcess;
  /** Every log line so far (pino JSON, one object per line). */
  lines: string[];
  /** Resolves with the first log line containing `text`. */
  logged(text: string, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid) process.kill(-child.pid, 'SIGKILL');
});

export function runEntryPoint(script: 'start' | 'api' | 'worker', env: Record<string, string>): EntryPoint {
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  // Its own process group, so the whole tree (npm, node) can be signalled or killed at once.
  const child = spawn('npm', ['run', '--silent', script], { env: { ...inherited, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    for (const wake of waiters) wake();
    resolve(code);
  }));
  return {
    child,
    lines,
    exited,
    logged(text, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`"${text}" not logged within ${timeoutMs} ms:\n${lines.slice(-15).join('\n')}`)), timeoutMs);
        const check = () => {
          const line = lines.find((candidate) => candidate.includes(text));
          if (line) finish(null, line);
          else if (child.exitCode !== null) finish(new Error(`exited (${child.exitCode}) before logging "${text}":\n${lines.slice(-15).join('\n')}`));
        };
        const finish = (error: Error | null, line?: string) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(line!);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** The innermost process of an entry point's tree: the node process running our code. */
export function serviceProcess(entry: EntryPoint): number {
  const tree = processTree(entry.child.pid!);
  const ours = tree.filter((pid) => commandOf(pid).includes('src/bin/'));
  return ours[ours.length - 1] ?? entry.child.pid!;
}

/** SIGTERM to the service process itself (as an orchestrator sends it), then the exit code. */
export async function stopGracefully(entry: EntryPoint): Promise<number | null> {
  process.kill(serviceProcess(entry), 'SIGTERM');
  return entry.exited;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    // ESRCH: it ended meanwhile.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGKILL to the whole tree, as a crash or an OOM kill: nothing runs on the way out. */
export async function killHard(entry: EntryPoint): Promise<void> {
  kill(-entry.child.pid!, 'SIGKILL');
  await entry.exited;
}

/**
 * SIGKILL to the tree's own processes but not to the server it started (and that server's
 * children), which is left running without its owner, as after `kill -9` of the service.
 */
export async function killLeavingServer(entry: EntryPoint, serverPid: number): Promise<void> {
  const server = new Set(processTree(serverPid));
  for (const pid of processTree(entry.child.pid!)) if (!server.has(pid)) kill(pid, 'SIGKILL');
  await entry.exited;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** `root` and all its descendants (from /proc/<pid>/stat). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the command, which is in parentheses and may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/**
 * The remote ports of the TCP connections the given processes hold open: their socket inodes
 * (/proc/<pid>/fd) looked up in the kernel's TCP tables (/proc/net/tcp, tcp6).
 */
export function remotePortsOf(pids: number[]): Set<number> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]!);
      } catch {
        // closed meanwhile
      }
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      // local_address rem_address st ... inode (field 9); a listening socket has remote port 0.
      if (fields.length < 10 || !inodes.has(fields[9]!)) continue;
      const remotePort = parseInt(fields[2]!.split(':')[1]!, 16);
      if (remotePort) ports.add(remotePort);
    }
  }
  return ports;
}

/** Samples the tree's connections every 100 ms until stopped; returns every remote port seen. */
export function watchConnections(entries: () => EntryPoint[]): { stop(): Promise<Set<number>> } {
  const seen = new Set<number>();
  let watching = true;
  const loop = (async () => {
    while (watching) {
      for (const entry of entries()) {
        if (entry.child.pid && entry.child.exitCode === null) {
          for (const port of remotePortsOf(processTree(entry.child.pid))) seen.add(port);
        }
      }
      await sleep(100);
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      return seen;
    },
  };
}
