import Stripe from 'stripe';
import { EMULATOR_SECRET_KEY, type Config } from '../config.js';
import { AppError } from '../errors.js';

export type { Stripe };

/** Where the SDK sends requests: STRIPE_API_BASE, else the built-in emulator when no key is set. */
export function stripeApiBase(config: Config): string | undefined {
  if (config.STRIPE_API_BASE) return config.STRIPE_API_BASE;
  return config.useStripeEmulator ? `http://127.0.0.1:${config.STRIPE_EMULATOR_PORT}` : undefined;
}

/**
 * The one Stripe client. The SDK pins its API version; network errors, 409 lock timeouts and
 * 429s are retried by the SDK itself (it sends the same idempotency key on each retry).
 */
export function createStripeClient(config: Config): Stripe {
  const base = stripeApiBase(config);
  const url = base ? new URL(base) : undefined;
  return new Stripe(config.STRIPE_SECRET_KEY ?? EMULATOR_SECRET_KEY, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    appInfo: { name: 'Goalpost', url: 'https://github.com/goalpost' },
    ...(url && {
      host: url.hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      protocol: url.protocol.replace(':', '') as 'http' | 'https',
    }),
  });
}

/**
 * Runs a Stripe call and turns any failure into a 502 problem. An API error here is
 * indeterminate for money: the webhook, not this answer, decides what happened.
 */
export async function callStripe<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const stripeError = error as { type?: string; code?: string; message?: string };
    throw new AppError('stripe_error', `Stripe could not ${operation}${stripeError.code ? ` (${stripeError.code})` : ''}.`);
  }
}
