import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { strongEtag } from '../domain/etag.js';
import { RUNNING_FROM_SOURCE, WEB_BUILD_DIR } from '../paths.js';
import { WEB_FILES, type WebFile } from './web-bundler.js';

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

async function loadFiles(): Promise<Record<WebFile, Buffer>> {
  if (RUNNING_FROM_SOURCE) return (await import('./web-bundler.js')).bundleWeb();
  const entries = await Promise.all(WEB_FILES.map(async (name) => [name, await readFile(join(WEB_BUILD_DIR, name))] as const));
  return Object.fromEntries(entries) as Record<WebFile, Buffer>;
}

/**
 * The compiled server serves the bundles `npm run build` wrote to dist/web (no esbuild in
 * production); under tsx/vitest they are bundled from src/web in memory (about 100 ms).
 */
async function loadBundles(): Promise<WebBundles> {
  const files = await loadFiles();
  return {
    widget: asset(files['widget.js'], 'text/javascript; charset=utf-8'),
    dashboardScript: asset(files['dashboard.js'], 'text/javascript; charset=utf-8'),
    dashboardStyles: asset(files['dashboard.css'], 'text/css; charset=utf-8'),
    dashboardPage: asset(files['dashboard.html'], 'text/html; charset=utf-8'),
    donorScript: asset(files['donor.js'], 'text/javascript; charset=utf-8'),
    donorStyles: asset(files['donor.css'], 'text/css; charset=utf-8'),
    donorPage: asset(files['donor.html'], 'text/html; charset=utf-8'),
  };
}

let bundles: Promise<WebBundles> | null = null;

/** Loaded on first use and shared by every app in the process; a failed load is retried on the next call. */
export function webBundles(): Promise<WebBundles> {
  bundles ??= loadBundles().catch((error: unknown) => {
    bundles = null;
    throw error;
  });
  return bundles;
}
