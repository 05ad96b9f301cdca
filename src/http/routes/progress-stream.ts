import { Router } from 'express';
import { z } from 'zod';
import type { ProgressHub } from '../progress-hub.js';
import type { ProgressReader } from '../../services/progress.js';
import { defineRoute } from '../route.js';
import { problemSchema, problems, slugSchema } from '../schemas.js';

export function progressStreamRouter(progress: ProgressReader, hub: ProgressHub): Router {
  const router = Router();
  void hub.start();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/:slug/progress/stream',
      summary: 'Live progress (Server-Sent Events): a `progress` event at connect and on every change',
      tags: ['public'],
      access: 'public',
      params: z.object({ slug: slugSchema }),
      responses: {
        200: {
          description:
            'An event stream: `event: progress` with the same JSON body as GET /v1/campaigns/{slug}/progress, ' +
            'sent at connect and whenever the figures change; comment lines as heartbeats.',
          contentType: 'text/event-stream',
          schema: z.string(),
        },
        ...problems.notFound,
        429: {
          description: 'Too many open streams from this client (rate_limited)',
          schema: problemSchema,
          contentType: 'application/problem+json',
        },
      },
    },
    async ({ params, req, res }) => {
      const campaign = await progress.visibleCampaign(params.slug);
      await hub.open(campaign, req.ip ?? req.socket.remoteAddress ?? 'unknown', res);
    },
  );

  return router;
}
