import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { EMULATOR_SECRET_KEY, type Config } from '../config.js';
import { AppError } from '../errors.js';

export type { Stripe };

/** Where the SDK sends requests: STRIPE_API_BASE, else the built-in emulator when no key is set. */
export function stripeApiBase(config: Config): string | undefined {
  if (config.STRIPE_API_BASE) return config.STRIPE_API_BASE;
  return config.useStripeEmulator ? `http://127.0.0.1:${config.STRIPE_EMULATOR_PORT}` : undefined;
}

/** The delays `callStripe` retries a client's calls after (STRIPE_RETRY_DELAYS_MS), given once when the client is made. */
const retryDelays = new WeakMap<Stripe, readonly number[]>();

/**
 * The one Stripe client. The SDK pins its API version. Its own retries are off because it would
 * also retry 5xx and 409 answers; `callStripe` retries only what is safe to (see there), after
 * the delays of STRIPE_RETRY_DELAYS_MS, which the client carries from here.
 */
export function createStripeClient(config: Config): Stripe {
  const base = stripeApiBase(config);
  const url = base ? new URL(base) : undefined;
  const stripe = new Stripe(config.STRIPE_SECRET_KEY ?? EMULATOR_SECRET_KEY, {
    maxNetworkRetries: 0,
    timeout: config.STRIPE_TIMEOUT_MS,
    telemetry: false,
    appInfo: { name: 'Goalpost', url: 'https://github.com/goalpost' },
    ...(url && {
      host: url.hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      protocol: url.protocol.replace(':', '') as 'http' | 'https',
    }),
  });
  retryDelays.set(stripe, config.STRIPE_RETRY_DELAYS_MS);
  return stripe;
}

/**
 * A failed Stripe call, answered as 502. `stripeCode` / `stripeStatus` keep what Stripe said
 * (e.g. `charge_already_refunded`, 400) for callers that map some failures differently.
 */
export class StripeCallError extends AppError {
  constructor(
    message: string,
    readonly stripeCode: string | undefined,
    readonly stripeStatus: number | undefined,
    override readonly cause: unknown,
  ) {
    super('stripe_error', message);
  }
}

/** Only failures where the request surely did not take effect, or Stripe asked us to slow down. */
function isRetryable(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeRateLimitError;
}

/**
 * Runs a Stripe call and turns any failure into a 502 problem. Connection and rate-limit errors
 * are retried after the client's delays (none for a client not made by createStripeClient); the
 * caller passes the same idempotency key on every attempt, so a retry can never create a second
 * object. Any other API error is indeterminate for money: the webhook, not this answer, decides
 * what happened.
 */
async function callStripe<T>(stripe: Stripe, operation: string, call: () => Promise<T>): Promise<T> {
  const delaysMs = retryDelays.get(stripe) ?? [];
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = delaysMs[attempt];
      if (delay !== undefined && isRetryable(error)) {
        await sleep(delay);
        continue;
      }
      const stripeError = error as { code?: string; statusCode?: number };
      throw new StripeCallError(
        `Stripe could not ${operation}${stripeError.code ? ` (${stripeError.code})` : ''}. Please try again.`,
        stripeError.code,
        stripeError.statusCode,
        error,
      );
    }
  }
}

/**
 * Goalpost's metadata on every Stripe object it creates (BRIEF "Goalpost metadata"): how the
 * ledger recognises its own sessions, payments and subscriptions among others on the account.
 */
export interface GoalpostMetadata {
  goalpost_campaign_id: string;
  goalpost_campaign: string;
  goalpost_frequency: 'one_time' | 'monthly';
  goalpost_amount: string;
  goalpost_fee_amount: string;
  /** This deployment's id: tells its subscriptions' invoices from another deployment's on the same account. */
  goalpost_deployment: string;
}

export interface DonationCheckout {
  campaignName: string;
  currency: string;
  frequency: 'one_time' | 'monthly';
  /** What the donor is charged (per month for monthly): the donation plus any covered fee. */
  chargeAmount: number;
  metadata: GoalpostMetadata;
  email: string | undefined;
  /** Checkout's page language (one Stripe supports); Stripe picks from the browser when absent. */
  locale: Stripe.Checkout.SessionCreateParams.Locale | undefined;
  successUrl: string;
  cancelUrl: string;
}

/**
 * The Checkout Session parameters for a donation. Stripe copies none of the session's metadata
 * onto the PaymentIntent or the subscription, so it is given for each of them.
 */
export function checkoutSessionParams(donation: DonationCheckout): Stripe.Checkout.SessionCreateParams {
  const metadata = { ...donation.metadata };
  const name = `Donation to ${donation.campaignName}`;
  const common = {
    // Checkout labels its button "Donate" (allowed in payment and subscription mode).
    submit_type: 'donate' as const,
    success_url: donation.successUrl,
    cancel_url: donation.cancelUrl,
    metadata,
    ...(donation.email && { customer_email: donation.email }),
    ...(donation.locale && { locale: donation.locale }),
  };
  if (donation.frequency === 'monthly') {
    return {
      ...common,
      mode: 'subscription',
      line_items: [
        {
          quantity: 1,
          price_data: { currency: donation.currency, unit_amount: donation.chargeAmount, recurring: { interval: 'month' }, product_data: { name } },
        },
      ],
      subscription_data: { metadata, description: `Monthly donation to ${donation.campaignName}` },
    };
  }
  return {
    ...common,
    mode: 'payment',
    line_items: [{ quantity: 1, price_data: { currency: donation.currency, unit_amount: donation.chargeAmount, product_data: { name } } }],
    payment_intent_data: { metadata, description: name },
  };
}

export interface CreatedCheckoutSession {
  id: string;
  url: string;
  expiresAt: Date;
}

export async function createCheckoutSession(
  stripe: Stripe,
  donation: DonationCheckout,
  idempotencyKey: string,
): Promise<CreatedCheckoutSession> {
  const session = await callStripe(stripe, 'start the checkout', () =>
    stripe.checkout.sessions.create(checkoutSessionParams(donation), { idempotencyKey }),
  );
  if (!session.url) throw new StripeCallError('Stripe returned a checkout session without a URL.', undefined, undefined, null);
  return { id: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
}

export async function retrieveCheckoutSession(stripe: Stripe, sessionId: string): Promise<Stripe.Checkout.Session> {
  return callStripe(stripe, 'look up the checkout', () => stripe.checkout.sessions.retrieve(sessionId));
}

export type RefundTarget = { paymentIntentId: string } | { chargeId: string };

export type RefundRequest = RefundTarget & {
  /** Minor units; the whole remaining amount when omitted. */
  amount?: number;
  /** Same key → same refund; derive it from what is being refunded (e.g. `refund:<donation>:<n>`). */
  idempotencyKey: string;
  reason?: Stripe.RefundCreateParams.Reason;
  metadata?: Record<string, string>;
};

/**
 * Refunds a payment. The ledger does not change here: Stripe's `charge.refunded` event does that.
 * Failures are a StripeCallError (502); `stripeCode` tells e.g. `charge_already_refunded` apart.
 */
export async function createRefund(stripe: Stripe, refund: RefundRequest): Promise<Stripe.Refund> {
  return callStripe(stripe, 'refund the payment', () =>
    stripe.refunds.create(
      {
        ...('paymentIntentId' in refund ? { payment_intent: refund.paymentIntentId } : { charge: refund.chargeId }),
        ...(refund.amount !== undefined && { amount: refund.amount }),
        ...(refund.reason && { reason: refund.reason }),
        ...(refund.metadata && { metadata: refund.metadata }),
      },
      { idempotencyKey: refund.idempotencyKey },
    ),
  );
}

/**
 * A monthly donation's new amount from its next invoice: a new price for its one item, no
 * proration (nothing is charged or credited now), and our metadata updated with it so the next
 * invoice carries the new terms (the ledger reads them from there).
 */
export async function changeSubscriptionAmount(
  stripe: Stripe,
  change: { subscriptionId: string; charge: number; metadata: Pick<GoalpostMetadata, 'goalpost_amount' | 'goalpost_fee_amount'>; idempotencyKey: string },
): Promise<Stripe.Subscription> {
  const subscription = await callStripe(stripe, 'look up the monthly donation', () => stripe.subscriptions.retrieve(change.subscriptionId));
  const item = subscription.items.data[0];
  if (!item) throw new StripeCallError('Stripe returned a subscription without items.', undefined, undefined, null);
  return callStripe(stripe, 'change the monthly donation', () =>
    stripe.subscriptions.update(
      change.subscriptionId,
      {
        items: [
          {
            id: item.id,
            price_data: {
              currency: subscription.currency,
              product: typeof item.price.product === 'string' ? item.price.product : item.price.product.id,
              unit_amount: change.charge,
              recurring: { interval: 'month' },
            },
          },
        ],
        proration_behavior: 'none',
        metadata: change.metadata,
      },
      { idempotencyKey: change.idempotencyKey },
    ),
  );
}

/** Stops a monthly donation at once: nothing more is charged. */
export async function cancelStripeSubscription(stripe: Stripe, subscriptionId: string): Promise<Stripe.Subscription> {
  return callStripe(stripe, 'stop the monthly donation', () => stripe.subscriptions.cancel(subscriptionId));
}

/** A Billing Portal page where the donor updates the card of a monthly donation, then returns. */
export async function cardUpdateSession(stripe: Stripe, subscriptionId: string, returnUrl: string): Promise<string> {
  const subscription = await callStripe(stripe, 'look up the monthly donation', () => stripe.subscriptions.retrieve(subscriptionId));
  const customer = typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
  const session = await callStripe(stripe, 'open the billing portal', () =>
    stripe.billingPortal.sessions.create({ customer, return_url: returnUrl, flow_data: { type: 'payment_method_update' } }),
  );
  return session.url;
}
