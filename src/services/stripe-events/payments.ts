import type { CampaignRow } from '../../db/campaigns.js';
import { updateDonation, type DonationRow } from '../../db/donations.js';
import type { Queryable } from '../../db/pool.js';
import { nextDonationStatus, type DonationStatus, type RefundRef } from '../../domain/ledger.js';
import { periodKeyOf } from '../../domain/period.js';
import { settleDonation } from '../ledger/settle.js';
import type { EventInput, LedgerTx } from './types.js';

/** The payment time decides the month, read in the campaign's timezone. */
export function paidIn(campaign: CampaignRow, at: Date): { at: Date; periodKey: string } {
  return { at, periodKey: periodKeyOf(at, campaign.timezone) };
}

/**
 * Moves a donation towards `incoming` as far as the status rules allow (domain/ledger.ts). The
 * first time it succeeds it gets its payment time and month, and `amounts` when given (an
 * invoice says what was actually paid); later events never move it to another month.
 */
export async function advanceDonation(
  db: Queryable,
  donation: DonationRow,
  incoming: DonationStatus,
  paid: { at: Date; periodKey: string },
  amounts?: { amount: number; fee: number },
): Promise<DonationRow> {
  const status = nextDonationStatus(donation.status, incoming);
  if (status === donation.status) return donation;
  const succeeding = status === 'succeeded';
  return updateDonation(db, donation.id, {
    status,
    ...(succeeding && { paid_at: paid.at, period_key: paid.periodKey }),
    ...(succeeding && amounts && { amount: amounts.amount, fee_amount: amounts.fee }),
  });
}

/** Settles a donation's ledger in the event's transaction (services/ledger/settle.ts). */
export async function settle(
  tx: LedgerTx,
  event: EventInput,
  campaign: CampaignRow,
  donationId: string,
  refunds?: readonly RefundRef[],
): Promise<DonationRow> {
  const donation = await settleDonation(tx.client, donationId, { campaign, stripeEventId: event.id, at: event.created, refunds, locked: tx.locked });
  tx.touched.add(campaign.id);
  return donation;
}
