import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { clientKey } from '../domain/client-key.js';
import { httpRequestDuration } from '../metrics.js';
import { STREAM_HEADERS, type ProgressHub } from './progress-hub.js';
import { streamHeaderBlock } from './stream-connection.js';
import type { ProgressReader, ProgressSnapshot } from '../services/progress.js';
import { prepareCachedJson, sendPreparedJson, type PreparedJson } from './public-cache.js';
import { PUBLIC_CORS_HEADERS, REQUEST_ID, SECURITY_HEADERS_OPTIONS } from './headers.js';
import { PROGRESS_ROUTE } from './routes/campaigns.js';
import { lastEventId } from './routes/progress-stream.js';

const STREAM_PATH = /^\/v1\/campaigns\/([a-z0-9]+(?:-[a-z0-9]+)*)\/progress\/stream$/;
const PROGRESS_PATH = /^\/v1\/campaigns\/([a-z0-9]+(?:-[a-z0-9]+)*)\/progress(?:\?month=(\d{4}-(?:0[1-9]|1[0-2])))?$/;

/** The headers helmet sets on every response, computed once by running it against a recorder. */
export function securityHeaders(): [string, string][] {
  const recorded = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => recorded.set(name, String(value)),
    removeHeader: (name: string) => recorded.delete(name),
    getHeader: (name: string) => recorded.get(name),
  };
  helmet(SECURITY_HEADERS_OPTIONS)({ headers: {}, method: 'GET' } as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return [...recorded];
}

/** Answers a request itself when it can (true), or leaves it untouched for Express (false). */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The progress read sits on every article page of a busy site. When its answer is cached, it
 * is sent here, in front of Express (whose dispatch — prototypes swapped, router state,
 * closures — and the garbage it leaves were most of such a read's CPU), with the same headers
 * the full path sets (security, CORS, request id, ETag, caching), prepared once per snapshot,
 * and without a per-request log line: such reads are counted in /metrics instead. Anything
 * else — a cache miss, an unknown campaign, a bad month — takes the full path, which
 * validates, answers problems and fills the cache.
 */
export function progressFastPath(progress: ProgressReader): FastPath {
  // The request id comes first, so its value sits at the same index of every prepared list.
  const fixed = ['X-Request-Id', '', ...securityHeaders().flat(), ...Object.entries(PUBLIC_CORS_HEADERS).flat()];
  // A snapshot is one object until the progress changes, so its headers are built once for all
  // its readers; a changed progress is a new snapshot, prepared anew on its first read.
  const prepared = new WeakMap<ProgressSnapshot, PreparedJson>();
  const prepare = (snapshot: ProgressSnapshot): PreparedJson => {
    let answer = prepared.get(snapshot);
    if (!answer) {
      answer = prepareCachedJson(snapshot, snapshot.progress.campaign, fixed);
      prepared.set(snapshot, answer);
    }
    return answer;
  };
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const match = PROGRESS_PATH.exec(req.url!);
    const snapshot = match && progress.peek(match[1]!, match[2]);
    if (!snapshot) return false;
    const stop = httpRequestDuration.startTimer();
    const answer = prepare(snapshot);
    const given = req.headers['x-request-id'];
    // Filled in per request; writeHead copies the lists out synchronously.
    answer.ok[1] = answer.notModified[1] = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const status = sendPreparedJson(req, res, answer);
    stop({ method: 'GET', route: PROGRESS_ROUTE, status_code: String(status) });
    return true;
  };
}

const STREAM_SECURITY_HEADERS = ['X-Content-Type-Options', 'Cross-Origin-Resource-Policy'];

/**
 * A live progress stream lives for minutes to hours, so whatever a request carries through the
 * middleware stack (a pino child logger and its per-request bindings, Express's route state,
 * the request id, a dozen headers set one by one) is memory held for that long, times every
 * reader of a front page. A stream for a cached campaign opens here instead, with its header
 * lines built once for all. Anything else — an unknown or uncached campaign, a refusal by a
 * cap — takes the full route, which answers it as a problem.
 */
export function progressStreamFastPath(progress: ProgressReader, hub: ProgressHub): RequestHandler {
  // Only the headers that mean something for an event stream read by script (no document policies).
  const security = new Map(securityHeaders());
  const headerBlock = streamHeaderBlock({
    ...Object.fromEntries(STREAM_SECURITY_HEADERS.map((name) => [name, security.get(name)!])),
    'Access-Control-Allow-Origin': PUBLIC_CORS_HEADERS['Access-Control-Allow-Origin']!,
    ...STREAM_HEADERS,
  });
  return (req, res, next) => {
    if (req.method !== 'GET') return next();
    const match = STREAM_PATH.exec(req.url);
    const campaign = match && progress.peekCampaign(match[1]!);
    if (!campaign) return next();
    hub.open(campaign, { client: clientKey(req.ip), req, res, lastEventId: lastEventId(req), headerBlock }).catch(() => next());
  };
}
