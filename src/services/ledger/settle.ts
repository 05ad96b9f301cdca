import type { CampaignRow } from '../../db/campaigns.js';
import type { DonationRow } from '../../db/donations.js';
import { totalsByKind } from '../../db/ledger.js';
import {
  isCounted,
  ledgerTargets,
  netOf,
  outOfTotal,
  plannedEntries,
  type PaymentFacts,
  type RefundRef,
} from '../../domain/ledger.js';
import { yearOf } from '../../domain/period.js';
import { refundedGrossOf, returnedRefunds } from '../../domain/refunds.js';
import { donationSucceededData } from '../consumer-payloads.js';
import { donationReceiptMail } from '../receipts.js';
import type { LedgerReads } from './batch-state.js';
import type { DonationDraft } from './donation-draft.js';
import type { EventEffects } from './effects.js';

function factsOf(donation: DonationRow): PaymentFacts {
  return {
    status: donation.status,
    amount: donation.amount,
    refundedGross: refundedGrossOf(donation.refunded_gross, donation.refunds),
    dispute: donation.dispute_id && donation.dispute_status ? { amount: donation.dispute_amount, status: donation.dispute_status } : null,
  };
}

/**
 * Donors are counted by lower-cased email; a donor erased on request by the random key their
 * donations were given then; a donation without either is its own donor.
 */
export function donorKeyOf(donation: Pick<DonationRow, 'id' | 'donor_email' | 'erased_donor_key'>): string {
  if (donation.donor_email) return donation.donor_email.trim().toLowerCase();
  return donation.erased_donor_key ?? `donation:${donation.id}`;
}

export interface SettleContext {
  campaign: CampaignRow;
  stripeEventId: string;
  /** When the change happened (tier and goal crossings are dated with it). */
  at: Date;
  /** Refunds named by the event being applied, oldest first, so entries carry their ids. */
  refunds?: readonly RefundRef[];
}

/**
 * Brings a donation's ledger in line with its facts: compares what its entries sum to with what
 * they must sum to (domain/ledger.ts) and adds the difference to `fx` — the entries, the period
 * change, and for a donation that starts counting its receipt (number and mail) and
 * donation.succeeded. Deciding again, or from another event about the same payment, adds
 * nothing: this is what makes every handler idempotent and order-independent. The draft's row
 * was read under its lock (or is new), so the entries read here (with those its batch booked
 * before) are all there are.
 */
export async function settle(reads: Pick<LedgerReads, 'ledgerEntries'>, fx: EventEffects, draft: DonationDraft, context: SettleContext): Promise<void> {
  const donation = draft.row;
  if (donation.status !== 'succeeded' || !donation.period_key || !donation.paid_at) return;
  const entries = draft.isNew ? [] : await reads.ledgerEntries(donation.id);
  const current = totalsByKind(entries);
  const target = ledgerTargets(factsOf(donation));
  const planned = plannedEntries({
    current,
    target,
    booked: new Set(entries.map((entry) => entry.source_id)),
    sources: {
      donation: donation.invoice_id ?? donation.payment_intent_id ?? donation.checkout_session_id ?? donation.id,
      refund: `${donation.charge_id ?? donation.payment_intent_id ?? donation.id}:refund`,
      dispute: donation.dispute_id,
    },
    refunds: context.refunds ?? [],
    returned: returnedRefunds(donation.refunds),
  });
  if (!planned.length) return;

  for (const entry of planned) {
    fx.ledger.push({
      donation_id: donation.id,
      campaign_id: donation.campaign_id,
      period_key: donation.period_key,
      kind: entry.kind,
      amount: entry.amount,
      currency: donation.currency,
      source_id: entry.sourceId,
      stripe_event_id: context.stripeEventId,
    });
  }
  const before = outOfTotal(current);
  const after = outOfTotal(target);
  draft.set({ refunded_amount: after.refunded, disputed_amount: after.disputed });
  fx.periods.push({
    campaign: context.campaign,
    periodKey: donation.period_key,
    change: {
      raised: netOf(target) - netOf(current),
      refunded: after.refunded - before.refunded,
      disputed: after.disputed - before.disputed,
      donations: (Number(isCounted(target)) - Number(isCounted(current))) as -1 | 0 | 1,
    },
    donorKey: donorKeyOf(donation),
    at: context.at,
  });
  if (current.donation === 0 && target.donation !== 0) announce(fx, draft.row, context.campaign);
}

/** A new succeeded donation: its receipt number and mail, and donation.succeeded. */
function announce(fx: EventEffects, donation: DonationRow, campaign: CampaignRow): void {
  fx.succeeded.push(donation);
  if (!donation.receipt_number) fx.receiptNumbers.push({ donationId: donation.id, year: yearOf(donation.paid_at!, campaign.timezone) });
  const mail = donationReceiptMail(donation);
  if (mail) fx.mails.push(mail);
  fx.consumerEvents.push({
    type: 'donation.succeeded',
    data: donationSucceededData(donation, campaign),
    dedupeKey: `donation.succeeded:${donation.id}`,
    at: donation.paid_at!,
  });
}
