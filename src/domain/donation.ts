import type { DonationStatus } from './ledger.js';

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
    net_amount: donation.amount - donation.refunded_amount - donation.disputed_amount,
  };
}
