import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import type { ProgressReader, ProgressSnapshot } from '../../services/progress.js';
import { campaignResource } from '../../services/campaigns.js';
import { defineRoute } from '../route.js';
import { monthSchema, problems, progressSchema, publicCampaignSchema, slugSchema } from '../schemas.js';

const slugParams = z.object({ slug: slugSchema });

/** Browsers and CDNs may keep a progress answer briefly; the ETag makes revalidation cheap. */
export const PROGRESS_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=30';
export const PROGRESS_ROUTE = '/v1/campaigns/:slug/progress';

/**
 * Writes a progress answer (200, or 304 when If-None-Match holds its strong ETag) with one
 * `writeHead`, so the fast path in front of Express sends exactly what this route sends and
 * Node can skip its per-header bookkeeping. `headers` (the fast path's fixed headers) is filled
 * in and consumed synchronously. Returns the status sent.
 */
export function sendSnapshot(
  req: IncomingMessage,
  res: ServerResponse,
  snapshot: ProgressSnapshot,
  headers: Record<string, string> = {},
): number {
  headers.ETag = snapshot.etag;
  headers['Cache-Control'] = PROGRESS_CACHE_CONTROL;
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(snapshot.etag)) {
    delete headers['Content-Type'];
    res.writeHead(304, headers).end();
    return 304;
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  res.writeHead(200, headers).end(snapshot.body);
  return 200;
}

export function publicCampaignsRouter(progress: ProgressReader): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/:slug',
      summary: 'A campaign as the donate page needs it, with its current progress',
      tags: ['public'],
      access: 'public',
      params: slugParams,
      responses: { 200: { description: 'The campaign', schema: publicCampaignSchema }, ...problems.notFound },
    },
    async ({ params, res }) => {
      const campaign = await progress.visibleCampaign(params.slug);
      const snapshot = await progress.snapshot(campaign);
      res.setHeader('Cache-Control', PROGRESS_CACHE_CONTROL);
      res.json({ ...campaignResource(campaign), progress: snapshot.progress });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: PROGRESS_ROUTE,
      summary: "A period's progress toward the goal (this month unless ?month=YYYY-MM)",
      tags: ['public'],
      access: 'public',
      params: slugParams,
      query: z.object({ month: monthSchema.optional() }),
      responses: {
        200: { description: 'Progress; served with a strong ETag', schema: progressSchema },
        304: { description: 'Not modified (If-None-Match matched the ETag)' },
        ...problems.badRequest,
        ...problems.notFound,
      },
    },
    async ({ params, query, req, res }) => {
      const campaign = await progress.visibleCampaign(params.slug);
      sendSnapshot(req, res, await progress.snapshot(campaign, query.month));
    },
  );

  return router;
}
