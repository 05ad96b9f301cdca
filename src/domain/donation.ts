import type { DonationStatus } from './ledger.js';
import type { OfflineMethod } from './offline-donation.js';

export type Frequency = 'one_time' | 'monthly';

/**
 * What the donor chose at checkout. The same terms travel from the checkout record to every
 * donation it produces (each paid invoice of a monthly donation), and on to the receipt.
 * `amount` counts toward the goal; `fee_amount` is what the donor added to cover fees.
 */
export interface DonationTerms {
  frequency: Frequency;
  amount: number;
  fee_amount: number;
  currency: string;
  donor_email: string | null;
  donor_name: string | null;
  anonymous: boolean;
  message: string | null;
}

/** A donation's money as every outside view shows it (admin API, consumer webhooks). */
export function donationMoney(
  donation: Pick<DonationTerms, 'frequency' | 'amount' | 'fee_amount' | 'currency'> & {
    status: DonationStatus;
    refunded_amount: number;
    disputed_amount: number;
    /** An offline donation entered by mistake and voided: it counts for nothing. */
    voided_at: Date | null;
  },
) {
  return {
    status: donation.status,
    frequency: donation.frequency,
    amount: donation.amount,
    fee_amount: donation.fee_amount,
    currency: donation.currency,
    refunded_amount: donation.refunded_amount,
    disputed_amount: donation.disputed_amount,
    net_amount: donation.voided_at ? 0 : donation.amount - donation.refunded_amount - donation.disputed_amount,
  };
}

/** What brought the donor (the page's ?source= or an attribute, and its UTM tags); each ≤ 64 characters. */
export interface Attribution {
  source: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

export const ATTRIBUTION_FIELDS = ['source', 'utm_source', 'utm_medium', 'utm_campaign'] as const;
export const MAX_ATTRIBUTION_LENGTH = 64;

/** How offline money arrived; null for Stripe donations. */
export function offlineOf(donation: {
  origin: 'stripe' | 'offline';
  offline_method: OfflineMethod | null;
  offline_reference: string | null;
  voided_at: Date | null;
}) {
  if (donation.origin !== 'offline') return null;
  return { method: donation.offline_method, reference: donation.offline_reference, voided_at: donation.voided_at?.toISOString() ?? null };
}

export function attributionOf(donation: Attribution) {
  return { source: donation.source, utm_source: donation.utm_source, utm_medium: donation.utm_medium, utm_campaign: donation.utm_campaign };
}
