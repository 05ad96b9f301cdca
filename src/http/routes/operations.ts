import { Router } from 'express';
import { z } from 'zod';
import { pendingMigrations } from '../../services/readiness.js';
import type { AppContext } from '../../context.js';
import { buildOpenApiDocument } from '../openapi.js';
import { defineRoute } from '../route.js';

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  // `redis` only when REDIS_URL is set: without it the queues live in the database checked above.
  checks: z.object({ database: z.string(), migrations: z.string(), redis: z.string().optional() }),
});

async function check(probe: () => Promise<string>): Promise<string> {
  try {
    return await probe();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

export function operationsRouter(ctx: Pick<AppContext, 'db' | 'redis' | 'config'>): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/healthz',
      summary: 'The process is up',
      tags: ['operations'],
      access: 'public',
      responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
    },
    ({ res }) => {
      res.json({ status: 'ok' });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/readyz',
      summary: 'Database (and Redis, when configured) reachable, migrations applied',
      tags: ['operations'],
      access: 'public',
      responses: { 200: { description: 'Ready', schema: readiness }, 503: { description: 'Not ready', schema: readiness } },
    },
    async ({ res }) => {
      const redis = ctx.redis;
      const checks = {
        database: await check(async () => (await ctx.db.query('SELECT 1'), 'ok')),
        migrations: await check(async () => {
          const pending = await pendingMigrations(ctx.db);
          return pending.length ? `pending: ${pending.join(', ')}` : 'ok';
        }),
        ...(redis && { redis: await check(async () => ((await redis.ping()) === 'PONG' ? 'ok' : 'unexpected answer')) }),
      };
      const ready = Object.values(checks).every((value) => value === 'ok');
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      tags: ['operations'],
      access: 'public',
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
    },
    ({ res }) => {
      res.json(buildOpenApiDocument(ctx.config.publicBaseUrl));
    },
  );

  return router;
}
