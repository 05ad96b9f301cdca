import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (where package.json is), found by walking up from this file, so files that
 * ship beside the code (migrations/, the built web bundles) resolve the same from src/*.ts under
 * tsx/vitest and from dist/src/*.js under plain Node.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** True under tsx/vitest (TypeScript sources), false in the compiled dist/. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');
/** The browser code (src/web), kept out of the server's tsconfig: it targets the DOM, not Node. */
export const WEB_SOURCE_DIR = join(PACKAGE_ROOT, 'src', 'web');
/** Where `npm run build` writes the widget and dashboard bundles. */
export const WEB_BUILD_DIR = join(PACKAGE_ROOT, 'dist', 'web');
