import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { hideMessage, listSupporters } from '../../services/supporters.js';
import { supporterEntry } from '../../domain/supporters.js';
import { adminDonationResource } from '../presenters/donations.js';
import type { ProgressReader } from '../../services/progress.js';
import { sendCachedJson, strongEtag } from '../public-cache.js';
import { decodeCursor, defineRoute, keysetPage, pageQuery } from '../route.js';
import { listOf, minorUnits, problems, slugSchema } from '../schemas.js';
import { donationSchema } from './admin-donations.js';

const supporterSchema = z.object({
  name: z.string().nullable().describe('null for anonymous donors'),
  message: z.string().nullable().describe('null for anonymous donors and messages an admin hid'),
  amount: minorUnits.optional().describe("what the donation counts now; only when the campaign's show_amounts is on, never for anonymous donors"),
  currency: z.string().optional(),
  created_at: z.string().describe('when the donation was paid'),
});

const supporterCursor = z.object({ position: z.string(), id: z.string() });

/** The public donor wall. */
export function supportersRouter(db: Db, progress: ProgressReader): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/campaigns/:slug/supporters',
      summary: 'The donor wall: who gave, newest first (anonymous donors without name, message or amount)',
      tags: ['public'],
      access: 'public',
      params: z.object({ slug: slugSchema }),
      query: z.object(pageQuery),
      responses: {
        200: { description: 'A page of supporters; CDN cache headers, a strong ETag and Surrogate-Key: campaign-{slug}', schema: listOf(supporterSchema) },
        304: { description: 'Not modified (If-None-Match matched the ETag)' },
        ...problems.badRequest,
        ...problems.notFound,
      },
    },
    async ({ params, query, req, res }) => {
      const campaign = await progress.visibleCampaign(params.slug);
      const after = decodeCursor(supporterCursor, query.cursor);
      const rows = await listSupporters(db, campaign.id, { limit: query.limit + 1, after });
      const body = JSON.stringify(
        keysetPage(rows, query.limit, (row) => supporterEntry(row, campaign.show_amounts), (last) => ({ position: last.position, id: last.id })),
      );
      // A CDN in front answers the wall's readers (see http/public-cache); the origin reads once per s-maxage.
      sendCachedJson(req, res, { body, etag: strongEtag(body) }, campaign.slug);
    },
  );

  return router;
}

/** The admin's switch to hide a message from the wall (mounted behind admin authentication). */
export function adminSupportersRouter(db: Db): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'patch',
      path: '/v1/admin/donations/:id',
      summary: "Hide a donor's message from the supporters wall (or show it again); the message itself is kept",
      tags: ['admin: donations'],
      access: 'admin',
      params: z.object({ id: z.string().min(1).max(200) }),
      body: z.object({ message_hidden: z.boolean() }).strict(),
      responses: { 200: { description: 'The donation', schema: donationSchema }, ...problems.badRequest, ...problems.auth, ...problems.notFound },
    },
    async ({ params, body, res }) => {
      res.json(adminDonationResource(await hideMessage(db, params.id, body.message_hidden)));
    },
  );

  return router;
}
