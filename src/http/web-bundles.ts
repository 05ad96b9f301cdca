import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { strongEtag } from '../domain/etag.js';

/** The browser code (src/web), kept out of the server's tsconfig: it targets the DOM, not Node. */
export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

export interface WebAsset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  contentType: string;
}

export interface WebBundles {
  widget: WebAsset;
  dashboardScript: WebAsset;
  dashboardStyles: WebAsset;
  dashboardPage: WebAsset;
  donorScript: WebAsset;
  donorStyles: WebAsset;
  donorPage: WebAsset;
}

function asset(body: Buffer, contentType: string): WebAsset {
  return {
    body,
    gzipped: gzipSync(body, { level: 9 }),
    etag: strongEtag(body),
    contentType,
  };
}

/**
 * Bundles the widget and the dashboard with esbuild, in memory. No build step to forget and no
 * files to go stale: the server ships exactly the source it runs with (about 100 ms, once per process).
 */
async function buildBundles(): Promise<WebBundles> {
  const result = await build({
    absWorkingDir: WEB_ROOT,
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
    widget: asset(output('widget.js'), 'text/javascript; charset=utf-8'),
    dashboardScript: asset(output('dashboard.js'), 'text/javascript; charset=utf-8'),
    dashboardStyles: asset(output('dashboard-styles.css'), 'text/css; charset=utf-8'),
    dashboardPage: asset(await readFile(`${WEB_ROOT}dashboard/index.html`), 'text/html; charset=utf-8'),
    donorScript: asset(output('donor.js'), 'text/javascript; charset=utf-8'),
    donorStyles: asset(output('donor-styles.css'), 'text/css; charset=utf-8'),
    donorPage: asset(await readFile(`${WEB_ROOT}donor/index.html`), 'text/html; charset=utf-8'),
  };
}

let bundles: Promise<WebBundles> | null = null;

/** Built on first use and shared by every app in the process; a failed build is retried on the next call. */
export function webBundles(): Promise<WebBundles> {
  bundles ??= buildBundles().catch((error: unknown) => {
    bundles = null;
    throw error;
  });
  return bundles;
}
