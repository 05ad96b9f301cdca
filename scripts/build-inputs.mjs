// What dist/ is built from, and a cheap fingerprint of it (paths, sizes and mtimes: a few ms
// for the whole tree), so `npm start` rebuilds only when a source changed.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCE_INPUTS = [
  'src',
  'workers',
  'packages/stripe-emulator/src',
  'packages/stripe-emulator/package.json',
  'packages/stripe-emulator/tsconfig.json',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/build.mjs',
];
export const STAMP_FILE = '.build-stamp';

function* files(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) {
    yield [path, stat];
    return;
  }
  for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
}

export function sourceFingerprint(root) {
  const hash = createHash('sha256');
  for (const input of SOURCE_INPUTS) {
    for (const [path, stat] of files(join(root, input))) hash.update(`${path.slice(root.length)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}
