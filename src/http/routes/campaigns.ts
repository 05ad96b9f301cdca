import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { z } from 'zod';
import type { CampaignRow } from '../../db/campaigns.js';
import type { FeeSchedule } from '../../domain/fees.js';
import type { ProgressReader, ProgressSnapshot } from '../../services/progress.js';
import { campaignResource } from '../presenters/campaigns.js';
import { sendCachedJson, strongEtag, type CachedJson } from '../public-cache.js';
import { defineRoute } from '../route.js';
import { monthSchema, problems, progressSchema, publicCampaignSchema, slugSchema } from '../schemas.js';

const slugParams = z.object({ slug: slugSchema });

export const PROGRESS_ROUTE = '/v1/campaigns/:slug/progress';

/** A progress answer as the route sends it (the fast path prepares the same headers; see http/public-cache). */
function sendSnapshot(req: IncomingMessage, res: ServerResponse, snapshot: ProgressSnapshot): number {
  return sendCachedJson(req, res, snapshot, snapshot.progress.campaign);
}

interface CampaignAnswer extends CachedJson {
  campaign: CampaignRow;
  snapshot: ProgressSnapshot;
}

/**
 * `fees` is the schedule a checkout's `cover_fees` grosses up by (FEE_PERCENT, FEE_FIXED): the
 * widget computes the fee it shows with the same function the checkout charges with.
 */
export function publicCampaignsRouter(progress: ProgressReader, fees: FeeSchedule): Router {
  const router = Router();
  /**
   * The campaign read, serialized once per change of the campaign or its progress (both come
   * from the progress reader's cache as the same objects until they change).
   */
  const answers = new Map<number, CampaignAnswer>();
  const campaignAnswer = (campaign: CampaignRow, snapshot: ProgressSnapshot): CampaignAnswer => {
    const cached = answers.get(campaign.id);
    if (cached?.campaign === campaign && cached.snapshot === snapshot) return cached;
    const body = JSON.stringify({ ...campaignResource(campaign), fees, progress: snapshot.progress });
    const answer = { campaign, snapshot, body, etag: strongEtag(body) };
    answers.set(campaign.id, answer);
    return answer;
  };

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/:slug',
      summary: 'A campaign as the donate page needs it, with its current progress',
      tags: ['public'],
      access: 'public',
      params: slugParams,
      responses: {
        200: { description: 'The campaign; served with a strong ETag, CDN cache headers and Surrogate-Key: campaign-{slug}', schema: publicCampaignSchema },
        304: { description: 'Not modified (If-None-Match matched the ETag)' },
        ...problems.notFound,
      },
    },
    async ({ params, req, res }) => {
      const campaign = await progress.visibleCampaign(params.slug);
      sendCachedJson(req, res, campaignAnswer(campaign, await progress.snapshot(campaign)), campaign.slug);
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
        200: { description: 'Progress; served with a strong ETag, CDN cache headers and Surrogate-Key: campaign-{slug}', schema: progressSchema },
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
