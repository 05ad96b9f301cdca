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

/** What brought the donor (the page's ?source= or an attribute, and its UTM tags); each ≤ 64 characters. */
export interface Attribution {
  source: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

export const ATTRIBUTION_FIELDS = ['source', 'utm_source', 'utm_medium', 'utm_campaign'] as const;
export const MAX_ATTRIBUTION_LENGTH = 64;
