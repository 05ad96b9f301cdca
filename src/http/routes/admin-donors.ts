import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { eraseDonor, exportDonor } from '../../services/donor-data.js';
import { adminDonationResource } from '../presenters/donations.js';
import { defineRoute } from '../route.js';
import { problems } from '../schemas.js';
import { donationSchema } from './admin-donations.js';

const emailSchema = z.email().max(254);

const erasureSchema = z.object({
  erased: z.object({
    donations: z.number().int(),
    checkouts: z.number().int(),
    subscriptions: z.number().int(),
    receipts: z.number().int(),
    stripe_events: z.number().int().describe("stored Stripe events whose payload named the donor"),
    webhook_events: z.number().int().describe('stored consumer events whose payload named the donor'),
  }),
});

const donorExportSchema = z.object({
  email: z.string(),
  exported_at: z.string(),
  donations: z.array(donationSchema),
  subscriptions: z.array(z.record(z.string(), z.unknown())),
  mails: z.array(z.record(z.string(), z.unknown())),
});

/** Donors' data requests: erasure and access (export). */
export function adminDonorsRouter(db: Db): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/admin/donors/erase',
      summary: "Erase a donor's name, email and messages everywhere Goalpost keeps them; amounts and the ledger stay",
      tags: ['admin: donors'],
      access: 'admin',
      body: z.object({ email: emailSchema }).strict(),
      responses: { 200: { description: 'What was erased, counted per kind of record', schema: erasureSchema }, ...problems.badRequest, ...problems.auth },
    },
    async ({ body, res }) => {
      res.json({ erased: await eraseDonor(db, body.email) });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/donors/export',
      summary: 'Everything Goalpost keeps about a donor (by email), as JSON, for an access request',
      tags: ['admin: donors'],
      access: 'admin',
      query: z.object({ email: emailSchema }),
      responses: { 200: { description: "The donor's data", schema: donorExportSchema }, ...problems.badRequest, ...problems.auth },
    },
    async ({ query, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', 'attachment; filename="donor-data.json"');
      const data = await exportDonor(db, query.email);
      res.json({ ...data, donations: data.donations.map(adminDonationResource) });
    },
  );

  return router;
}
