import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { findCampaignBySlug, type CampaignRow } from '../db/campaigns.js';
import {
  advanceCheckoutStatus,
  findCheckout,
  findSessionDonation,
  insertCheckout,
  type CheckoutStatus,
  type NewCheckout,
  type CheckoutWithCampaign,
  type SessionDonationRow,
} from '../db/checkouts.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
} from '../db/idempotency-keys.js';
import { deploymentIdOf } from '../db/deployment.js';
import { withTransaction, type Db } from '../db/pool.js';
import {
  donationAmountErrors,
  redirectOrigins,
  redirectUrlProblem,
  SESSION_ID_PLACEHOLDER,
  withSessionIdPlaceholder,
} from '../domain/checkout.js';
import { donationCharge } from '../domain/fees.js';
import type { Language } from '../domain/i18n/languages.js';
import { AppError, notFound, validationFailed, type FieldError } from '../errors.js';
import {
  createCheckoutSession,
  retrieveCheckoutSession,
  StripeCallError,
  type DonationCheckout,
  type Stripe,
} from '../integrations/stripe.js';
import type { Logger } from '../logger.js';
import type { ProgressReader } from './progress.js';

export interface CheckoutDeps {
  db: Db;
  stripe: Stripe;
  config: Config;
  logger: Logger;
  /** Campaigns as the progress read keeps them: dropped on every change here, at most PROGRESS_CACHE_TTL_MS old. */
  campaigns: Pick<ProgressReader, 'campaign'>;
}

/** A donation request as the checkout route validated it (JSON, or a coerced HTML form). */
export interface CheckoutInput {
  amount: number;
  frequency: 'one_time' | 'monthly';
  currency?: string;
  email?: string;
  name?: string;
  anonymous: boolean;
  message?: string;
  cover_fees: boolean;
  success_url?: string;
  cancel_url?: string;
  source?: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  /** The donor's language: Stripe Checkout's page, the thank-you page and the mails use it. */
  locale?: Language;
}

export interface StartedCheckout {
  id: string;
  url: string;
  expires_at: string;
}

const IDEMPOTENCY_SCOPE = 'checkout';
/**
 * How often a request waiting for an identical one (same Idempotency-Key) that is still running
 * looks again; it waits at most CHECKOUT_CONCURRENT_WAIT_MS.
 */
const CONCURRENT_POLL_MS = 100;

async function acceptingCampaign(deps: CheckoutDeps, slug: string): Promise<CampaignRow> {
  // The donate button's page has just read this campaign's progress, so it is usually cached: one
  // round trip less per checkout. Only a campaign taking donations is taken from the cache; any
  // other answer is read again, so a campaign just created or resumed takes donations at once.
  const cached = await deps.campaigns.campaign(slug);
  const campaign = cached?.status === 'active' ? cached : await findCampaignBySlug(deps.db, slug);
  if (!campaign || campaign.status === 'archived') throw notFound(`Campaign "${slug}"`);
  if (campaign.status === 'paused') {
    throw new AppError('campaign_not_accepting', `Campaign "${slug}" is paused and is not taking donations right now.`);
  }
  return campaign;
}

interface CheckoutPlan {
  campaign: CampaignRow;
  input: CheckoutInput;
  donation: DonationCheckout;
  fee: number;
}

function redirectErrors(campaign: CampaignRow, input: CheckoutInput, config: Config): FieldError[] {
  const allowed = redirectOrigins(campaign.allowed_redirect_origins, config.publicBaseUrl);
  const errors: FieldError[] = [];
  for (const field of ['success_url', 'cancel_url'] as const) {
    const value = input[field];
    const problem = value === undefined ? null : redirectUrlProblem(value, allowed);
    if (problem) errors.push({ field, message: problem });
  }
  return errors;
}

/** Every rule that needs the campaign, checked together so the donor sees all problems at once. */
function planCheckout(campaign: CampaignRow, input: CheckoutInput, config: Config, deploymentId: string): CheckoutPlan {
  const charge = donationCharge(input.amount, campaign.currency, input.cover_fees, { percent: config.FEE_PERCENT, fixed: config.FEE_FIXED });
  const errors: FieldError[] = [];
  if (input.currency !== undefined && input.currency !== campaign.currency) {
    errors.push({ field: 'currency', message: `must be ${campaign.currency}, the campaign's currency` });
  }
  errors.push(...donationAmountErrors(input.amount, charge.total, campaign), ...redirectErrors(campaign, input, config));
  if (errors.length) throw validationFailed(errors, 'The donation is not valid.');
  const base = config.publicBaseUrl;
  return {
    campaign,
    input,
    fee: charge.fee,
    donation: {
      campaignName: campaign.name,
      currency: campaign.currency,
      frequency: input.frequency,
      chargeAmount: charge.total,
      email: input.email,
      locale: input.locale,
      successUrl: withSessionIdPlaceholder(input.success_url ?? `${base}/checkout/thanks?session_id=${SESSION_ID_PLACEHOLDER}`),
      cancelUrl: input.cancel_url ?? `${base}/checkout/canceled?campaign=${encodeURIComponent(campaign.slug)}${input.locale ? `&lang=${input.locale}` : ''}`,
      metadata: {
        goalpost_campaign_id: String(campaign.id),
        goalpost_campaign: campaign.slug,
        goalpost_frequency: input.frequency,
        goalpost_amount: String(input.amount),
        goalpost_fee_amount: String(charge.fee),
        goalpost_deployment: deploymentId,
      },
    },
  };
}

/**
 * Asks Stripe for the session, then records it: with the idempotent answer in one transaction,
 * or (no Idempotency-Key) as one autocommitted insert, two round trips fewer.
 */
async function createSession(deps: CheckoutDeps, plan: CheckoutPlan, stripeKey: string, clientKey?: string): Promise<StartedCheckout> {
  const session = await createCheckoutSession(deps.stripe, plan.donation, stripeKey);
  const started = { id: session.id, url: session.url, expires_at: session.expiresAt.toISOString() };
  const checkout: NewCheckout = {
    session_id: session.id,
    campaign_id: plan.campaign.id,
    frequency: plan.input.frequency,
    amount: plan.input.amount,
    fee_amount: plan.fee,
    currency: plan.campaign.currency,
    donor_email: plan.input.email ?? null,
    donor_name: plan.input.name ?? null,
    anonymous: plan.input.anonymous,
    message: plan.input.message ?? null,
    source: plan.input.source ?? null,
    utm_source: plan.input.utm_source ?? null,
    utm_medium: plan.input.utm_medium ?? null,
    utm_campaign: plan.input.utm_campaign ?? null,
    locale: plan.input.locale ?? null,
    url: session.url,
    expires_at: session.expiresAt,
  };
  if (!clientKey) {
    await insertCheckout(deps.db, checkout);
    return started;
  }
  await withTransaction(deps.db, async (client) => {
    await insertCheckout(client, checkout);
    await completeIdempotencyKey(client, IDEMPOTENCY_SCOPE, clientKey, 201, started);
  });
  return started;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Same Idempotency-Key and body → the stored answer, without calling Stripe again; another body →
 * 409. Of concurrent identical requests one runs and the others wait for its answer. Stripe gets
 * a key derived from ours, so even a request that died after Stripe answered yields the same
 * session when retried.
 */
async function idempotently(deps: CheckoutDeps, plan: CheckoutPlan, key: string, slug: string): Promise<StartedCheckout> {
  const requestHash = sha256(JSON.stringify({ slug, input: plan.input }));
  const stripeKey = `goalpost-checkout-${sha256(`${key}\n${requestHash}`)}`;
  const deadline = Date.now() + deps.config.CHECKOUT_CONCURRENT_WAIT_MS;
  for (;;) {
    const existing = await findIdempotencyKey(deps.db, IDEMPOTENCY_SCOPE, key);
    if (existing?.live) {
      if (existing.request_hash !== requestHash) {
        throw new AppError('idempotency_conflict', 'This Idempotency-Key was already used with a different request.');
      }
      if (existing.response) return existing.response as StartedCheckout;
      if (Date.now() > deadline) {
        throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed.', [], { 'Retry-After': '1' });
      }
      await sleep(CONCURRENT_POLL_MS);
      continue;
    }
    if (!(await claimIdempotencyKey(deps.db, IDEMPOTENCY_SCOPE, key, requestHash))) continue;
    try {
      return await createSession(deps, plan, stripeKey, key);
    } catch (error) {
      await releaseIdempotencyKey(deps.db, IDEMPOTENCY_SCOPE, key).catch(() => {});
      throw error;
    }
  }
}

/** POST /v1/campaigns/:slug/checkout: validates everything, then (and only then) calls Stripe. */
export async function startCheckout(
  deps: CheckoutDeps,
  slug: string,
  input: CheckoutInput,
  idempotencyKey: string | undefined,
): Promise<StartedCheckout> {
  const [campaign, deploymentId] = await Promise.all([acceptingCampaign(deps, slug), deploymentIdOf(deps.db)]);
  const plan = planCheckout(campaign, input, deps.config, deploymentId);
  try {
    if (idempotencyKey === undefined) return await createSession(deps, plan, `goalpost-checkout-${randomUUID()}`);
    return await idempotently(deps, plan, idempotencyKey, slug);
  } catch (error) {
    if (error instanceof StripeCallError) deps.logger.warn({ err: error.cause, campaign: slug }, 'Stripe checkout session not created');
    throw error;
  }
}

export interface DonationSummary {
  id: string;
  amount: number;
  fee_amount: number;
  currency: string;
  frequency: 'one_time' | 'monthly';
  status: string;
  receipt_number: string | null;
  paid_at: string | null;
  donor_name: string | null;
}

export interface CheckoutState {
  id: string;
  status: CheckoutStatus;
  campaign: string;
  campaign_name: string;
  amount: number;
  fee_amount: number;
  currency: string;
  frequency: 'one_time' | 'monthly';
  /** The donor's language, as the checkout named it. */
  locale: Language | null;
  donation: DonationSummary | null;
}

function donationSummary(donation: SessionDonationRow): DonationSummary {
  return {
    id: donation.id,
    amount: donation.amount,
    fee_amount: donation.fee_amount,
    currency: donation.currency,
    frequency: donation.frequency,
    status: donation.status,
    receipt_number: donation.receipt_number,
    paid_at: donation.paid_at?.toISOString() ?? null,
    // The thank-you page is public: an anonymous donor's name never leaves the ledger.
    donor_name: donation.anonymous ? null : donation.donor_name,
  };
}

/**
 * The session's status without trusting a stale row: the ledger may not have heard from Stripe
 * yet when the donor lands on the thank-you page, so an open row asks Stripe once and remembers
 * any change. If Stripe cannot be reached the stored status is still a fair answer.
 */
async function currentStatus(deps: CheckoutDeps, checkout: CheckoutWithCampaign, hasDonation: boolean): Promise<CheckoutStatus> {
  if (hasDonation) return 'complete';
  if (checkout.status !== 'open') return checkout.status;
  try {
    const { status } = await retrieveCheckoutSession(deps.stripe, checkout.session_id);
    const settled = status === 'complete' ? 'complete' : status === 'expired' ? 'expired' : null;
    if (settled) {
      await advanceCheckoutStatus(deps.db, checkout.session_id, settled);
      return settled;
    }
  } catch (error) {
    if (!(error instanceof StripeCallError)) throw error;
    deps.logger.warn({ err: error.cause, session: checkout.session_id }, 'could not refresh checkout status from Stripe');
  }
  return checkout.expires_at.getTime() <= Date.now() ? 'expired' : 'open';
}

/** GET /v1/checkout/:session_id, for the thank-you page. */
export async function checkoutState(deps: CheckoutDeps, sessionId: string): Promise<CheckoutState> {
  const checkout = await findCheckout(deps.db, sessionId);
  if (!checkout) throw notFound(`Checkout session "${sessionId}"`);
  const donation = await findSessionDonation(deps.db, sessionId);
  return {
    id: checkout.session_id,
    status: await currentStatus(deps, checkout, donation !== null),
    campaign: checkout.campaign_slug,
    campaign_name: checkout.campaign_name,
    amount: checkout.amount,
    fee_amount: checkout.fee_amount,
    currency: checkout.currency,
    frequency: checkout.frequency,
    locale: checkout.locale,
    donation: donation ? donationSummary(donation) : null,
  };
}
