import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ProgressReader, ProgressSnapshot } from '../../services/progress.js';
import { campaignResource } from '../../services/campaigns.js';
import { defineRoute } from '../route.js';
import { monthSchema, problems, progressSchema, publicCampaignSchema, slugSchema } from '../schemas.js';

const slugParams = z.object({ slug: slugSchema });

/** Browsers and CDNs may keep a progress answer briefly; the ETag makes revalidation cheap. */
const PROGRESS_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=30';

function sendSnapshot(req: Request, res: Response, snapshot: ProgressSnapshot): void {
  res.setHeader('ETag', snapshot.etag);
  res.setHeader('Cache-Control', PROGRESS_CACHE_CONTROL);
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(snapshot.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type('application/json').send(snapshot.body);
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
      path: '/v1/campaigns/:slug/progress',
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
