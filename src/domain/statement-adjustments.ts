/**
 * What an annual statement lists as taken back from a donation: refunds, and chargebacks the
 * organisation lost. Statements show payments at what they charged (donation plus any covered
 * fee), so what is taken back is shown the same way: the ledger books only the donation's part
 * (a refund takes the donation amount first, the fee last), and the fee's part is added to the
 * donation's last refund (or lost-dispute) entry. A fully refunded donation nets to zero; an open
 * or won dispute takes nothing (the money may come, or came, back).
 */
export interface AdjustedDonation {
  amount: number;
  fee: number;
  /** What stays refunded of the charge, fee included (domain/refunds.ts refundedGrossOf). */
  refundedGross: number;
  /** What the ledger holds as disputed (of the donation amount only). */
  disputed: number;
  dispute: { amount: number; status: 'open' | 'won' | 'lost' } | null;
}

export interface AdjustmentEntry {
  kind: 'refund' | 'dispute';
  /** Signed as in the ledger: a refund or dispute negative, a refund given back (failed) positive. */
  amount: number;
  /** True for the donation's latest entry of this kind: it carries the fee's part. */
  last: boolean;
}

const clamp = (value: number, max: number) => Math.max(0, Math.min(value, max));

/** The covered fee refunded: whatever of the refunded charge the donation amount does not explain. */
function feeRefunded(donation: AdjustedDonation): number {
  return clamp(donation.refundedGross - donation.amount, donation.fee);
}

/** The covered fee lost to a chargeback: what the dispute took of the charge beyond the ledger's part. */
function feeChargedBack(donation: AdjustedDonation): number {
  if (donation.dispute?.status !== 'lost') return 0;
  const charged = donation.amount + donation.fee;
  const taken = Math.min(donation.dispute.amount, charged - Math.min(donation.refundedGross, charged));
  return clamp(taken - donation.disputed, donation.fee - feeRefunded(donation));
}

/**
 * The positive amount one ledger entry takes back on a statement (negative when a refund came
 * back), or null when it is not shown (disputes not lost).
 */
export function statementAdjustment(entry: AdjustmentEntry, donation: AdjustedDonation): number | null {
  if (entry.kind === 'dispute' && donation.dispute?.status !== 'lost') return null;
  const fee = entry.last ? (entry.kind === 'refund' ? feeRefunded(donation) : feeChargedBack(donation)) : 0;
  return 0 - entry.amount + fee;
}
