import type { FieldError } from '../errors.js';
import { minimumCharge, THREE_DECIMAL_CURRENCIES } from './money.js';

/** The largest amount Stripe charges in one payment (8 digits in the minor unit). */
export const STRIPE_MAXIMUM_CHARGE = 99_999_999;

/** Stripe replaces this in `success_url` with the session id, so the thank-you page knows the donation. */
export const SESSION_ID_PLACEHOLDER = '{CHECKOUT_SESSION_ID}';

export interface DonationLimits {
  currency: string;
  min_amount: number;
  max_amount: number;
}

export function donationAmountErrors(amount: number, charge: number, limits: DonationLimits): FieldError[] {
  const minimum = Math.max(limits.min_amount, minimumCharge(limits.currency));
  if (amount < minimum) return [{ field: 'amount', message: `must be at least ${minimum} (minor units of ${limits.currency})` }];
  if (amount > limits.max_amount) return [{ field: 'amount', message: `must be at most ${limits.max_amount} (minor units of ${limits.currency})` }];
  if (THREE_DECIMAL_CURRENCIES.has(limits.currency) && amount % 10 !== 0) {
    return [{ field: 'amount', message: `must be a multiple of 10 for ${limits.currency}` }];
  }
  if (charge > STRIPE_MAXIMUM_CHARGE) {
    return [{ field: 'amount', message: `with fees covered the charge would exceed Stripe's maximum of ${STRIPE_MAXIMUM_CHARGE}` }];
  }
  return [];
}

/** Redirects may only go back to the campaign's own sites or to this service. */
export function redirectOrigins(campaignOrigins: readonly string[], publicBaseUrl: string): Set<string> {
  return new Set([...campaignOrigins, new URL(publicBaseUrl).origin]);
}

/** Why a donor-supplied redirect URL is refused, or null when it is fine. */
export function redirectUrlProblem(value: string, allowed: ReadonlySet<string>): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http(s) URL';
  if (url.username || url.password) return 'must not contain credentials';
  if (!allowed.has(url.origin)) return `must be on one of the campaign's allowed origins (${[...allowed].join(', ')})`;
  return null;
}

/**
 * Makes sure Stripe can tell the thank-you page which session it was. The URL is edited as text:
 * URL serialization would percent-encode the braces and Stripe would no longer substitute them.
 */
export function withSessionIdPlaceholder(successUrl: string): string {
  if (successUrl.includes(SESSION_ID_PLACEHOLDER)) return successUrl;
  const hashAt = successUrl.indexOf('#');
  const base = hashAt === -1 ? successUrl : successUrl.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : successUrl.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}session_id=${SESSION_ID_PLACEHOLDER}${fragment}`;
}
