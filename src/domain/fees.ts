import { THREE_DECIMAL_CURRENCIES } from './money.js';

/**
 * "Cover the fee": the one computation of what a donor who covers the processing fee is
 * charged. The checkout (what Stripe charges), the manage page's amount change and the widget
 * (what the donor is shown before paying) all call donationCharge, so they cannot disagree.
 * Pure and dependency-free: the widget bundle imports it.
 */

/** The processor's price: `percent`% of the charge plus `fixed` minor units (FEE_PERCENT, FEE_FIXED). */
export interface FeeSchedule {
  percent: number;
  fixed: number;
}

/**
 * What to charge so that, after the processor takes `percent`% + `fixed`, the campaign still
 * receives `amount`. Rounded up: the donor covers the fee in full, never a cent short.
 */
export function grossUpForFees(amount: number, fees: FeeSchedule): { total: number; fee: number } {
  const total = Math.ceil((amount + fees.fixed) / (1 - fees.percent / 100));
  return { total, fee: total - amount };
}

/** What the donor is charged for `amount`; covering fees grosses it up by the fee schedule. */
export function donationCharge(
  amount: number,
  currency: string,
  coverFees: boolean,
  fees: FeeSchedule,
): { total: number; fee: number } {
  if (!coverFees) return { total: amount, fee: 0 };
  let { total } = grossUpForFees(amount, fees);
  // Stripe takes three-decimal currencies only in multiples of 10 minor units.
  if (THREE_DECIMAL_CURRENCIES.has(currency)) total = Math.ceil(total / 10) * 10;
  return { total, fee: total - amount };
}
