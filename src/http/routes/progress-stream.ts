import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import { clientKey } from '../../domain/client-key.js';
import { STREAM_HEADERS, type ProgressHub } from '../progress-hub.js';
import type { ProgressReader } from '../../services/progress.js';
import { defineRoute } from '../route.js';
import { problemSchema, problems, slugSchema } from '../schemas.js';

/** The version a reconnecting EventSource already shows (the id of the last event it got). */
export function lastEventId(req: IncomingMessage): string | undefined {
  const given = req.headers['last-event-id'];
  return typeof given === 'string' && given.length <= 100 ? given : undefined;
}

export function progressStreamRouter(progress: ProgressReader, hub: ProgressHub): Router {
  const router = Router();
  void hub.start();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/:slug/progress/stream',
      summary:
        'Live progress (Server-Sent Events): a `progress` event at connect and on every change; ' +
        'a reconnect with Last-Event-ID gets only figures it does not have yet',
      tags: ['public'],
      access: 'public',
      params: z.object({ slug: slugSchema }),
      responses: {
        200: {
          description:
            'An event stream: `event: progress` with the same JSON body as GET /v1/campaigns/{slug}/progress and ' +
            '`id:` its version (the ETag without quotes), sent at connect (unless Last-Event-ID is that version) ' +
            'and whenever the figures change; a jittered `retry:` hint; comment lines as heartbeats.',
          contentType: 'text/event-stream',
          schema: z.string(),
        },
        ...problems.notFound,
        429: {
          description: 'Too many open streams from this client, an IPv4 address or an IPv6 /64 (rate_limited)',
          schema: problemSchema,
          contentType: 'application/problem+json',
        },
        503: {
          description: 'This process holds its maximum of streams, or is shutting down (service_unavailable, with Retry-After)',
          schema: problemSchema,
          contentType: 'application/problem+json',
        },
      },
    },
    async ({ params, req, res }) => {
      const campaign = await progress.visibleCampaign(params.slug);
      // HEAD (which Express routes here too) says what a GET would open, without holding a stream.
      if (req.method === 'HEAD') {
        res.writeHead(200, STREAM_HEADERS).end();
        return;
      }
      await hub.open(campaign, { client: clientKey(req.ip ?? req.socket.remoteAddress), req, res, lastEventId: lastEventId(req) });
    },
  );

  return router;
}
