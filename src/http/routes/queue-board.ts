import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler, Router } from 'express';
import { AppError } from '../../errors.js';
import type { Db } from '../../db/pool.js';
import { QUEUES } from '../../queue/jobs.js';
import type { Queues } from '../../queue/queues.js';
import { z } from 'zod';
import { authenticate, sessionCookieOf } from '../auth.js';
import { documentMountedRoute } from '../route.js';
import { problems } from '../schemas.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * bull-board is its own single-page app and cannot send our Authorization header: a browser
 * reaches it with the dashboard's session cookie (admin sessions only), checked on every
 * request, so signing out or revoking the key locks it out at once. Its writes (retry, clean)
 * must come from this origin's pages (it cannot send our CSRF header). A browser with neither
 * key nor session goes to sign in.
 */
function requireAdmin(db: Db, bootstrapKey: string | undefined): RequestHandler {
  const check = authenticate(db, bootstrapKey, 'same-origin');
  return (req, res, next) => {
    if (!req.headers.authorization && !sessionCookieOf(req) && req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      res.redirect(303, '/admin');
      return;
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
    summary: 'The queue dashboard (bull-board): admin key in the Authorization header, or an admin dashboard session (POST /v1/admin/sessions)',
    tags: ['operations'],
    access: 'admin',
    responses: {
      200: { description: 'The dashboard (HTML); its own JSON API lives under this path', contentType: 'text/html', schema: z.string() },
      303: { description: 'A browser without a key is sent to /admin to sign in' },
      ...problems.auth,
    },
  });
  return [requireAdmin(db, bootstrapKey), serverAdapter.getRouter() as Router];
}
