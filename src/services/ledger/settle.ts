import type { CampaignRow } from '../../db/campaigns.js';
import { lockDonation, updateDonation, type DonationRow } from '../../db/donations.js';
import { appendLedgerEntry, ledgerEntriesOf, totalsByKind } from '../../db/ledger.js';
import { runNow, type LockedWork, type Queryable } from '../../db/pool.js';
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
import { countDonation } from '../../metrics.js';
import { emitConsumerEvent } from '../consumer-events.js';
import { donationSucceededData } from '../consumer-payloads.js';
import { queueLockedDonationReceipt } from '../receipts.js';
import { applyToPeriods } from './period-totals.js';

export function factsOf(donation: DonationRow): PaymentFacts {
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

export interface SettleOptions {
  campaign: CampaignRow;
  stripeEventId: string;
  /** When the change happened (tier and goal crossings are dated with it). */
  at: Date;
  /** Refunds named by the event being applied, oldest first, so entries carry their ids. */
  refunds?: readonly RefundRef[];
  /** Takes the campaign-wide locks (aggregate rows, receipt counter); see LockedWork. */
  locked?: LockedWork;
}

/**
 * Brings a donation's ledger in line with its facts: locks the donation, compares what its
 * entries sum to with what they must sum to (domain/ledger.ts) and appends the difference,
 * together with the period aggregates, the tiers reached, the receipt and the consumer event of
 * a new donation. Running it again, or from another event about the same payment, appends
 * nothing: this is what makes every handler idempotent and order-independent.
 */
export async function settleDonation(db: Queryable, donationId: string, options: SettleOptions): Promise<DonationRow> {
  const donation = await lockDonation(db, donationId);
  if (donation.status !== 'succeeded' || !donation.period_key || !donation.paid_at) return donation;
  const entries = await ledgerEntriesOf(db, donation.id);
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
    refunds: options.refunds ?? [],
    returned: returnedRefunds(donation.refunds),
  });
  if (!planned.length) return donation;

  for (const entry of planned) {
    await appendLedgerEntry(db, {
      donation_id: donation.id,
      campaign_id: donation.campaign_id,
      period_key: donation.period_key,
      kind: entry.kind,
      amount: entry.amount,
      currency: donation.currency,
      source_id: entry.sourceId,
      stripe_event_id: options.stripeEventId,
    });
  }
  const before = outOfTotal(current);
  const after = outOfTotal(target);
  const updated = await updateDonation(db, donation.id, { refunded_amount: after.refunded, disputed_amount: after.disputed });
  await applyToPeriods(
    db,
    options.campaign,
    donation.period_key,
    {
      raised: netOf(target) - netOf(current),
      refunded: after.refunded - before.refunded,
      disputed: after.disputed - before.disputed,
      donations: (Number(isCounted(target)) - Number(isCounted(current))) as -1 | 0 | 1,
    },
    donorKeyOf(donation),
    options.at,
    options.locked,
  );
  if (current.donation === 0 && target.donation !== 0) await announceDonation(db, updated, options.campaign, options.locked);
  return updated;
}

/** A new succeeded donation: its numbered receipt and donation.succeeded, in the same transaction. */
async function announceDonation(db: Queryable, donation: DonationRow, campaign: CampaignRow, locked: LockedWork = runNow): Promise<void> {
  // Counted before the commit: an attempt rolled back after this point (rare) is counted again on retry.
  countDonation(donation);
  // The row is locked (lockDonation) and read (`donation`) already.
  await queueLockedDonationReceipt(db, donation, yearOf(donation.paid_at!, campaign.timezone), locked);
  await emitConsumerEvent(db, {
    type: 'donation.succeeded',
    data: donationSucceededData(donation, campaign),
    dedupeKey: `donation.succeeded:${donation.id}`,
    at: donation.paid_at!,
  });
}
