import { findDonationById } from '../db/donations.js';
import type { Queryable } from '../db/pool.js';
import { AppError, conflict, notFound } from '../errors.js';
import { createRefund, StripeCallError, type RefundTarget, type Stripe } from '../integrations/stripe.js';
import { formatMoney } from '../domain/money.js';
import { refundedGrossOf } from '../domain/refunds.js';

export interface RefundRequested {
  id: string;
  status: string;
  amount: number;
  currency: string;
  donation_id: string;
}

/**
 * Asks Stripe to refund (part of) a donation's charge. Nothing in the ledger changes here: the
 * refund counts when Stripe's refund events arrive, like any refund made in Stripe's dashboard.
 * The idempotency key ties the request to what is refunded so far, so a double click (or a
 * retry) before Stripe's event lands returns the same refund instead of refunding twice.
 */
export async function requestRefund(
  deps: { db: Queryable; stripe: Stripe },
  donationId: string,
  amount: number | undefined,
): Promise<RefundRequested> {
  const donation = await findDonationById(deps.db, donationId);
  if (!donation) throw notFound(`Donation "${donationId}"`);
  if (donation.status !== 'succeeded') throw conflict(`Only succeeded donations can be refunded; this one is ${donation.status}.`);
  if (donation.dispute_status && donation.dispute_status !== 'won') {
    throw conflict('This payment is disputed; the dispute decides what happens to the money.');
  }
  // The charge is the donation plus the fee the donor chose to cover; refunds come out of it.
  const refundedGross = refundedGrossOf(donation.refunded_gross, donation.refunds);
  const refundable = donation.amount + donation.fee_amount - refundedGross;
  if (refundable <= 0) throw conflict('This donation has already been refunded in full.');
  if (amount !== undefined && amount > refundable) {
    throw new AppError('validation_failed', 'The refund is larger than what is left to refund.', [
      { field: 'amount', message: `must be at most ${refundable} (${formatMoney({ amount: refundable, currency: donation.currency })})` },
    ]);
  }
  const target: RefundTarget | null = donation.payment_intent_id
    ? { paymentIntentId: donation.payment_intent_id }
    : donation.charge_id
      ? { chargeId: donation.charge_id }
      : null;
  if (!target) throw conflict('Stripe has not reported this payment yet; try again in a moment.');
  const requested = amount ?? refundable;
  let refund;
  try {
    refund = await createRefund(deps.stripe, {
      ...target,
      amount: requested,
      reason: 'requested_by_customer',
      metadata: { goalpost_donation_id: donation.id },
      idempotencyKey: `refund:${donation.id}:${refundedGross}:${requested}`,
    });
  } catch (error) {
    // Refunded meanwhile (in Stripe's dashboard, or a refund whose event has not arrived yet).
    if (error instanceof StripeCallError && error.stripeCode === 'charge_already_refunded') {
      throw conflict('Stripe says this payment is already refunded in full; the donation updates when its event arrives.');
    }
    throw error;
  }
  return { id: refund.id, status: refund.status ?? 'pending', amount: refund.amount, currency: refund.currency, donation_id: donation.id };
}
