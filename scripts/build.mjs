// `npm run build`: compiles the emulator package, then src/ and workers/ to dist/ with tsc, then bundles the widget and the
// dashboard into dist/web, so a production process runs plain Node with no TypeScript loader and
// no bundler. Plain JavaScript on purpose: it must run before anything is compiled.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCE_INPUTS, STAMP_FILE, sourceFingerprint } from './build-inputs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

const tsc = (project) => execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, project)], { stdio: 'inherit' });

// Taken before compiling: a source edited during the build leaves the stamp stale, not the build.
const fingerprint = sourceFingerprint(root);
// A stale stamp must never survive a failed build.
rmSync(join(dist, STAMP_FILE), { force: true });
// The emulator first: `npm start` without a Stripe key loads its compiled code, and the server's
// build reads its declarations.
tsc('packages/stripe-emulator/tsconfig.json');
tsc('tsconfig.build.json');

const { bundleWeb } = await import(join(dist, 'src/http/web-bundler.js'));
const files = await bundleWeb();
mkdirSync(join(dist, 'web'), { recursive: true });
for (const [name, body] of Object.entries(files)) writeFileSync(join(dist, 'web', name), body);

writeFileSync(join(dist, STAMP_FILE), `${fingerprint}\n`);
console.log(`built dist/ from ${SOURCE_INPUTS.join(', ')}`);
