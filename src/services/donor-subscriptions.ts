import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { findCampaignById } from '../db/campaigns.js';
import type { Queryable } from '../db/pool.js';
import { cancelSubscription, findSubscription, setSubscriptionAmount, subscriptionsOfDonor, type SubscriptionRow } from '../db/subscriptions.js';
import { donationAmountErrors } from '../domain/checkout.js';
import { donationCharge } from '../domain/fees.js';
import { normaliseEmail } from '../domain/donor-link.js';
import { changeProblem } from '../domain/subscription.js';
import { conflict, notFound, validationFailed } from '../errors.js';
import type { ProgressChangeFeed } from '../domain/progress-changes.js';
import { progressChanged, type ProgressReader } from './progress.js';
import { cancelStripeSubscription, cardUpdateSession, changeSubscriptionAmount, type Stripe } from '../integrations/stripe.js';

/** A monthly donation with its campaign's slug: what the donor's own pages list. */
export type DonorSubscription = SubscriptionRow & { campaign_slug: string };

export function listDonorSubscriptions(db: Queryable, email: string): Promise<DonorSubscription[]> {
  return subscriptionsOfDonor(db, email);
}

/** The donor's own subscription; anyone else's is "not found", exactly like an unknown id. */
async function ownSubscription(db: Queryable, email: string, id: string): Promise<SubscriptionRow> {
  const subscription = await findSubscription(db, id);
  if (!subscription || !subscription.donor_email || normaliseEmail(subscription.donor_email) !== normaliseEmail(email)) {
    throw notFound(`Monthly donation "${id}"`);
  }
  return subscription;
}

function assertChangeable(subscription: SubscriptionRow): void {
  const problem = changeProblem(subscription.canceled_at ? 'canceled' : subscription.status);
  if (problem) throw conflict(problem);
}

interface Deps {
  db: Queryable;
  stripe: Stripe;
  config: Pick<Config, 'FEE_PERCENT' | 'FEE_FIXED' | 'publicBaseUrl'>;
  progress: Pick<ProgressReader, 'invalidate'>;
  changes: Pick<ProgressChangeFeed, 'publish'>;
}


async function donorSubscriptionOf(db: Queryable, email: string, id: string): Promise<DonorSubscription> {
  const found = (await subscriptionsOfDonor(db, email)).find((subscription) => subscription.id === id);
  if (!found) throw notFound(`Monthly donation "${id}"`);
  return found;
}

/**
 * PATCH /v1/donor/subscriptions/:id: the new amount, within the campaign's limits, from the next
 * payment (no proration). A donor who covered fees keeps covering them at the new amount. The
 * row shows it at once; Stripe's customer.subscription.updated confirms it.
 */
export async function changeDonorAmount(deps: Deps, email: string, id: string, amount: number): Promise<DonorSubscription> {
  const subscription = await ownSubscription(deps.db, email, id);
  assertChangeable(subscription);
  const campaign = await findCampaignById(deps.db, subscription.campaign_id);
  if (!campaign) throw notFound(`Monthly donation "${id}"`);
  const charge = donationCharge(amount, campaign.currency, subscription.fee_amount > 0, { percent: deps.config.FEE_PERCENT, fixed: deps.config.FEE_FIXED });
  const errors = donationAmountErrors(amount, charge.total, campaign);
  if (errors.length) throw validationFailed(errors, 'The amount is outside what this campaign accepts.');
  await changeSubscriptionAmount(deps.stripe, {
    subscriptionId: id,
    charge: charge.total,
    metadata: { goalpost_amount: String(amount), goalpost_fee_amount: String(charge.fee) },
    idempotencyKey: `donor-amount:${id}:${randomUUID()}`,
  });
  await setSubscriptionAmount(deps.db, id, { amount, fee: charge.fee });
  // A changed or stopped monthly donation moves the campaign's pledged figure at once.
  await progressChanged(deps, [subscription.campaign_id]);
  return donorSubscriptionOf(deps.db, email, id);
}

/** POST /v1/donor/subscriptions/:id/cancel: stopped at once; Stripe's deletion event records it. */
export async function cancelDonorSubscription(deps: Deps, email: string, id: string): Promise<DonorSubscription> {
  const subscription = await ownSubscription(deps.db, email, id);
  assertChangeable(subscription);
  const canceled = await cancelStripeSubscription(deps.stripe, id);
  // The fact is recorded now (the page shows it, a second request is a conflict); the status
  // change and subscription.canceled come with Stripe's event, as for a cancellation made elsewhere.
  await cancelSubscription(deps.db, id, new Date((canceled.canceled_at ?? Math.floor(Date.now() / 1000)) * 1000));
  // A changed or stopped monthly donation moves the campaign's pledged figure at once.
  await progressChanged(deps, [subscription.campaign_id]);
  return donorSubscriptionOf(deps.db, email, id);
}

/** POST /v1/donor/subscriptions/:id/payment-method: a Billing Portal page returning to the manage page. */
export async function donorCardUpdateUrl(deps: Deps, email: string, id: string, returnUrl: string): Promise<string> {
  const subscription = await ownSubscription(deps.db, email, id);
  assertChangeable(subscription);
  return cardUpdateSession(deps.stripe, id, returnUrl);
}
