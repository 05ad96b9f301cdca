import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import type { Stripe } from '../../integrations/stripe.js';
import { refundsRequested } from '../../metrics.js';
import { requireCampaign } from '../../services/campaigns.js';
import { donationsCsv } from '../../services/donation-export.js';
import { requestRefund } from '../../services/refunds.js';
import { defineRoute } from '../route.js';
import { drained } from '../write-stream.js';
import { monthSchema, positiveMinorUnits, problemSchema, problems, slugSchema } from '../schemas.js';

const refundSchema = z.object({
  id: z.string().describe('the Stripe refund id'),
  status: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  donation_id: z.string(),
});

/** The export and the refund: admin actions on donations beside the ledger's own routes. */
export function adminDonationActionsRouter(db: Db, stripe: Stripe): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/donations/export.csv',
      summary: 'All donations matching the filters as CSV (RFC 4180, header row, newest first), streamed',
      tags: ['admin: donations'],
      access: 'read',
      query: z.object({
        campaign: slugSchema.optional(),
        month: monthSchema.optional(),
        status: z.enum(['pending', 'succeeded', 'failed', 'expired']).optional(),
        q: z.string().trim().min(1).max(200).optional(),
      }),
      responses: {
        200: {
          description: 'CSV; amounts in minor units; cells a spreadsheet would run as formulas start with an apostrophe',
          contentType: 'text/csv',
          schema: z.string(),
        },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ query, res }) => {
      const campaign = query.campaign ? await requireCampaign(db, query.campaign) : null;
      const name = ['donations', query.campaign, query.month, query.status].filter(Boolean).join('-');
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      const chunks = donationsCsv(db, { campaignId: campaign?.id, month: query.month, status: query.status, q: query.q });
      for await (const chunk of chunks) {
        if (!res.write(chunk) && !(await drained(res))) {
          await chunks.return(undefined);
          return;
        }
      }
      res.end();
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/donations/:id/refund',
      summary: "Refunds (part of) a donation through Stripe; the ledger changes when Stripe's refund event arrives",
      tags: ['admin: donations'],
      access: 'admin',
      params: z.object({ id: z.string().min(1).max(100) }),
      body: z.object({ amount: positiveMinorUnits.optional().describe('minor units of the charge; omit to refund all that is left') }).strict(),
      responses: {
        202: { description: 'Stripe accepted the refund request', schema: refundSchema },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
        409: { description: 'Not refundable: not succeeded, already refunded in full, or disputed (conflict)', schema: problemSchema, contentType: 'application/problem+json' },
        502: { description: 'Stripe refused or could not be reached (stripe_error)', schema: problemSchema, contentType: 'application/problem+json' },
      },
    },
    async ({ params, body, res }) => {
      try {
        const refund = await requestRefund({ db, stripe }, params.id, body.amount);
        refundsRequested.inc({ outcome: 'accepted' });
        res.status(202).json(refund);
      } catch (error) {
        if (error instanceof AppError && error.code === 'stripe_error') refundsRequested.inc({ outcome: 'failed' });
        throw error;
      }
    },
  );

  return router;
}
