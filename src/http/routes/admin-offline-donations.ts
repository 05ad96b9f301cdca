import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { OFFLINE_METHODS } from '../../domain/offline-donation.js';
import { adminDonationResource } from '../../services/donation-resources.js';
import { recordOfflineDonation, voidOfflineDonation } from '../../services/offline-donations.js';
import { defineRoute } from '../route.js';
import { positiveMinorUnits, problemSchema, problems, slugSchema } from '../schemas.js';
import { donationSchema } from './admin-donations.js';

const conflictProblem = (description: string) => ({ 409: { description, schema: problemSchema, contentType: 'application/problem+json' } });

const offlineDonationBody = z
  .object({
    amount: positiveMinorUnits.describe('minor units of the campaign currency'),
    currency: z.string().regex(/^[a-z]{3}$/, 'a lowercase ISO 4217 code').optional().describe("must be the campaign's when given"),
    received_at: z
      .string()
      .max(40)
      .describe('when the money arrived: YYYY-MM-DD (that day in the campaign timezone) or an ISO 8601 date-time with an offset; it counts in that month'),
    method: z.enum(OFFLINE_METHODS),
    reference: z.string().trim().min(1).max(100).describe('cheque number, transfer reference…; unique per campaign'),
    donor: z
      .object({ name: z.string().trim().max(200).optional(), email: z.email().max(254).optional() })
      .strict()
      .optional(),
    send_receipt: z.boolean().default(false).describe('number the donation and mail the donor a receipt'),
  })
  .strict();

export type OfflineRouteDeps = Pick<AppContext, 'db' | 'queues' | 'redis' | 'progress' | 'config' | 'logger'>;

/** Money received outside Stripe: recording, importing (see admin-offline-import.ts) and voiding it. */
export function adminOfflineDonationsRouter(deps: OfflineRouteDeps): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/campaigns/:slug/offline-donations',
      summary: 'Record money received outside Stripe (cheque, bank transfer, cash); it counts in the month it was received',
      tags: ['admin: donations'],
      access: 'admin',
      params: z.object({ slug: slugSchema }),
      body: offlineDonationBody,
      responses: {
        201: { description: 'The recorded donation', schema: donationSchema },
        ...problems.badRequest,
        ...problems.auth,
        ...problems.notFound,
        ...conflictProblem('The campaign already has a donation with this reference (conflict)'),
      },
    },
    async ({ params, body, res }) => {
      const donation = await recordOfflineDonation(deps, params.slug, body);
      res.status(201).location(`/v1/admin/donations/${donation.id}`).json(adminDonationResource(donation));
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/v1/admin/donations/:id',
      summary: 'Void an offline donation: a reversing ledger entry takes it out of its month (nothing is deleted)',
      tags: ['admin: donations'],
      access: 'admin',
      params: z.object({ id: z.string().min(1).max(200) }),
      responses: {
        200: { description: 'The voided donation', schema: donationSchema },
        ...problems.auth,
        ...problems.notFound,
        ...conflictProblem('A Stripe donation (refund it instead) or one already voided (conflict)'),
      },
    },
    async ({ params, res }) => {
      res.json(adminDonationResource(await voidOfflineDonation(deps, params.id)));
    },
  );

  return router;
}
