import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Request, RequestHandler, Response, Router } from 'express';
import { AppError } from '../../errors.js';
import type { Db } from '../../db/pool.js';
import { QUEUES } from '../../queue/jobs.js';
import type { Queues } from '../../queue/queues.js';
import { z } from 'zod';
import { authenticate } from '../auth.js';
import { documentMountedRoute } from '../route.js';
import { problems } from '../schemas.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'goalpost_queues_key';
const COOKIE_MAX_AGE_S = 8 * 3600;

function isHttps(req: Request): boolean {
  return req.secure || req.headers['x-forwarded-proto'] === 'https';
}

/**
 * bull-board is its own single-page app and cannot send our Authorization header, so the
 * dashboard's sign-in (admin keys only) hands the browser an HttpOnly, SameSite=Strict cookie
 * holding the key, sent to the queue dashboard's path and nowhere else. The key is checked on
 * every request like a header key, so revoking it locks the browser out at once.
 */
export function setQueueBoardCookie(req: Request, res: Response): void {
  const authorization = req.headers.authorization ?? '';
  const key = authorization.replace(/^Bearer\s+/i, '').trim();
  res.append(
    'Set-Cookie',
    `${COOKIE}=${encodeURIComponent(key)}; Path=${QUEUE_BOARD_PATH}; Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict${isHttps(req) ? '; Secure' : ''}`,
  );
}

export function clearQueueBoardCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', `${COOKIE}=; Path=${QUEUE_BOARD_PATH}; Max-Age=0; HttpOnly; SameSite=Strict${isHttps(req) ? '; Secure' : ''}`);
}

function cookieKey(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE && value.length) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** An admin key from the Authorization header or the cookie; a browser with neither goes to sign in. */
function requireAdminKey(db: Db, bootstrapKey: string | undefined): RequestHandler {
  const check = authenticate(db, bootstrapKey);
  return (req, res, next) => {
    if (!req.headers.authorization) {
      const key = cookieKey(req);
      if (key) req.headers.authorization = `Bearer ${key}`;
      else if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
        res.redirect(303, '/admin');
        return;
      }
    }
    check(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (req.auth?.scope !== 'admin') return next(new AppError('forbidden', 'The queue dashboard needs an admin key.'));
      next();
    });
  };
}

/** bull-board over every Goalpost queue at /admin/queues, for admin keys only. */
export function queueBoard(db: Db, queues: Queues, bootstrapKey: string | undefined): [RequestHandler, Router] {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    // The adapter is typed for Redis queues but reads either backend (it shows PostgreSQL's own
    // statistics instead of Redis's when the queues live there).
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(queues.queue(name) as unknown as Queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Goalpost queues' } },
  });
  documentMountedRoute({
    method: 'get',
    path: QUEUE_BOARD_PATH,
    summary: 'The queue dashboard (bull-board): admin key in the Authorization header or the cookie from POST /v1/admin/queues-session',
    tags: ['operations'],
    access: 'admin',
    responses: {
      200: { description: 'The dashboard (HTML); its own JSON API lives under this path', contentType: 'text/html', schema: z.string() },
      303: { description: 'A browser without a key is sent to /admin to sign in' },
      ...problems.auth,
    },
  });
  return [requireAdminKey(db, bootstrapKey), serverAdapter.getRouter() as Router];
}
