import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { SUPPORTED_LANGUAGES } from '../../domain/i18n/languages.js';
import { OFFLINE_METHODS } from '../../domain/offline-donation.js';
import { campaignIdOfFilter } from '../../services/campaigns.js';
import { donationDetail, listDonations } from '../../services/donations.js';
import { adminDonationResource, ledgerEntryResource, receiptStatusResource } from '../presenters/donations.js';
import { decodeCursor, defineRoute, keysetPage, pageQuery } from '../route.js';
import { attributionSchema, listOf, minorUnits, monthSchema, problems, searchQuery, slugSchema } from '../schemas.js';

const STATUSES = ['pending', 'succeeded', 'failed', 'expired'] as const;

export const donationSchema = z.object({
  id: z.string(),
  campaign: z.string(),
  status: z.enum(STATUSES),
  frequency: z.enum(['one_time', 'monthly']),
  amount: minorUnits.describe('what counts toward the goal (covered fee excluded)'),
  fee_amount: minorUnits.describe('the processing fee the donor chose to cover'),
  currency: z.string(),
  refunded_amount: minorUnits.describe('what refunds took from the goal (at most amount)'),
  disputed_amount: minorUnits.describe('what an open or lost dispute keeps out of the goal'),
  net_amount: minorUnits.describe('what this donation adds to its month now'),
  charge_refunded_amount: minorUnits.describe("Stripe's amount_refunded on the charge, covered fee included"),
  dispute: z.object({ id: z.string(), status: z.enum(['open', 'won', 'lost']).nullable(), amount: minorUnits }).nullable(),
  donor: z.object({ email: z.string().nullable(), name: z.string().nullable(), anonymous: z.boolean() }),
  message: z.string().nullable(),
  message_hidden: z.boolean().describe('an admin hid the message from the supporters wall'),
  origin: z.enum(['stripe', 'offline']).describe('paid through Stripe, or recorded by an admin (offline money, imports)'),
  offline: z
    .object({ method: z.enum(OFFLINE_METHODS), reference: z.string(), voided_at: z.string().nullable() })
    .nullable()
    .describe('how offline money arrived; null for Stripe donations'),
  attribution: attributionSchema,
  locale: z
    .enum(SUPPORTED_LANGUAGES)
    .nullable()
    .describe("the donor's language, as the checkout named it (a renewal: its monthly donation's checkout); null when it named none, and for offline money"),
  month: z.string().nullable().describe('YYYY-MM of the payment in the campaign timezone; null until paid'),
  paid_at: z.string().nullable(),
  receipt_number: z.string().nullable(),
  stripe: z.object({
    checkout_session_id: z.string().nullable(),
    payment_intent_id: z.string().nullable(),
    charge_id: z.string().nullable(),
    invoice_id: z.string().nullable(),
    subscription_id: z.string().nullable(),
  }),
  created_at: z.string(),
  updated_at: z.string(),
});

const donationDetailSchema = donationSchema.extend({
  ledger_entries: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(['donation', 'refund', 'dispute', 'dispute_reversal', 'offline', 'offline_void']),
      amount: z.number().int().describe('signed: refunds and disputes negative'),
      currency: z.string(),
      month: z.string(),
      source_id: z.string().describe('the Stripe object behind the entry, or offline:<donation id>'),
      stripe_event_id: z.string().nullable(),
      created_at: z.string(),
    }),
  ),
  receipt: z
    .object({
      status: z.enum(['pending', 'sending', 'sent', 'failed']),
      to_email: z.string(),
      attempts: z.number().int(),
      sent_at: z.string().nullable(),
      last_error: z.string().nullable(),
    })
    .nullable()
    .describe('the receipt mail; null before the donation succeeds or without a donor email'),
});

const donationCursor = z.object({ position: z.string(), id: z.string() });

export function adminDonationsRouter(db: Db): Router {
  const router = Router();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/donations',
      summary: 'Donations, newest first; q searches donor email and name',
      tags: ['admin: donations'],
      access: 'read',
      query: z.object({
        ...pageQuery,
        campaign: slugSchema.optional(),
        month: monthSchema.optional(),
        status: z.enum(STATUSES).optional(),
        q: searchQuery,
      }),
      responses: {
        200: { description: 'A page of donations', schema: listOf(donationSchema) },
        ...problems.badRequest,
        ...problems.auth,
        404: { description: 'No campaign with that slug (not_found)' },
      },
    },
    async ({ query, res }) => {
      const campaignId = await campaignIdOfFilter(db, query.campaign);
      const after = decodeCursor(donationCursor, query.cursor);
      const rows = await listDonations(
        db,
        { campaignId, month: query.month, status: query.status, q: query.q },
        { limit: query.limit + 1, after },
      );
      res.json(keysetPage(rows, query.limit, adminDonationResource, (last) => ({ position: last.position, id: last.id })));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/donations/:id',
      summary: 'One donation with its ledger entries, Stripe ids and receipt status',
      tags: ['admin: donations'],
      access: 'read',
      params: z.object({ id: z.string().min(1).max(200) }),
      responses: {
        200: { description: 'The donation', schema: donationDetailSchema },
        ...problems.auth,
        ...problems.notFound,
      },
    },
    async ({ params, res }) => {
      const { donation, ledgerEntries, receipt } = await donationDetail(db, params.id);
      res.json({
        ...adminDonationResource(donation),
        ledger_entries: ledgerEntries.map(ledgerEntryResource),
        receipt: receiptStatusResource(receipt),
      });
    },
  );

  return router;
}
