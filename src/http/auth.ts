import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import type { AdminSessionRow } from '../db/admin-sessions.js';
import type { ApiKeyScope } from '../db/api-keys.js';
import type { Db } from '../db/pool.js';
import { sameKey } from '../domain/api-keys.js';
import { findAdminSession, principalOfKey, principalOfSession } from '../services/admin-sessions.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `authenticate`: the key (Bearer) or dashboard session (cookie) the request acts as. */
      auth?: { keyId: string; name: string; scope: ApiKeyScope; session?: { id: string; row: AdminSessionRow } };
    }
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const SESSION_COOKIE = 'goalpost_session';
export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isHttps(req: Request): boolean {
  return req.secure;
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), Secure over HTTPS, for the whole origin (the admin API and the queue dashboard).
 */
export function setSessionCookie(req: Request, res: Response, sessionId: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  res.append('Set-Cookie', `${SESSION_COOKIE}=${sessionId}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${isHttps(req) ? '; Secure' : ''}`);
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${isHttps(req) ? '; Secure' : ''}`);
}

export function sessionCookieOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value && /^[\w-]{20,100}$/.test(value)) return value;
  }
  return undefined;
}

/** The page that sent a request is this origin's (Fetch Metadata, else the Origin header). */
function fromSameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site) return site === 'same-origin';
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * How a write made with the session cookie proves it comes from our own page: `token`, the
 * session's CSRF token in the X-CSRF-Token header (the dashboard); `same-origin`, the browser's
 * Sec-Fetch-Site/Origin headers (bull-board, which cannot add headers of ours).
 */
export type CsrfCheck = 'token' | 'same-origin';

function checkCsrf(req: Request, session: AdminSessionRow, check: CsrfCheck): void {
  if (SAFE_METHODS.has(req.method)) return;
  const passed = check === 'token' ? sameKey(req.get(CSRF_HEADER) ?? '', session.csrf_token) : fromSameOrigin(req);
  if (!passed) {
    throw new AppError('forbidden', `A write made with the dashboard session needs the session's ${CSRF_HEADER} header.`);
  }
}

/**
 * Resolves `Authorization: Bearer <key>` (API clients) or the dashboard's session cookie to a
 * name and scope. A missing or wrong key, or an ended session, is 401 here; a cookie write
 * without its CSRF proof is 403; scope (403) is checked per route by `defineRoute`.
 */
export function authenticate(db: Db, bootstrapKey: string | undefined, csrf: CsrfCheck = 'token'): RequestHandler {
  return async (req, _res, next) => {
    try {
      const bearer = BEARER.exec(req.headers.authorization ?? '')?.[1];
      if (bearer) {
        const principal = await principalOfKey(db, bootstrapKey, bearer);
        if (!principal) throw new AppError('unauthorized', 'The API key is not valid or has been revoked.');
        req.auth = principal;
        return next();
      }
      const sessionId = sessionCookieOf(req);
      if (!sessionId) throw new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer <key>), or a dashboard session.');
      const session = await findAdminSession(db, sessionId);
      if (!session) throw new AppError('unauthorized', 'The dashboard session has ended or was revoked; sign in again.');
      checkCsrf(req, session, csrf);
      req.auth = { ...principalOfSession(session), session: { id: sessionId, row: session } };
      next();
    } catch (error) {
      next(error);
    }
  };
}
