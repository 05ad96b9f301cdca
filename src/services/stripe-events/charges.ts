import type Stripe from 'stripe';
import { currencyRefusal, deploymentRefusal } from '../../domain/foreign-money.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { disputeStatusOf, nextDisputeStatus, type RefundRef } from '../../domain/ledger.js';
import { isReturned, mergeRefund, refundStatusOf, type KnownRefunds } from '../../domain/refunds.js';
import { donationDisputedData, donationRefundedData } from '../consumer-payloads.js';
import { DonationDraft } from '../ledger/donation-draft.js';
import { deferred, ignored, processed, refused, type EventEffects } from '../ledger/effects.js';
import { settleDraft } from './payments.js';
import { handler, idOf, requireCampaign, type LedgerRead } from './types.js';

interface PaymentIds {
  paymentIntentId: string | null;
  chargeId: string;
}

/**
 * The succeeded donation a charge belongs to, found (and locked) by payment intent or charge,
 * with the charge id filled in. Null when the payment has not arrived (or is not ours): the
 * caller defers.
 */
async function donationOfCharge(read: LedgerRead, ids: PaymentIds): Promise<DonationDraft | null> {
  const donation = await read.donation({ paymentIntentId: ids.paymentIntentId, chargeId: ids.chargeId });
  if (!donation || donation.status !== 'succeeded') return null;
  return DonationDraft.of(donation).link({ charge_id: ids.chargeId });
}

function deferUntilPayment(ids: PaymentIds): EventEffects {
  return deferred(
    { payment_intent_id: ids.paymentIntentId, charge_id: ids.chargeId },
    'waiting for the payment it belongs to (or not a Goalpost payment)',
  );
}

const chargeIds = (charge: Stripe.Charge) => [charge.id, idOf(charge.payment_intent)];

/**
 * charge.succeeded: no money moves (the checkout or invoice counts it); it tells us the charge
 * id early, which is all a dispute may name.
 */
export const chargeSucceeded = handler<Stripe.Charge>({
  lockIds: chargeIds,
  async decide(read, { object: charge }) {
    const ids = { paymentIntentId: idOf(charge.payment_intent), chargeId: charge.id };
    const draft = await donationOfCharge(read, ids);
    if (draft) {
      const fx = processed().write(draft);
      fx.arrived.push({ charge_id: charge.id });
      return fx;
    }
    // Only one-time charges carry our metadata (Stripe copies it from the payment intent).
    const metadata = readGoalpostMetadata(charge.metadata);
    if (!ids.paymentIntentId || !metadata) return ignored('no Goalpost payment for this charge (yet)');
    const foreign = deploymentRefusal(`charge ${charge.id}`, metadata.deploymentId, await read.deploymentId());
    if (foreign) return refused(foreign);
    return deferUntilPayment(ids);
  },
});

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
 * seen yet is deferred until it arrives.
 */
export const chargeRefunded = handler<Stripe.Charge>({
  lockIds: chargeIds,
  async decide(read, event) {
    const charge = event.object;
    const ids = { paymentIntentId: idOf(charge.payment_intent), chargeId: charge.id };
    const draft = await donationOfCharge(read, ids);
    if (!draft) return deferUntilPayment(ids);
    const wrongCurrency = currencyRefusal(`the refund of charge ${charge.id}`, charge.currency, draft.row.currency);
    if (wrongCurrency) return refused(wrongCurrency).write(draft);
    const campaign = await requireCampaign(read, draft.row.campaign_id);
    const fx = processed();
    const refunds = refundsOf(charge);
    const refundedBefore = draft.row.refunded_gross;
    const refundedNow = Math.max(refundedBefore, charge.amount_refunded);
    draft.set({ refunded_gross: refundedNow, refunds: withListedRefunds(draft.row.refunds, charge) });
    await settleDraft(read, fx, draft, event, campaign, refunds);

    // Tell the donor and consumers once per refund: by Stripe's refund id when the charge lists
    // them, else by the running total this event brought.
    const notices = refunds.length
      ? refunds.map((refund) => ({ key: refund.id, id: refund.id as string | null, amount: refund.amount }))
      : refundedNow > refundedBefore
        ? [{ key: `${charge.id}@${refundedNow}`, id: null, amount: refundedNow - refundedBefore }]
        : [];
    const donation = draft.row;
    for (const notice of notices) {
      if (donation.donor_email) {
        fx.mails.push({
          kind: 'refund',
          donationId: donation.id,
          dedupeKey: `refund:${notice.key}`,
          toEmail: donation.donor_email,
          payload: { refund_id: notice.key, amount: notice.amount },
        });
      }
      fx.consumerEvents.push({
        type: 'donation.refunded',
        data: donationRefundedData(donation, campaign, { id: notice.id, amount: notice.amount }),
        dedupeKey: `donation.refunded:${donation.id}:${notice.key}`,
        at: event.created,
      });
    }
    fx.arrived.push({ charge_id: charge.id });
    return fx;
  },
});

/**
 * refund.created / refund.updated / refund.failed / charge.refund.updated: one refund by id. A
 * refund that fails or is canceled gives its amount back to the total (and its donation counts
 * again); a later event saying it is pending or succeeded never takes that back. Donor mails and
 * consumer events about refunds come from charge.refunded.
 */
export const refundUpdated = handler<Stripe.Refund>({
  lockIds: (refund) => [idOf(refund.charge), idOf(refund.payment_intent)],
  async decide(read, event) {
    const refund = event.object;
    const chargeId = idOf(refund.charge);
    if (!chargeId) return ignored('the refund names no charge');
    const ids = { paymentIntentId: idOf(refund.payment_intent), chargeId };
    const draft = await donationOfCharge(read, ids);
    if (!draft) return deferUntilPayment(ids);
    const wrongCurrency = currencyRefusal(`refund ${refund.id}`, refund.currency, draft.row.currency);
    if (wrongCurrency) return refused(wrongCurrency).write(draft);
    const campaign = await requireCampaign(read, draft.row.campaign_id);
    const status = refundStatusOf(refund.status);
    const known = mergeRefund(draft.row.refunds, refund.id, { amount: refund.amount, status });
    draft.set({ refunds: known });
    const fx = processed(isReturned(known[refund.id]!.status) ? `refund ${refund.id} ${known[refund.id]!.status}: its amount is back` : null);
    await settleDraft(read, fx, draft, event, campaign, isReturned(status) ? [] : [{ id: refund.id, amount: refund.amount }]);
    return fx;
  },
});

/**
 * charge.dispute.created / charge.dispute.closed. Disputed money leaves the total when the
 * dispute opens; winning brings it back, losing keeps it out (domain/ledger.ts). A closed
 * dispute stays closed if its created event arrives late.
 */
export function disputeHandler(closed: boolean) {
  return handler<Stripe.Dispute>({
    lockIds: (dispute) => [idOf(dispute.charge), idOf(dispute.payment_intent)],
    async decide(read, event) {
      const dispute = event.object;
      const ids = { paymentIntentId: idOf(dispute.payment_intent), chargeId: idOf(dispute.charge)! };
      const draft = await donationOfCharge(read, ids);
      if (!draft) return deferUntilPayment(ids);
      if (draft.row.dispute_id && draft.row.dispute_id !== dispute.id) {
        return ignored(`the payment is already disputed by ${draft.row.dispute_id}`).write(draft);
      }
      const wrongCurrency = currencyRefusal(`dispute ${dispute.id}`, dispute.currency, draft.row.currency);
      if (wrongCurrency) return refused(wrongCurrency).write(draft);
      const campaign = await requireCampaign(read, draft.row.campaign_id);
      const fx = processed();
      const status = nextDisputeStatus(draft.row.dispute_status, disputeStatusOf(dispute.status, closed));
      draft.set({ dispute_id: dispute.id, dispute_status: status, dispute_amount: Math.max(draft.row.dispute_amount, dispute.amount) });
      await settleDraft(read, fx, draft, event, campaign);
      fx.consumerEvents.push({
        type: 'donation.disputed',
        data: donationDisputedData(draft.row, campaign, { id: dispute.id, amount: dispute.amount, status, reason: dispute.reason ?? null }),
        dedupeKey: `donation.disputed:${dispute.id}:${status}`,
        at: event.created,
      });
      fx.arrived.push({ charge_id: ids.chargeId });
      return fx;
    },
  });
}
