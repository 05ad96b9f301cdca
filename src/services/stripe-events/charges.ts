import type Stripe from 'stripe';
import { findDonationBy, updateDonation, type DonationRow } from '../../db/donations.js';
import { lockStripeIds } from '../../db/locks.js';
import { readDeploymentId } from '../../db/deployment.js';
import { currencyRefusal, deploymentRefusal } from '../../domain/foreign-money.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { isReturned, mergeRefund, refundStatusOf, type KnownRefunds } from '../../domain/refunds.js';
import { disputeStatusOf, nextDisputeStatus, type RefundRef } from '../../domain/ledger.js';
import { emitConsumerEvent } from '../consumer-events.js';
import { donationDisputedData, donationRefundedData } from '../consumer-payloads.js';
import { queueRefundConfirmation } from '../receipts.js';
import { settle } from './payments.js';
import { idOf, ignored, processed, refused, requireCampaign, type EventHandler, type EventInput, type LedgerTx, type Outcome } from './types.js';

interface PaymentIds {
  paymentIntentId: string | null;
  chargeId: string;
}

/**
 * The succeeded donation a charge belongs to, found by payment intent or charge, with the charge
 * id filled in. Null when the payment has not landed (or is not ours): the caller waits for it.
 */
async function donationOfCharge(tx: LedgerTx, ids: PaymentIds): Promise<DonationRow | null> {
  await lockStripeIds(tx.client, [ids.chargeId, ids.paymentIntentId]);
  const donation = await findDonationBy(tx.client, { paymentIntentId: ids.paymentIntentId, chargeId: ids.chargeId });
  if (!donation || donation.status !== 'succeeded') return null;
  if (donation.charge_id) return donation;
  return updateDonation(tx.client, donation.id, { links: { charge_id: ids.chargeId } });
}

function waitForPayment(tx: LedgerTx, event: EventInput, ids: PaymentIds): Promise<Outcome> {
  return tx.defer(
    event,
    { payment_intent_id: ids.paymentIntentId, charge_id: ids.chargeId },
    'waiting for the payment it belongs to (or not a Goalpost payment)',
  );
}

/**
 * charge.succeeded: no money moves (the checkout or invoice counts it); it tells us the charge
 * id early, which is all a dispute may name.
 */
export const chargeSucceeded: EventHandler = async (tx, event) => {
  const charge = event.object as Stripe.Charge;
  const ids = { paymentIntentId: idOf(charge.payment_intent), chargeId: charge.id };
  const donation = await donationOfCharge(tx, ids);
  if (donation) {
    await tx.landed({ charge_id: charge.id });
    return processed();
  }
  // Only one-time charges carry our metadata (Stripe copies it from the payment intent).
  const metadata = readGoalpostMetadata(charge.metadata);
  if (!ids.paymentIntentId || !metadata) return ignored('no Goalpost payment for this charge (yet)');
  const foreign = deploymentRefusal(`charge ${charge.id}`, metadata.deploymentId, await readDeploymentId(tx.client));
  if (foreign) return refused(foreign);
  return waitForPayment(tx, event, ids);
};

/** Refunds that still stand, oldest first, as the charge lists them (when it does). */
function refundsOf(charge: Stripe.Charge): RefundRef[] {
  return (charge.refunds?.data ?? [])
    .filter((refund) => refund.status !== 'failed' && refund.status !== 'canceled')
    .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id))
    .map((refund) => ({ id: refund.id, amount: refund.amount }));
}

/** Every refund the charge lists (failed and canceled ones too), merged into what the donation knows. */
function withListedRefunds(known: KnownRefunds, charge: Stripe.Charge): KnownRefunds {
  return (charge.refunds?.data ?? []).reduce(
    (merged, refund) => mergeRefund(merged, refund.id, { amount: refund.amount, status: refundStatusOf(refund.status) }),
    known,
  );
}

/**
 * charge.refunded carries the charge's cumulative amount_refunded: the donation remembers the
 * largest seen (and the refunds the charge lists, by id) and the ledger books only the
 * difference, however often and in whatever order the events arrive. A refund of a payment not
 * seen yet waits for it.
 */
export const chargeRefunded: EventHandler = async (tx, event) => {
  const charge = event.object as Stripe.Charge;
  const ids = { paymentIntentId: idOf(charge.payment_intent), chargeId: charge.id };
  const donation = await donationOfCharge(tx, ids);
  if (!donation) return waitForPayment(tx, event, ids);
  const wrongCurrency = currencyRefusal(`the refund of charge ${charge.id}`, charge.currency, donation.currency);
  if (wrongCurrency) return refused(wrongCurrency);
  const campaign = await requireCampaign(tx, donation.campaign_id);
  const refunds = refundsOf(charge);
  const refundedBefore = donation.refunded_gross;
  const refundedNow = Math.max(refundedBefore, charge.amount_refunded);
  const known = withListedRefunds(donation.refunds, charge);
  if (refundedNow !== refundedBefore || known !== donation.refunds) {
    await updateDonation(tx.client, donation.id, { refunded_gross: refundedNow, refunds: known });
  }
  const settled = await settle(tx, event, campaign, donation.id, refunds);

  // Tell the donor and consumers once per refund: by Stripe's refund id when the charge lists
  // them, else by the running total this event brought.
  const notices = refunds.length
    ? refunds.map((refund) => ({ key: refund.id, id: refund.id as string | null, amount: refund.amount }))
    : refundedNow > refundedBefore
      ? [{ key: `${charge.id}@${refundedNow}`, id: null, amount: refundedNow - refundedBefore }]
      : [];
  for (const notice of notices) {
    await queueRefundConfirmation(tx.client, { donationId: donation.id, refundId: notice.key, amount: notice.amount });
    await emitConsumerEvent(tx.client, {
      type: 'donation.refunded',
      data: donationRefundedData(settled, campaign, { id: notice.id, amount: notice.amount }),
      dedupeKey: `donation.refunded:${donation.id}:${notice.key}`,
      at: event.created,
    });
  }
  await tx.landed({ charge_id: charge.id });
  return processed();
};

/**
 * refund.created / refund.updated / refund.failed / charge.refund.updated: one refund by id. A
 * refund that fails or is canceled gives its amount back to the total (and its donation counts
 * again); a later event saying it is pending or succeeded never takes that back. Donor mails and
 * consumer events about refunds come from charge.refunded.
 */
export const refundUpdated: EventHandler = async (tx, event) => {
  const refund = event.object as Stripe.Refund;
  const chargeId = idOf(refund.charge);
  if (!chargeId) return ignored('the refund names no charge');
  const ids = { paymentIntentId: idOf(refund.payment_intent), chargeId };
  const donation = await donationOfCharge(tx, ids);
  if (!donation) return waitForPayment(tx, event, ids);
  const wrongCurrency = currencyRefusal(`refund ${refund.id}`, refund.currency, donation.currency);
  if (wrongCurrency) return refused(wrongCurrency);
  const campaign = await requireCampaign(tx, donation.campaign_id);
  const status = refundStatusOf(refund.status);
  const known = mergeRefund(donation.refunds, refund.id, { amount: refund.amount, status });
  if (known !== donation.refunds) await updateDonation(tx.client, donation.id, { refunds: known });
  await settle(tx, event, campaign, donation.id, isReturned(status) ? [] : [{ id: refund.id, amount: refund.amount }]);
  return processed(isReturned(known[refund.id]!.status) ? `refund ${refund.id} ${known[refund.id]!.status}: its amount is back` : null);
};

/**
 * charge.dispute.created / charge.dispute.closed. Disputed money leaves the total when the
 * dispute opens; winning brings it back, losing keeps it out (domain/ledger.ts). A closed
 * dispute stays closed if its created event arrives late.
 */
export function disputeHandler(closed: boolean): EventHandler {
  return async (tx, event) => {
    const dispute = event.object as Stripe.Dispute;
    const ids = { paymentIntentId: idOf(dispute.payment_intent), chargeId: idOf(dispute.charge)! };
    const donation = await donationOfCharge(tx, ids);
    if (!donation) return waitForPayment(tx, event, ids);
    if (donation.dispute_id && donation.dispute_id !== dispute.id) {
      return ignored(`the payment is already disputed by ${donation.dispute_id}`);
    }
    const wrongCurrency = currencyRefusal(`dispute ${dispute.id}`, dispute.currency, donation.currency);
    if (wrongCurrency) return refused(wrongCurrency);
    const campaign = await requireCampaign(tx, donation.campaign_id);
    const status = nextDisputeStatus(donation.dispute_status, disputeStatusOf(dispute.status, closed));
    await updateDonation(tx.client, donation.id, {
      dispute_id: dispute.id,
      dispute_status: status,
      dispute_amount: Math.max(donation.dispute_amount, dispute.amount),
    });
    const settled = await settle(tx, event, campaign, donation.id);
    await emitConsumerEvent(tx.client, {
      type: 'donation.disputed',
      data: donationDisputedData(settled, campaign, { id: dispute.id, amount: dispute.amount, status, reason: dispute.reason ?? null }),
      dedupeKey: `donation.disputed:${dispute.id}:${status}`,
      at: event.created,
    });
    await tx.landed({ charge_id: ids.chargeId });
    return processed();
  };
}
