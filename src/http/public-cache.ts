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
const PUBLIC_READ_CACHE_CONTROL = 'public, max-age=5, s-maxage=5, stale-while-revalidate=30, stale-if-error=600';

/** The widget script changes with deploys only; a fix still reaches every page within minutes. */
export const WIDGET_CACHE_CONTROL = 'public, max-age=300, s-maxage=300, stale-while-revalidate=86400, stale-if-error=86400';

/** The surrogate key of everything public about one campaign (see above). */
function campaignSurrogateKey(slug: string): string {
  return `campaign-${slug}`;
}

/** True when the request's If-None-Match names this (strong) ETag. */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const given = req.headers['if-none-match'];
  // A revalidating reader sends back the one tag it was given: that match needs no split.
  return given !== undefined && (given === etag || given.split(/\s*,\s*/).includes(etag));
}

export interface CachedJson {
  body: string;
  etag: string;
}

/** Header names and values, alternating, as `writeHead` takes them without building a map. */
export type HeaderList = string[];

/**
 * A cached answer with the headers it is sent with. They are fixed by the answer (its ETag and
 * length), so whoever serves one answer many times prepares them once for it. A 304 carries
 * the same ETag and caching headers as the 200 would, without the body's.
 */
export interface PreparedJson {
  body: string;
  etag: string;
  ok: HeaderList;
  notModified: HeaderList;
}

/** `fixed` (the fast path's security and CORS headers) come first in both lists. */
export function prepareCachedJson(answer: CachedJson, slug: string, fixed: HeaderList = []): PreparedJson {
  const surrogateKey = campaignSurrogateKey(slug);
  const caching = ['ETag', answer.etag, 'Cache-Control', PUBLIC_READ_CACHE_CONTROL, 'Surrogate-Key', surrogateKey, 'Cache-Tag', surrogateKey];
  // With its length given, Node sends the body as is; without, it frames it in chunks.
  const content = ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(answer.body))];
  return { body: answer.body, etag: answer.etag, ok: [...fixed, ...caching, ...content], notModified: [...fixed, ...caching] };
}

/** Writes a prepared answer (200, or 304 when If-None-Match holds its ETag); returns the status sent. */
export function sendPreparedJson(req: IncomingMessage, res: ServerResponse, answer: PreparedJson): number {
  if (notModified(req, answer.etag)) {
    res.writeHead(304, answer.notModified).end();
    return 304;
  }
  res.writeHead(200, answer.ok).end(answer.body);
  return 200;
}

/**
 * Writes a cached public JSON answer about a campaign with one `writeHead`, with the headers the
 * progress fast path in front of Express sends too (see prepareCachedJson).
 */
export function sendCachedJson(req: IncomingMessage, res: ServerResponse, answer: CachedJson, slug: string): number {
  return sendPreparedJson(req, res, prepareCachedJson(answer, slug));
}
