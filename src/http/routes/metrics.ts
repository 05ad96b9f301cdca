import { Router } from 'express';
import { z } from 'zod';
import { collectQueueDepths, metricsRegistry } from '../../metrics.js';
import type { Logger } from '../../logger.js';
import type { Queues } from '../../queue/queues.js';
import { defineRoute } from '../route.js';

export function metricsRouter(queues: Queues, logger: Logger): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics: HTTP latency, Stripe events, queues and jobs, donations, receipts, deliveries',
      tags: ['operations'],
      access: 'public',
      responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain', schema: z.string() } },
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
