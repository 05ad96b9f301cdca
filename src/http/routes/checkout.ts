import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { STRIPE_MAXIMUM_CHARGE } from '../../domain/checkout.js';
import { MAX_ATTRIBUTION_LENGTH } from '../../domain/donation.js';
import { pickLanguage, SUPPORTED_LANGUAGES } from '../../domain/i18n/languages.js';
import { AppError } from '../../errors.js';
import { checkoutState, startCheckout, type CheckoutDeps } from '../../services/checkout.js';
import { manageLinkOfCheckout } from '../../services/donor-links.js';
import { canceledPage, thankYouPage } from '../checkout-pages.js';
import { rateLimitStore, sharedRateLimit } from '../rate-limit.js';
import { defineRoute } from '../route.js';
import { problem, problems, slugSchema } from '../schemas.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const attributionField = z.string().trim().min(1).max(MAX_ATTRIBUTION_LENGTH).optional();

const checkoutRequestSchema = z
  .object({
    amount: z.number().int().positive().max(STRIPE_MAXIMUM_CHARGE).describe('the donation in minor units, fees excluded'),
    frequency: z.enum(['one_time', 'monthly']).default('one_time'),
    currency: z.string().trim().toLowerCase().regex(/^[a-z]{3}$/, 'a lowercase ISO 4217 code').optional(),
    email: z.email().max(254).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    anonymous: z.boolean().default(false),
    // Characters as people count them (an emoji is one), not UTF-16 code units.
    message: z.string().trim().refine((text) => [...text].length <= 500, 'at most 500 characters').optional(),
    cover_fees: z.boolean().default(false).describe('the donor adds the processing fee on top'),
    success_url: z.string().max(2000).optional().describe('where Stripe sends the donor after paying; {CHECKOUT_SESSION_ID} is added if missing'),
    cancel_url: z.string().max(2000).optional(),
    // Attribution: what brought the donor (kept on the donation, shown in admin reads, the CSV export and consumer payloads).
    source: attributionField.describe('where the donation came from, e.g. "newsletter" or an article slug'),
    utm_source: attributionField,
    utm_medium: attributionField,
    utm_campaign: attributionField,
    locale: z
      .enum(SUPPORTED_LANGUAGES)
      .optional()
      .describe("the donor's language (en, de, fr, es): Stripe Checkout's page, the thank-you page and the mails use it"),
  })
  .strict();

const startedSchema = z.object({ id: z.string(), url: z.string(), expires_at: z.string() });

const donationSchema = z.object({
  id: z.string(),
  amount: z.number().int(),
  fee_amount: z.number().int(),
  currency: z.string(),
  frequency: z.enum(['one_time', 'monthly']),
  status: z.string(),
  receipt_number: z.string().nullable(),
  paid_at: z.string().nullable(),
  donor_name: z.string().nullable().describe('null for anonymous donors'),
});

const checkoutStateSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'complete', 'expired']),
  campaign: z.string(),
  campaign_name: z.string(),
  amount: z.number().int(),
  fee_amount: z.number().int(),
  currency: z.string(),
  frequency: z.enum(['one_time', 'monthly']),
  locale: z.enum(SUPPORTED_LANGUAGES).nullable().describe("the donor's language as the checkout named it (null: not given)"),
  donation: donationSchema.nullable(),
});

const sessionIdSchema = z.string().regex(/^cs_(test|live)_\w{1,250}$/, 'a Stripe Checkout Session id (cs_...)');
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;


/** HTML forms send only strings, and leave unchecked boxes and empty fields out or blank. */
function coerceFormField(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (name === 'amount' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (name === 'anonymous' || name === 'cover_fees') {
    if (['true', 'on', '1', 'yes'].includes(value)) return true;
    if (['false', 'off', '0', 'no'].includes(value)) return false;
  }
  return value;
}

/** JSON or an HTML form; a form's strings become the numbers and booleans the schema expects. */
const donationBody: RequestHandler = (req, _res, next) => {
  if (req.is([JSON_TYPE, FORM]) === false) {
    return next(new AppError('unsupported_media_type', `Send the donation as ${JSON_TYPE} or as an HTML form (${FORM}).`));
  }
  if (req.is(FORM) && req.body && typeof req.body === 'object') {
    const fields = Object.entries(req.body as Record<string, unknown>).filter(([, value]) => value !== '');
    req.body = Object.fromEntries(fields.map(([name, value]) => [name, coerceFormField(name, value)]));
  }
  next();
};

function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('validation_failed', 'The Idempotency-Key header is not valid.', [
      { field: 'Idempotency-Key', message: '1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
}

export function checkoutRouter(ctx: Pick<AppContext, 'db' | 'stripe' | 'config' | 'logger' | 'redis' | 'progress'>): Router {
  const router = Router();
  const deps: CheckoutDeps = { db: ctx.db, stripe: ctx.stripe, config: ctx.config, logger: ctx.logger, campaigns: ctx.progress };
  const checkoutRateLimit = sharedRateLimit({
    store: rateLimitStore({ redis: ctx.redis, db: ctx.db, redisPrefix: ctx.config.REDIS_PREFIX }, 'checkout'),
    limit: ctx.config.CHECKOUT_RATE_LIMIT_PER_MINUTE,
    windowMs: 60_000,
    logger: ctx.logger,
    message: 'Too many donation attempts from this address. Please wait a minute and try again.',
  });

  defineRoute(
    router,
    {
      method: 'post',
      path: '/v1/campaigns/:slug/checkout',
      summary: 'Start a donation: creates a Stripe Checkout Session (one-time or monthly)',
      tags: ['public'],
      access: 'public',
      params: z.object({ slug: slugSchema }),
      body: checkoutRequestSchema,
      bodyTypes: [JSON_TYPE, FORM],
      before: [checkoutRateLimit, donationBody],
      responses: {
        201: { description: 'The Checkout Session to send the donor to (JSON requests)', schema: startedSchema },
        303: { description: 'Redirect to the Checkout page (HTML form posts)' },
        ...problems.badRequest,
        ...problems.notFound,
        409: problem('The campaign is paused (campaign_not_accepting), or the Idempotency-Key was used with another body (idempotency_conflict)'),
        415: problem('Neither JSON nor a form (unsupported_media_type)'),
        429: problem('Too many attempts from this address (rate_limited); see Retry-After'),
        502: problem('Stripe could not be reached or refused (stripe_error); nothing was charged'),
      },
    },
    async ({ params, body, req, res }) => {
      const started = await startCheckout(deps, params.slug, body, idempotencyKeyOf(req));
      if (req.is(FORM)) res.redirect(303, started.url);
      else res.status(201).json(started);
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/v1/checkout/:session_id',
      summary: "A checkout's status and, once Stripe confirmed it, its donation (for thank-you pages)",
      tags: ['public'],
      access: 'public',
      params: z.object({ session_id: sessionIdSchema }),
      responses: { 200: { description: 'The checkout', schema: checkoutStateSchema }, ...problems.badRequest, ...problems.notFound },
    },
    async ({ params, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await checkoutState(deps, params.session_id));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/checkout/thanks',
      summary: 'Default thank-you page Stripe returns donors to',
      tags: ['web'],
      access: 'public',
      query: z.object({ session_id: sessionIdSchema }),
      responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: z.string() }, ...problems.badRequest, ...problems.notFound },
    },
    async ({ query, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      const state = await checkoutState(deps, query.session_id);
      const manageUrl = state.frequency === 'monthly' && state.donation?.status === 'succeeded'
        ? await manageLinkOfCheckout(ctx.db, ctx.config, query.session_id, state.locale)
        : null;
      res.type('html').send(thankYouPage(state, manageUrl));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/checkout/canceled',
      summary: 'Default page for donors who left the Stripe Checkout page without paying',
      tags: ['web'],
      access: 'public',
      query: z.object({ campaign: slugSchema.optional(), lang: z.string().max(35).optional().describe('the page language (en, de, fr, es; others read as English)') }),
      responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: z.string() }, ...problems.badRequest },
    },
    ({ query, res }) => {
      res.type('html').send(canceledPage(pickLanguage(query.lang)));
    },
  );

  return router;
}
