import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import { endAdminSession, findAdminSession, principalOfKey, startAdminSession } from '../../services/admin-sessions.js';
import { CSRF_HEADER, clearSessionCookie, sessionCookieOf, setSessionCookie } from '../auth.js';
import { defineRoute } from '../route.js';
import { problem, problems } from '../schemas.js';

const meSchema = z.object({ name: z.string(), scope: z.enum(['read', 'admin']) });
const sessionSchema = meSchema.extend({
  csrf_token: z.string().describe(`send it back in the ${CSRF_HEADER} header on every write made with the session cookie`),
  expires_at: z.iso.datetime(),
});
const signInSchema = z.object({ key: z.string().min(1).max(500).describe('an API key (read or admin); exchanged once, never stored by the browser') });

type SessionRow = { key_name: string; scope: 'read' | 'admin'; csrf_token: string; expires_at: Date };

function sessionResource(row: SessionRow) {
  return { name: row.key_name, scope: row.scope, csrf_token: row.csrf_token, expires_at: row.expires_at.toISOString() };
}

/**
 * Dashboard sign-in: an API key is exchanged once for a short-lived session held in an HttpOnly,
 * SameSite=Strict cookie (the browser never keeps the key); signing out revokes it server-side.
 * Mounted before the admin authentication, which POST /v1/admin/sessions does not need.
 */
export function adminSignInRouter(db: Db, config: Pick<Config, 'ADMIN_API_KEY' | 'ADMIN_SESSION_TTL_MINUTES'>): Router {
  const router = Router();
  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/sessions',
      summary: 'Sign in to the dashboard: exchanges an API key for a session cookie (HttpOnly, SameSite=Strict) and a CSRF token',
      tags: ['admin: keys'],
      access: 'public',
      body: signInSchema,
      responses: {
        201: { description: 'Signed in; the session cookie is set', schema: sessionSchema },
        ...problems.badRequest,
        401: problem('The key is not valid or has been revoked (unauthorized)'),
        429: problem('Too many failed sign-ins from this address (rate_limited); see Retry-After'),
      },
    },
    async ({ body, req, res }) => {
      const principal = await principalOfKey(db, config.ADMIN_API_KEY, body.key);
      if (!principal) throw new AppError('unauthorized', 'The API key is not valid or has been revoked.');
      const { sessionId, session } = await startAdminSession(db, principal, config.ADMIN_SESSION_TTL_MINUTES * 60_000);
      setSessionCookie(req, res, sessionId, session.expires_at);
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).json(sessionResource(session));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/sessions/current',
      summary: "This browser's dashboard session (name, scope, CSRF token, expiry), read after a page reload; 204 when it has none",
      tags: ['admin: keys'],
      access: 'public',
      responses: {
        200: { description: 'The session', schema: sessionSchema },
        204: { description: 'No session cookie, or the session has ended: sign in' },
      },
    },
    async ({ req, res }) => {
      const sessionId = sessionCookieOf(req);
      const session = sessionId ? await findAdminSession(db, sessionId) : null;
      res.setHeader('Cache-Control', 'no-store');
      if (!session) {
        res.status(204).end();
        return;
      }
      res.json(sessionResource(session));
    },
  );
  return router;
}

/** Who the request acts as, and signing out; behind the admin authentication. */
export function adminSessionRouter(db: Db): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/me',
      summary: "The presented API key's (or session's) name and scope (what the dashboard may show and do)",
      tags: ['admin: keys'],
      access: 'read',
      responses: { 200: { description: 'The key', schema: meSchema }, ...problems.auth },
    },
    ({ req, res }) => {
      res.json({ name: req.auth!.name, scope: req.auth!.scope });
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/v1/admin/sessions/current',
      summary: `Sign out: revokes this browser's session and clears its cookie (with the cookie, the ${CSRF_HEADER} header is required)`,
      tags: ['admin: keys'],
      access: 'read',
      responses: { 204: { description: 'Signed out' }, ...problems.auth },
    },
    async ({ req, res }) => {
      const sessionId = req.auth!.session?.id ?? sessionCookieOf(req);
      if (sessionId) await endAdminSession(db, sessionId);
      clearSessionCookie(req, res);
      res.status(204).end();
    },
  );

  return router;
}
