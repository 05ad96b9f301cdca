import { z } from 'zod';
import { isSupportedCurrency } from '../domain/money.js';
import { isValidTimeZone } from '../domain/period.js';

/** Shared request and response schemas; the OpenAPI document is generated from these. */

export const minorUnits = z.number().int().describe('integer amount in the currency minor unit');
export const positiveMinorUnits = z.number().int().positive().max(99_999_999_99);

/** An admin list's search box: an empty `q=` searches nothing rather than failing. */
export const searchQuery = z.string().trim().max(200).optional().transform((text) => text || undefined);

export const slugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters, digits and single hyphens, e.g. "support-us"');

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

export const currencySchema = z
  .string()
  .regex(/^[a-z]{3}$/, 'a lowercase ISO 4217 code, e.g. "usd"')
  .refine(isSupportedCurrency, 'not a currency Stripe supports');

export const timezoneSchema = z.string().min(1).refine(isValidTimeZone, 'not an IANA timezone, e.g. "America/New_York"');

export const originSchema = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}, 'an origin such as "https://example.org" (scheme and host, no path)');

export const tierSchema = z.object({
  amount: positiveMinorUnits,
  label: z.string().min(1).max(100),
  description: z.string().max(500).default(''),
});

export const goalSchema = z.object({
  period: z.enum(['monthly', 'total']),
  amount: positiveMinorUnits,
});

export const receiptSettingsSchema = z
  .object({
    org_name: z.string().max(200),
    org_address: z.string().max(500),
    org_tax_id: z.string().max(100),
    tax_sentence: z.string().max(1000),
  })
  .partial()
  .strict();

const campaignFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  timezone: timezoneSchema,
  goal: goalSchema,
  tiers: z.array(tierSchema).max(20),
  amount_presets: z.array(positiveMinorUnits).max(12),
  min_amount: positiveMinorUnits,
  max_amount: positiveMinorUnits,
  allowed_redirect_origins: z.array(originSchema).max(20),
  status: z.enum(['active', 'paused', 'archived']),
  receipt_settings: receiptSettingsSchema,
  show_amounts: z.boolean().describe('the supporters wall shows how much each donor gave'),
};

export const campaignCreateSchema = z
  .object({
    slug: slugSchema,
    currency: currencySchema,
    ...campaignFields,
    description: campaignFields.description.default(''),
    tiers: campaignFields.tiers.default([]),
    amount_presets: campaignFields.amount_presets.default([]),
    min_amount: campaignFields.min_amount.optional(),
    max_amount: campaignFields.max_amount.default(99_999_999),
    allowed_redirect_origins: campaignFields.allowed_redirect_origins.default([]),
    status: campaignFields.status.default('active'),
    receipt_settings: receiptSettingsSchema.default({}),
    show_amounts: campaignFields.show_amounts.default(false),
  })
  .strict();

/** Slug and currency are fixed once money may have been taken in them. */
export const campaignPatchSchema = z.object(campaignFields).partial().strict();

export type CampaignCreateInput = z.infer<typeof campaignCreateSchema>;
export type CampaignPatchInput = z.infer<typeof campaignPatchSchema>;

export const tierResource = z.object({ amount: minorUnits, label: z.string(), description: z.string() });

export const progressSchema = z.object({
  campaign: z.string(),
  period: z.object({
    type: z.enum(['monthly', 'total']),
    key: z.string(),
    label: z.string(),
    starts_at: z.string(),
    ends_at: z.string().nullable(),
  }),
  currency: z.string(),
  goal: minorUnits,
  raised: minorUnits,
  pledged: minorUnits
    .optional()
    .describe('Monthly periods only: what active monthly donors are still due to give this month; never part of raised, 0 for a month that is over'),
  percent: z.number(),
  donations_count: z.number().int(),
  donors_count: z.number().int(),
  tiers: z.array(
    z.object({ amount: minorUnits, label: z.string(), reached: z.boolean(), reached_at: z.string().nullable() }),
  ),
  next_tier: z.object({ amount: minorUnits, label: z.string(), remaining: minorUnits }).nullable(),
  updated_at: z.string(),
});

export const publicCampaignSchema = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  currency: z.string(),
  timezone: z.string(),
  goal: z.object({ period: z.enum(['monthly', 'total']), amount: minorUnits }),
  tiers: z.array(tierResource),
  amount_presets: z.array(minorUnits),
  min_amount: minorUnits,
  max_amount: minorUnits,
  status: z.enum(['active', 'paused', 'archived']),
  show_amounts: z.boolean(),
  fees: z
    .object({ percent: z.number(), fixed: minorUnits })
    .describe("the processing fee a checkout's cover_fees adds: ceil((amount + fixed) / (1 - percent/100)) - amount, three-decimal currencies rounded up to a multiple of 10 (FEE_PERCENT, FEE_FIXED)"),
  progress: progressSchema,
});

export const adminCampaignSchema = publicCampaignSchema.omit({ progress: true, fees: true }).extend({
  allowed_redirect_origins: z.array(z.string()),
  receipt_settings: receiptSettingsSchema,
  created_at: z.string(),
  updated_at: z.string(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });

/** One problem+json response of a route, described. */
export const problem = (description: string) => ({ description, schema: problemSchema, contentType: 'application/problem+json' as const });

/** Problem responses most routes can give; spread into a route's `responses`. */
export const problems = {
  badRequest: { 400: { description: 'Invalid input (validation_failed, malformed_json)', schema: problemSchema, contentType: 'application/problem+json' } },
  auth: {
    401: { description: 'Missing or wrong API key (unauthorized)', schema: problemSchema, contentType: 'application/problem+json' },
    403: { description: 'The key lacks the needed scope (forbidden)', schema: problemSchema, contentType: 'application/problem+json' },
  },
  notFound: { 404: { description: 'Not found (not_found)', schema: problemSchema, contentType: 'application/problem+json' } },
  conflict: { 409: { description: 'Conflict', schema: problemSchema, contentType: 'application/problem+json' } },
};

/** Attribution as the admin reads and consumer payloads carry it. */
export const attributionSchema = z.object({
  source: z.string().nullable(),
  utm_source: z.string().nullable(),
  utm_medium: z.string().nullable(),
  utm_campaign: z.string().nullable(),
});
