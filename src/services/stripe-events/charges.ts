import type Stripe from 'stripe';
import { lockDonationBy } from '../../db/donations.js';
import { readGoalpostMetadata } from '../../domain/goalpost-metadata.js';
import { disputeStatusOf, nextDisputeStatus, type RefundRef } from '../../domain/ledger.js';
import { donationDisputedData, donationRefundedData } from '../consumer-payloads.js';
import { DonationDraft } from '../ledger/donation-draft.js';
import { EventEffects, ignored, processed } from '../ledger/effects.js';
import { settle } from '../ledger/settle.js';
import { handler, idOf, requireCampaign, type EventInput, type LedgerRead } from './types.js';

interface PaymentIds {
  paymentIntentId: string | null;
  chargeId: string;
}

/**
 * The succeeded donation a charge belongs to, found by payment intent or charge, with the charge
 * id filled in. Null when the payment has not landed (or is not ours): the caller defers.
 */
async function donationOfCharge(read: LedgerRead, ids: PaymentIds): Promise<DonationDraft | null> {
  const donation = await lockDonationBy(read.db, { paymentIntentId: ids.paymentIntentId, chargeId: ids.chargeId });
  if (!donation || donation.status !== 'succeeded') return null;
  return DonationDraft.of(donation).link({ charge_id: ids.chargeId });
}

function deferUntilPayment(ids: PaymentIds): EventEffects {
  return new EventEffects().deferred(
    { payment_intent_id: ids.paymentIntentId, charge_id: ids.chargeId },
    'waiting for the payment it belongs to (or not a Goalpost payment)',
  );
}

/** The donation's changed row, then what settling it adds. */
async function settleDraft(read: LedgerRead, fx: EventEffects, draft: DonationDraft, event: EventInput, refunds?: RefundRef[]) {
  const campaign = await requireCampaign(read, draft.row.campaign_id);
  await settle(read.db, fx, draft, { campaign, stripeEventId: event.id, at: event.created, refunds });
  const write = draft.write();
  if (write) fx.donations.push(write);
  return campaign;
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
      const fx = processed();
      const write = draft.write();
      if (write) fx.donations.push(write);
      fx.arrived.push({ charge_id: charge.id });
      return fx;
    }
    // Only one-time charges carry our metadata (Stripe copies it from the payment intent).
    if (!ids.paymentIntentId || !readGoalpostMetadata(charge.metadata)) return ignored('no Goalpost payment for this charge (yet)');
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

/**
 * charge.refunded carries the charge's cumulative amount_refunded: the donation remembers the
 * largest seen and the ledger books only the difference, however often and in whatever order
 * the events arrive. A refund of a payment not seen yet is deferred until it arrives.
 */
export const chargeRefunded = handler<Stripe.Charge>({
  lockIds: chargeIds,
  async decide(read, event) {
    const charge = event.object;
    const ids = { paymentIntentId: idOf(charge.payment_intent), chargeId: charge.id };
    const draft = await donationOfCharge(read, ids);
    if (!draft) return deferUntilPayment(ids);
    const fx = processed();
    const refunds = refundsOf(charge);
    const refundedBefore = draft.row.refunded_gross;
    const refundedNow = Math.max(refundedBefore, charge.amount_refunded, refunds.reduce((sum, r) => sum + r.amount, 0));
    draft.set({ refunded_gross: refundedNow });
    const campaign = await settleDraft(read, fx, draft, event, refunds);

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
        const fx = ignored(`the payment is already disputed by ${draft.row.dispute_id}`);
        const write = draft.write();
        if (write) fx.donations.push(write);
        return fx;
      }
      const fx = processed();
      const status = nextDisputeStatus(draft.row.dispute_status, disputeStatusOf(dispute.status, closed));
      draft.set({ dispute_id: dispute.id, dispute_status: status, dispute_amount: Math.max(draft.row.dispute_amount, dispute.amount) });
      const campaign = await settleDraft(read, fx, draft, event);
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
