// Runs before `npm start`/`api`/`worker`/`migrate`/`cli`: builds dist/ when it is missing or
// older than the sources, so `npm install && npm start` stays the whole set-up.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP_FILE, sourceFingerprint } from './build-inputs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let built = '';
try {
  built = readFileSync(join(root, 'dist', STAMP_FILE), 'utf8').trim();
} catch {
  // never built
}
if (built !== sourceFingerprint(root)) {
  console.log(built ? 'sources changed since the last build; rebuilding dist/' : 'no build yet; building dist/');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
}
