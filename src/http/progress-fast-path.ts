import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { httpRequestDuration } from '../metrics.js';
import type { ProgressReader } from '../services/progress.js';
import { PUBLIC_CORS_HEADERS, REQUEST_ID, SECURITY_HEADERS_OPTIONS } from './headers.js';
import { PROGRESS_ROUTE, sendSnapshot } from './routes/campaigns.js';

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

/**
 * The progress read sits on every article page of a busy site. When its answer is cached, it
 * is sent here, first in the stack, with the same headers the full path sets (security, CORS,
 * request id, ETag, caching) but without a per-request log line: such reads are counted in
 * /metrics instead. Anything else — a cache miss, an unknown campaign, a bad month — takes the
 * full path, which validates, answers problems and fills the cache.
 */
export function progressFastPath(progress: ProgressReader): RequestHandler {
  // One object reused for every answer: sendSnapshot fills in the per-request values and Node
  // copies it out synchronously in writeHead.
  const headers: Record<string, string> = { ...Object.fromEntries(securityHeaders()), ...PUBLIC_CORS_HEADERS };
  return (req, res, next) => {
    if (req.method !== 'GET') return next();
    const match = PROGRESS_PATH.exec(req.url);
    const snapshot = match && progress.peek(match[1]!, match[2]);
    if (!snapshot) return next();
    const stop = httpRequestDuration.startTimer();
    const given = req.headers['x-request-id'];
    headers['X-Request-Id'] = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const status = sendSnapshot(req, res, snapshot, headers);
    stop({ method: 'GET', route: PROGRESS_ROUTE, status_code: String(status) });
  };
}
