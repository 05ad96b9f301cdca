import { timingSafeEqual, createHash } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import { z } from 'zod';
import { collectQueueDepths, metricsRegistry } from '../../metrics.js';
import type { Logger } from '../../logger.js';
import type { Queues } from '../../queue/queues.js';
import { defineRoute } from '../route.js';
import { problem } from '../schemas.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <token>`, compared in constant time (digests of equal length). */
function requireMetricsToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (presented && timingSafeEqual(digest(presented), expected)) return next();
    next(new AppError('unauthorized', 'The metrics token is required (Authorization: Bearer <METRICS_TOKEN>).'));
  };
}

export function metricsRouter(queues: Queues, logger: Logger, token: string | undefined): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics: HTTP latency, Stripe events, queues and jobs, donations, receipts, deliveries',
      tags: ['operations'],
      access: 'public',
      before: token ? [requireMetricsToken(token)] : [],
      responses: {
        200: { description: 'Prometheus text exposition format', contentType: 'text/plain', schema: z.string() },
        401: problem('METRICS_TOKEN is set and the request did not carry it as a Bearer token (unauthorized)'),
      },
    },
    async ({ res }) => {
      // Without Redis the queue gauges keep their last values; the rest of the scrape still matters.
      await collectQueueDepths(queues).catch((error: unknown) => logger.warn({ err: error }, 'could not read queue depths for /metrics'));
      res.setHeader('Content-Type', metricsRegistry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await metricsRegistry.metrics());
    },
  );

  return router;
}
