import type { IncomingMessage, ServerResponse } from 'node:http';

export { strongEtag } from '../domain/etag.js';

/**
 * Caching of the public reads (campaign, progress, supporters, widget script) by browsers and
 * by a CDN in front of the API.
 *
 * - `s-maxage` lets a shared cache answer for a few seconds, so 100,000 readers polling every
 *   few seconds cost the origin about one request per campaign per interval and edge location;
 *   `stale-while-revalidate` lets it answer from its copy while it fetches the next one (no
 *   reader waits on the origin), `stale-if-error` keeps the bar up through an origin outage.
 * - Strong ETags (a hash of the exact bytes) make a revalidation a 304 without a body; the
 *   answer comes from this process's cache whatever the request's own Cache-Control says, so
 *   a CDN revalidating with `max-age=0` costs no database read.
 * - `Vary` is sent only where the bytes differ by request (the widget script: gzip or not).
 *   JSON is never compressed here and CORS is `*`, so it varies by nothing.
 * - Every answer about a campaign carries the surrogate key `campaign-<slug>` (Fastly's
 *   `Surrogate-Key`, Cloudflare's and others' `Cache-Tag`): purge that key after a campaign
 *   edit to drop every cached public read of it at once; money changes need no purge, they
 *   show within `s-maxage`.
 */
export const PUBLIC_READ_CACHE_CONTROL = 'public, max-age=5, s-maxage=5, stale-while-revalidate=30, stale-if-error=600';

/** The widget script changes with deploys only; a fix still reaches every page within minutes. */
export const WIDGET_CACHE_CONTROL = 'public, max-age=300, s-maxage=300, stale-while-revalidate=86400, stale-if-error=86400';

/** The surrogate key of everything public about one campaign (see above). */
export function campaignSurrogateKey(slug: string): string {
  return `campaign-${slug}`;
}

/** True when the request's If-None-Match names this (strong) ETag. */
export function notModified(req: IncomingMessage, etag: string): boolean {
  return req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag) ?? false;
}

export interface CachedJson {
  body: string;
  etag: string;
}

/**
 * Writes a cached public JSON answer about a campaign (200, or 304 when If-None-Match holds its
 * ETag) with one `writeHead`, so the fast path in front of Express sends exactly what the routes
 * send. `headers` (the fast path's fixed headers) is filled in and consumed synchronously.
 * Returns the status sent.
 */
export function sendCachedJson(
  req: IncomingMessage,
  res: ServerResponse,
  answer: CachedJson,
  slug: string,
  headers: Record<string, string> = {},
): number {
  headers.ETag = answer.etag;
  headers['Cache-Control'] = PUBLIC_READ_CACHE_CONTROL;
  headers['Surrogate-Key'] = campaignSurrogateKey(slug);
  headers['Cache-Tag'] = campaignSurrogateKey(slug);
  if (notModified(req, answer.etag)) {
    delete headers['Content-Type'];
    res.writeHead(304, headers).end();
    return 304;
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  res.writeHead(200, headers).end(answer.body);
  return 200;
}
