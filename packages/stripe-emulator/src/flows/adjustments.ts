import type Stripe from 'stripe';
import { formatMoney } from '../currencies.js';
import { buildDispute, buildRefund } from '../builders/adjustments.js';
import type { EmulatorCore, EventOrigin } from '../core.js';
import { invalidRequest, missingParam, StripeApiError } from '../errors.js';
import { newId } from '../ids.js';
import type { Params } from '../params.js';

const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

function chargeToRefund(core: EmulatorCore, params: Params): Stripe.Charge {
  const chargeId = params.string('charge');
  const paymentIntentId = params.string('payment_intent');
  if (!chargeId && !paymentIntentId) throw missingParam('charge');
  if (chargeId) return core.store.require('charge', chargeId, 'charge');
  const paymentIntent = core.store.require('payment_intent', paymentIntentId!, 'payment_intent');
  if (paymentIntent.status !== 'succeeded' || !paymentIntent.latest_charge) {
    throw invalidRequest(
      `This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`,
      'payment_intent',
      'charge_not_refundable',
    );
  }
  return core.store.require('charge', paymentIntent.latest_charge as string);
}

function assertRefundable(charge: Stripe.Charge, amount: number): void {
  if (charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} has not succeeded; there is nothing to refund.`, 'charge', 'charge_not_refundable');
  }
  if (charge.disputed) {
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, 'charge', 'charge_disputed');
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
  if (amount > remaining) {
    const money = (value: number) => formatMoney({ amount: value, currency: charge.currency });
    throw invalidRequest(
      `Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(remaining)})`,
      'amount',
      'amount_too_large',
    );
  }
}

/**
 * POST /v1/refunds (and the dashboard-style control): the refund succeeds at once, and Stripe's
 * events follow — `refund.created`, then `charge.refunded` with the charge's cumulative
 * `amount_refunded`.
 */
export function createRefund(core: EmulatorCore, params: Params, origin?: EventOrigin): Stripe.Refund {
  params.allowOnly(['charge', 'payment_intent', 'amount', 'reason', 'metadata', 'expand']);
  const charge = chargeToRefund(core, params);
  const amount = params.integer('amount', 1) ?? charge.amount - charge.amount_refunded;
  assertRefundable(charge, amount);
  const at = core.now();
  const refund = core.store.insert(
    'refund',
    buildRefund({ id: newId('re'), created: at, amount, charge, reason: params.oneOf('reason', REFUND_REASONS) ?? null, metadata: params.metadata() }),
  );
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  charge.refunds?.data.unshift(refund);
  core.emit('refund.created', refund, { origin, at });
  core.emit('charge.refunded', charge, { origin, at, previous });
  return refund;
}

/**
 * Test control: a refund fails (the donor's bank returns it) or is canceled. Its amount is back
 * on the charge; Stripe sends `refund.failed` (or `refund.updated` when canceled) and
 * `charge.refund.updated`.
 */
export function failRefund(core: EmulatorCore, refundId: string, status: 'failed' | 'canceled'): Stripe.Refund {
  const refund = core.store.require('refund', refundId);
  if (refund.status === 'failed' || refund.status === 'canceled') {
    throw new StripeApiError(400, 'invalid_request_error', `Refund ${refund.id} is already ${refund.status}.`);
  }
  const charge = core.store.require('charge', refund.charge as string);
  const previous = { status: refund.status };
  refund.status = status;
  if (status === 'failed') refund.failure_reason = 'lost_or_stolen_card';
  charge.amount_refunded -= refund.amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  const at = core.now();
  core.emit(status === 'failed' ? 'refund.failed' : 'refund.updated', refund, { at, previous });
  core.emit('charge.refund.updated', refund, { at, previous });
  return refund;
}

/** Test control: the donor's bank opens a chargeback on a charge. */
export function openDispute(core: EmulatorCore, chargeId: string, options: { amount?: number; reason?: string } = {}): Stripe.Dispute {
  const charge = core.store.require('charge', chargeId);
  if (charge.status !== 'succeeded') throw invalidRequest(`Charge ${charge.id} has not succeeded; it cannot be disputed.`, 'charge');
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} is already disputed.`, 'charge');
  const amount = options.amount ?? charge.amount - charge.amount_refunded;
  if (!Number.isInteger(amount) || amount <= 0 || amount > charge.amount) {
    throw invalidRequest(`A dispute amount must be an integer between 1 and ${charge.amount}.`, 'amount');
  }
  const at = core.now();
  const dispute = core.store.insert('dispute', buildDispute({ id: newId('dp'), created: at, amount, charge, reason: options.reason ?? 'fraudulent' }));
  charge.disputed = true;
  core.emit('charge.dispute.created', dispute, { at });
  return dispute;
}

/** Test control: the bank decides a dispute; `charge.dispute.closed` carries `won` or `lost`. */
export function closeDispute(core: EmulatorCore, disputeId: string, status: 'won' | 'lost'): Stripe.Dispute {
  const dispute = core.store.require('dispute', disputeId);
  if (dispute.status === 'won' || dispute.status === 'lost') {
    throw new StripeApiError(400, 'invalid_request_error', `Dispute ${dispute.id} is already closed (${dispute.status}).`);
  }
  const previous = { status: dispute.status };
  dispute.status = status;
  dispute.evidence_details.has_evidence = true;
  dispute.evidence_details.submission_count = 1;
  core.emit('charge.dispute.closed', dispute, { previous });
  return dispute;
}
