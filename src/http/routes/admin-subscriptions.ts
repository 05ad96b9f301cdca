import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import type { AdminSubscriptionRow } from '../../db/subscriptions.js';
import { listSubscriptions } from '../../services/subscriptions.js';
import { shownStatus, SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../domain/subscription.js';
import { decodeCursor, defineRoute, keysetPage, pageQuery } from '../route.js';
import { listOf, minorUnits, monthSchema, problems, searchQuery, slugSchema } from '../schemas.js';

const subscriptionSchema = z.object({
  id: z.string().describe('the Stripe subscription id'),
  campaign: z.string(),
  amount: minorUnits.describe('the monthly donation (covered fee excluded)'),
  fee_amount: minorUnits.describe('the processing fee the donor covers each month'),
  currency: z.string(),
  status: z.enum(['active', 'past_due', 'paused', 'canceled']).describe('canceled as soon as a cancellation is recorded (a donor\'s own, before Stripe\'s event)'),
  donor: z.object({ email: z.string().nullable(), name: z.string().nullable(), anonymous: z.boolean() }),
  started_at: z.string(),
  next_payment_at: z.string().nullable(),
  canceled_at: z.string().nullable(),
  last_payment_at: z.string().nullable(),
  failed_attempts: z.number().int().describe('failed tries of renewals not paid since (0 once recovered)'),
});

function subscriptionResource(row: AdminSubscriptionRow): z.infer<typeof subscriptionSchema> {
  return {
    id: row.id,
    campaign: row.campaign_slug,
    amount: row.amount,
    fee_amount: row.fee_amount,
    currency: row.currency,
    status: shownStatus({ status: row.status, canceledAt: row.canceled_at }),
    donor: { email: row.donor_email, name: row.donor_name, anonymous: row.anonymous },
    started_at: (row.started_at ?? row.created_at).toISOString(),
    next_payment_at: row.next_payment_at?.toISOString() ?? null,
    canceled_at: row.canceled_at?.toISOString() ?? null,
    last_payment_at: row.last_paid_at?.toISOString() ?? null,
    failed_attempts: row.failed_attempts,
  };
}

const cursorSchema = z.object({ position: z.string(), id: z.string() });

/** GET /v1/admin/subscriptions: monthly donations and how they stand. */
export function adminSubscriptionsRouter(db: Db): Router {
  const router = Router();
  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/admin/subscriptions',
      summary: 'Monthly donations, newest first; q searches donor email and name; canceled_month lists a month\'s cancellations',
      tags: ['admin: donations'],
      access: 'read',
      query: z.object({
        ...pageQuery,
        campaign: slugSchema.optional(),
        status: z
          .enum(SUBSCRIPTION_STATUSES as [string, ...string[]])
          .optional()
          .describe('as shown: canceled finds every donation with a recorded cancellation'),
        canceled_month: monthSchema
          .optional()
          .describe(
            "canceled in this month (YYYY-MM, the campaign's timezone): the donations the month row counts in monthly_canceled; needs campaign",
          ),
        q: searchQuery,
      }),
      responses: {
        200: { description: 'A page of monthly donations', schema: listOf(subscriptionSchema) },
        ...problems.badRequest,
        ...problems.auth,
        404: { description: 'No campaign with that slug (not_found)' },
      },
    },
    async ({ query, res }) => {
      const after = decodeCursor(cursorSchema, query.cursor);
      const rows = await listSubscriptions(
        db,
        { campaign: query.campaign, status: query.status as SubscriptionStatus | undefined, q: query.q, canceledMonth: query.canceled_month },
        { limit: query.limit + 1, after },
      );
      res.json(keysetPage(rows, query.limit, subscriptionResource, (last) => ({ position: last.position, id: last.id })));
    },
  );
  return router;
}
