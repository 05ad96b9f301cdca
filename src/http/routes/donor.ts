import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { relayOutbox } from '../../queue/outbox-relay.js';
import { donorOfToken, requestManageLinkNow } from '../../services/donor-links.js';
import {
  cancelDonorSubscription,
  changeDonorAmount,
  donorCardUpdateUrl,
  listDonorSubscriptions,
} from '../../services/donor-subscriptions.js';
import { donorSubscriptionResource } from '../presenters/donor-subscriptions.js';
import { rateLimitStore, sharedRateLimit } from '../rate-limit.js';
import { defineRoute } from '../route.js';
import { problemSchema, problems } from '../schemas.js';

const donorSubscriptionSchema = z.object({
  id: z.string(),
  campaign: z.string().describe("the campaign's slug"),
  amount: z.number().int().describe('the monthly donation in minor units, covered fees excluded'),
  currency: z.string(),
  status: z.enum(['active', 'past_due', 'paused', 'canceled']),
  started_at: z.string(),
  next_payment_at: z.string().nullable(),
  canceled_at: z.string().nullable(),
});

const subscriptionParams = z.object({ id: z.string().min(1).max(200) });

const donorAuthProblems = {
  401: { description: 'Missing, tampered or expired manage link (unauthorized)', schema: problemSchema, contentType: 'application/problem+json' },
};
const conflictProblem = {
  409: { description: 'The monthly donation was stopped and cannot be changed (conflict)', schema: problemSchema, contentType: 'application/problem+json' },
};

/**
 * `Authorization: Bearer <token from the manage link>`. Whatever is wrong with the token —
 * missing, malformed, forged, expired — the answer is the same 401, so it reveals nothing.
 */
function donorAuth(ctx: Pick<AppContext, 'db' | 'config'>): RequestHandler {
  return (req, res, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const refuse = () => next(new AppError('unauthorized', 'A valid manage link is required. Ask for a new one if yours has expired.'));
    if (!token) return refuse();
    donorOfToken(ctx.db, ctx.config, token).then((email) => {
      if (!email) return refuse();
      res.locals.donorEmail = email;
      next();
    }, next);
  };
}

const donorEmailOf = (locals: Record<string, unknown>) => locals.donorEmail as string;

/** Monthly donors' self-service (shared/API.md "Monthly donors"). */
export function donorRouter(ctx: AppContext): Router {
  const router = Router();
  const deps = { db: ctx.db, stripe: ctx.stripe, config: ctx.config, progress: ctx.progress, changes: ctx.changes };
  const auth = donorAuth(ctx);
  const linkRateLimit = sharedRateLimit({
    store: rateLimitStore({ redis: ctx.redis, db: ctx.db, redisPrefix: ctx.config.REDIS_PREFIX }, 'donor-links'),
    limit: ctx.config.DONOR_LINK_RATE_LIMIT_PER_HOUR,
    windowMs: 3_600_000,
    logger: ctx.logger,
    message: 'Too many manage links asked for from this address. Please try again in an hour.',
  });

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/donor/links',
      summary: "Mails a fresh manage link to a monthly donor (always 202: it never tells whether the email is known)",
      tags: ['donor'],
      access: 'public',
      body: z.object({ email: z.email().max(320) }),
      responses: {
        202: { description: 'Accepted; a link is mailed if the email has monthly donations', schema: z.object({ status: z.literal('accepted') }) },
        ...problems.badRequest,
        429: { description: 'Too many requests (rate_limited)', schema: problemSchema, contentType: 'application/problem+json' },
      },
      before: [linkRateLimit],
    },
    async ({ body, res }) => {
      await requestManageLinkNow(ctx.db, body.email, ctx.config.DONOR_LINK_MAIL_WINDOW_MS);
      await relayOutbox(ctx.db, ctx.queues).catch((error: unknown) => ctx.logger.warn({ err: error }, 'outbox relay failed; the sweeper will relay'));
      res.status(202).json({ status: 'accepted' });
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/donor/subscriptions',
      summary: "The manage link's donor's monthly donations (Authorization: Bearer <manage token>)",
      tags: ['donor'],
      access: 'public',
      responses: { 200: { description: 'Monthly donations, newest first', schema: z.object({ data: z.array(donorSubscriptionSchema) }) }, ...donorAuthProblems },
      before: [auth],
    },
    async ({ res }) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ data: (await listDonorSubscriptions(ctx.db, donorEmailOf(res.locals))).map(donorSubscriptionResource) });
    },
  );

  defineRoute(
    router,
    {
      method: 'patch',
      path: '/v1/donor/subscriptions/:id',
      summary: "Changes the monthly amount from the next payment, without proration, within the campaign's limits",
      tags: ['donor'],
      access: 'public',
      params: subscriptionParams,
      body: z.object({ amount: z.number().int().positive().describe('the new monthly donation in minor units, fees excluded') }).strict(),
      responses: { 200: { description: 'The changed monthly donation', schema: donorSubscriptionSchema }, ...problems.badRequest, ...donorAuthProblems, ...problems.notFound, ...conflictProblem },
      before: [auth],
    },
    async ({ params, body, res }) => {
      res.json(donorSubscriptionResource(await changeDonorAmount(deps, donorEmailOf(res.locals), params.id, body.amount)));
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/donor/subscriptions/:id/cancel',
      summary: 'Stops the monthly donation at once: nothing more is charged',
      tags: ['donor'],
      access: 'public',
      params: subscriptionParams,
      responses: { 200: { description: 'The stopped monthly donation', schema: donorSubscriptionSchema }, ...donorAuthProblems, ...problems.notFound, ...conflictProblem },
      before: [auth],
    },
    async ({ params, res }) => {
      res.json(donorSubscriptionResource(await cancelDonorSubscription(deps, donorEmailOf(res.locals), params.id)));
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/donor/subscriptions/:id/payment-method',
      summary: "A Stripe Billing Portal page to update the donation's card, returning to the manage page",
      tags: ['donor'],
      access: 'public',
      params: subscriptionParams,
      responses: { 200: { description: 'Where to send the donor', schema: z.object({ url: z.string() }) }, ...donorAuthProblems, ...problems.notFound, ...conflictProblem },
      before: [auth],
    },
    async ({ params, req, res }) => {
      const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')![1]!;
      const returnUrl = `${ctx.config.publicBaseUrl}/donor/manage?token=${encodeURIComponent(token)}`;
      res.json({ url: await donorCardUpdateUrl(deps, donorEmailOf(res.locals), params.id, returnUrl) });
    },
  );

  return router;
}
