import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { periodLabel } from '../../domain/period.js';
import { ATTRIBUTION_DIMENSIONS, monthTotalsBy } from '../../services/attribution.js';
import { createCampaign, listCampaigns, patchCampaign, requireCampaign } from '../../services/campaigns.js';
import { monthsOf } from '../../services/months.js';
import type { ProgressChangeFeed } from '../../domain/progress-changes.js';
import type { ProgressReader } from '../../services/progress.js';
import { adminCampaignResource } from '../presenters/campaigns.js';
import { decodeCursor, defineRoute, keysetPage, pageQuery } from '../route.js';
import {
  adminCampaignSchema,
  campaignCreateSchema,
  campaignPatchSchema,
  listOf,
  minorUnits,
  monthSchema,
  problems,
  slugSchema,
} from '../schemas.js';

const slugParams = z.object({ slug: slugSchema });
const campaignCursor = z.object({ created_at: z.string(), id: z.number().int() });

const monthRow = z.object({
  month: z.string(),
  label: z.string(),
  goal: z.number().int(),
  raised: z.number().int(),
  refunded: z.number().int(),
  donations_count: z.number().int(),
  donors_count: z.number().int(),
  tiers_reached: z.array(z.number().int()),
  raised_one_time: minorUnits.describe('raised from one-time donations (offline money included); with raised_monthly it sums to raised'),
  raised_monthly: minorUnits.describe('raised from monthly donations'),
  monthly_active: z.number().int().describe("active monthly donations at the month's end (now, for the current month)"),
  monthly_committed: minorUnits.describe("their monthly amounts summed (a past month: each one's last payment by the month's end)"),
  monthly_new: z.number().int().describe('monthly donations started in the month'),
  monthly_canceled: z.number().int().describe('monthly donations canceled in the month'),
});

const sourcesSchema = z.object({
  month: z.string(),
  label: z.string(),
  currency: z.string(),
  by: z.enum(ATTRIBUTION_DIMENSIONS),
  data: z.array(
    z.object({
      value: z.string().nullable().describe('the source (or UTM value); null for donations without one (offline money, direct visits)'),
      raised: z.number().int().describe('what these donations add to the month now'),
      donations_count: z.number().int(),
    }),
  ),
});

export function adminCampaignsRouter(db: Db, progress: ProgressReader, changes: Pick<ProgressChangeFeed, 'publish'>): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/campaigns',
      summary: 'Create a campaign with its goal and tiers',
      tags: ['admin: campaigns'],
      access: 'admin',
      body: campaignCreateSchema,
      responses: {
        201: { description: 'Created', schema: adminCampaignSchema },
        ...problems.badRequest,
        ...problems.auth,
        409: { description: 'The slug is taken (conflict)' },
      },
    },
    async ({ body, res }) => {
      const campaign = await createCampaign(db, body);
      res.status(201).location(`/v1/admin/campaigns/${campaign.slug}`).json(adminCampaignResource(campaign));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/campaigns',
      summary: 'List campaigns, newest first',
      tags: ['admin: campaigns'],
      access: 'read',
      query: z.object({ ...pageQuery, status: z.enum(['active', 'paused', 'archived']).optional() }),
      responses: { 200: { description: 'A page of campaigns', schema: listOf(adminCampaignSchema) }, ...problems.auth },
    },
    async ({ query, res }) => {
      const after = decodeCursor(campaignCursor, query.cursor);
      const rows = await listCampaigns(db, { limit: query.limit + 1, after, status: query.status });
      res.json(keysetPage(rows, query.limit, adminCampaignResource, (last) => ({ created_at: last.created_at.toISOString(), id: last.id })));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/campaigns/:slug',
      summary: 'Read one campaign',
      tags: ['admin: campaigns'],
      access: 'read',
      params: slugParams,
      responses: { 200: { description: 'The campaign', schema: adminCampaignSchema }, ...problems.auth, ...problems.notFound },
    },
    async ({ params, res }) => {
      const campaign = await requireCampaign(db, params.slug);
      res.json(adminCampaignResource(campaign));
    },
  );

  defineRoute(
    router,
    {
      method: 'patch',
      path: '/v1/admin/campaigns/:slug',
      summary: 'Update a campaign; a goal or tier change applies to the current and future months only',
      tags: ['admin: campaigns'],
      access: 'admin',
      params: slugParams,
      body: campaignPatchSchema,
      responses: {
        200: { description: 'The updated campaign', schema: adminCampaignSchema },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, body, res }) => {
      const campaign = await patchCampaign(db, params.slug, body);
      progress.invalidate(campaign.id, campaign.slug);
      // Other API processes drop their copy too (a paused campaign stops taking checkouts there),
      // and live progress streams show a new goal or tiers.
      await changes.publish(campaign.id);
      res.json(adminCampaignResource(campaign));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/campaigns/:slug/months',
      summary: 'Monthly history, newest first, months without donations included',
      tags: ['admin: campaigns'],
      access: 'read',
      params: slugParams,
      query: z.object({ from: monthSchema.optional(), to: monthSchema.optional() }),
      responses: {
        200: { description: 'One row per month', schema: z.object({ data: z.array(monthRow) }) },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, query, res }) => {
      const campaign = await requireCampaign(db, params.slug);
      res.json({ data: await monthsOf(db, campaign, query) });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/campaigns/:slug/months/:month/sources',
      summary: "A month's money by attribution: source (default), or ?by=utm_source|utm_medium|utm_campaign",
      tags: ['admin: campaigns'],
      access: 'read',
      params: z.object({ slug: slugSchema, month: monthSchema }),
      query: z.object({ by: z.enum(ATTRIBUTION_DIMENSIONS).default('source') }),
      responses: {
        200: { description: 'One row per value, largest first; null collects donations without one', schema: sourcesSchema },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, query, res }) => {
      const campaign = await requireCampaign(db, params.slug);
      const rows = await monthTotalsBy(db, campaign.id, params.month, query.by);
      res.json({
        month: params.month,
        label: periodLabel(params.month),
        currency: campaign.currency,
        by: query.by,
        data: rows.map((row) => ({ value: row.value, raised: row.raised, donations_count: row.donations_count })),
      });
    },
  );

  return router;
}
