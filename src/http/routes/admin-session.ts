import { Router } from 'express';
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { problems } from '../schemas.js';
import { QUEUE_BOARD_PATH, clearQueueBoardCookie, setQueueBoardCookie } from './queue-board.js';

const meSchema = z.object({ name: z.string(), scope: z.enum(['read', 'admin']) });

/** Who the presented key is, and the queue dashboard's cookie for browsers signed in with it. */
export function adminSessionRouter(): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/me',
      summary: "The presented API key's name and scope (what the dashboard may show and do)",
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
      method: 'post',
      path: '/v1/admin/queues-session',
      summary: `Lets this browser open the queue dashboard (${QUEUE_BOARD_PATH}) with the presented admin key`,
      tags: ['admin: keys'],
      access: 'admin',
      responses: { 204: { description: 'An HttpOnly cookie scoped to the queue dashboard is set' }, ...problems.auth },
    },
    ({ req, res }) => {
      setQueueBoardCookie(req, res);
      res.status(204).end();
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/v1/admin/queues-session',
      summary: "Removes this browser's queue dashboard cookie (signing out)",
      tags: ['admin: keys'],
      access: 'read',
      responses: { 204: { description: 'The cookie is cleared' }, ...problems.auth },
    },
    ({ req, res }) => {
      clearQueueBoardCookie(req, res);
      res.status(204).end();
    },
  );

  return router;
}
