import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile (written by `node --cpu-prof`) the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  where: string;
  percent: number;
}

export interface ProfileSummary {
  /** Time in the owner's own frames: where middleware costs show (a chain's `next()` is not counted). */
  self: ProfileShare[];
  /** Time in the owner's frames and everything they called. */
  inclusive: ProfileShare[];
}

/** Who a frame belongs to: an npm package, one of our files, Node's internals, or V8 itself. */
function owner(url: string, functionName: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const ours = /\/((?:src|workers|bench)\/.*)$/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url;
  return `(${functionName || 'native'})`;
}

/**
 * CPU share per owner (package, file of ours, Node internal), self and inclusive. Idle time is
 * left out, so the shares are of the time the process was busy.
 */
export function summarizeProfile(profile: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  let busy = 0;
  for (const [id, time] of selfTime) {
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    busy += time;
    const leafOwner = owner(leaf.callFrame.url, leaf.callFrame.functionName);
    self.set(leafOwner, (self.get(leafOwner) ?? 0) + time);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (frame.functionName === '(root)') continue;
      const who = owner(frame.url, frame.functionName);
      if (seen.has(who)) continue;
      seen.add(who);
      inclusive.set(who, (inclusive.get(who) ?? 0) + time);
    }
  }
  const shares = (times: Map<string, number>) =>
    [...times]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, time]) => ({ where, percent: Math.round((1000 * time) / busy) / 10 }));
  return { self: shares(self), inclusive: shares(inclusive) };
}

/** The largest profile in a directory: the main thread's (worker threads write their own). */
export async function readLargestProfile(directory: string): Promise<CpuProfile | null> {
  const files = (await readdir(directory).catch(() => [])).filter((file) => file.endsWith('.cpuprofile'));
  let largest: { size: number; text: string } | null = null;
  for (const file of files) {
    const text = await readFile(join(directory, file), 'utf8');
    if (!largest || text.length > largest.size) largest = { size: text.length, text };
  }
  return largest ? (JSON.parse(largest.text) as CpuProfile) : null;
}
