import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEB_SOURCE_DIR } from '../paths.js';

/** The browser files the server serves, by file name. */
export const WEB_FILES = ['widget.js', 'dashboard.js', 'dashboard.css', 'dashboard.html', 'donor.js', 'donor.css', 'donor.html'] as const;
export type WebFile = (typeof WEB_FILES)[number];

/**
 * Bundles the widget and the dashboard with esbuild. `npm run build` writes the result to
 * dist/web; a process running from the TypeScript sources (tsx, vitest) bundles in memory.
 * esbuild is a dev dependency, so it is imported only here and only when called.
 */
export async function bundleWeb(): Promise<Record<WebFile, Buffer>> {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: WEB_SOURCE_DIR,
    entryPoints: {
      widget: 'widget/index.ts',
      dashboard: 'dashboard/index.ts',
      'dashboard-styles': 'dashboard/dashboard.css',
      donor: 'donor/index.ts',
      'donor-styles': 'donor/donor.css',
    },
    outdir: 'out',
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const output = (name: string) => {
    const file = result.outputFiles.find((candidate) => candidate.path.endsWith(`/out/${name}`));
    if (!file) throw new Error(`esbuild produced no ${name}`);
    return Buffer.from(file.contents);
  };
  return {
    'widget.js': output('widget.js'),
    'dashboard.js': output('dashboard.js'),
    'dashboard.css': output('dashboard-styles.css'),
    'dashboard.html': await readFile(join(WEB_SOURCE_DIR, 'dashboard', 'index.html')),
    'donor.js': output('donor.js'),
    'donor.css': output('donor-styles.css'),
    'donor.html': await readFile(join(WEB_SOURCE_DIR, 'donor', 'index.html')),
  };
}
