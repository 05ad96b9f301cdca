/**
 * The money rules of the ledger, as pure functions of what Stripe has told us about one payment.
 *
 * Events arrive duplicated and in any order, so nothing here depends on order: each donation's
 * ledger must sum, per kind, to `ledgerTargets(facts)`, and a worker only ever appends the
 * difference between that target and what the ledger already holds. Facts only move forward
 * (a status reaches a final value, cumulative refunds only grow, a dispute only closes), so any
 * order of the same events ends at the same facts and therefore the same totals.
 *
 * Decisions (documented for admins in the README):
 * - Only the donation amount counts toward a goal; a fee the donor chose to cover never does.
 * - A refund is taken from the donation amount first and is capped at it: refunding a covered-fee
 *   donation in full removes exactly its amount, and the last cents refunded are the fee's.
 * - Disputed money leaves the total when the dispute is opened (Stripe withdraws it then); a won
 *   dispute brings it back (a `dispute_reversal` entry), a lost one keeps it out. A dispute can
 *   only take what refunds have left of the amount.
 * - A donation counts in donations_count (and its donor in donors_count) while any of its amount
 *   is still in the total: a full refund or an open/lost dispute takes it out, a won dispute
 *   brings it back.
 */
export type DonationStatus = 'pending' | 'succeeded' | 'failed' | 'expired';
export type DisputeStatus = 'open' | 'won' | 'lost';
export type LedgerKind = 'donation' | 'refund' | 'dispute' | 'dispute_reversal';

export const LEDGER_KINDS: readonly LedgerKind[] = ['donation', 'refund', 'dispute', 'dispute_reversal'];

export type KindTotals = Record<LedgerKind, number>;

export interface PaymentFacts {
  status: DonationStatus;
  /** What counts toward the goal, in minor units (covered fee excluded). */
  amount: number;
  /** Stripe's cumulative amount_refunded on the charge (covered fee included). */
  refundedGross: number;
  dispute: { amount: number; status: DisputeStatus } | null;
}

export const NO_ENTRIES: Readonly<KindTotals> = { donation: 0, refund: 0, dispute: 0, dispute_reversal: 0 };

/** What the ledger entries of one donation must sum to, per kind (refunds and disputes negative). */
export function ledgerTargets(facts: PaymentFacts): KindTotals {
  if (facts.status !== 'succeeded') return { ...NO_ENTRIES };
  const refunded = Math.min(facts.refundedGross, facts.amount);
  const disputed = facts.dispute ? Math.min(facts.dispute.amount, facts.amount - refunded) : 0;
  return {
    donation: facts.amount,
    // 0 - x rather than -x: no negative zeros in the totals.
    refund: 0 - refunded,
    dispute: 0 - disputed,
    dispute_reversal: facts.dispute?.status === 'won' ? disputed : 0,
  };
}

export function netOf(totals: KindTotals): number {
  return totals.donation + totals.refund + totals.dispute + totals.dispute_reversal;
}

/** Refunded and disputed (currently out of the total) amounts, as positive numbers. */
export function outOfTotal(totals: KindTotals): { refunded: number; disputed: number } {
  return { refunded: 0 - totals.refund, disputed: 0 - (totals.dispute + totals.dispute_reversal) };
}

/** A donation counts (donations_count, donors_count) while some of its amount is in the total. */
export function isCounted(totals: KindTotals): boolean {
  return netOf(totals) > 0;
}

/**
 * Statuses only move forward: pending becomes anything; a payment that succeeded stays
 * succeeded; failed or expired become succeeded only if money arrives after all (an invoice paid
 * on a later retry). So any order of the same events ends in the same status.
 */
export function nextDonationStatus(current: DonationStatus, incoming: DonationStatus): DonationStatus {
  if (current === 'succeeded' || incoming === 'succeeded') return 'succeeded';
  if (current === 'pending') return incoming;
  return current;
}

/** A closed dispute stays closed, whatever order its created and closed events arrive in. */
export function nextDisputeStatus(current: DisputeStatus | null, incoming: DisputeStatus): DisputeStatus {
  if (current === 'won' || current === 'lost') return current;
  return incoming;
}

/** Stripe's dispute statuses mapped to ours; an inquiry closed without a chargeback counts as won. */
export function disputeStatusOf(stripeStatus: string, closed: boolean): DisputeStatus {
  if (stripeStatus === 'lost') return 'lost';
  if (stripeStatus === 'won' || stripeStatus === 'warning_closed') return 'won';
  return closed ? 'lost' : 'open';
}

export interface RefundRef {
  id: string;
  amount: number;
}

/**
 * Splits `amount` (what a refund change takes from the goal, positive) over the refunds named in
 * the charge that have no entry yet, in the order Stripe made them; whatever they do not explain
 * (a charge.refunded without its refunds list) goes to `fallbackSourceId`.
 */
export function attributeRefund(
  amount: number,
  refunds: readonly RefundRef[],
  alreadyBooked: ReadonlySet<string>,
  fallbackSourceId: string,
): { sourceId: string; amount: number }[] {
  const shares: { sourceId: string; amount: number }[] = [];
  let remaining = amount;
  for (const refund of refunds) {
    if (remaining <= 0) break;
    if (alreadyBooked.has(refund.id) || refund.amount <= 0) continue;
    const share = Math.min(refund.amount, remaining);
    shares.push({ sourceId: refund.id, amount: share });
    remaining -= share;
  }
  if (remaining > 0) shares.push({ sourceId: fallbackSourceId, amount: remaining });
  return shares;
}

/**
 * The donation's part of a subscription invoice: the donation amount, never more than was paid,
 * and the covered fee out of what is left.
 */
export function invoiceDonationAmounts(paid: number, expected: { amount: number; fee: number }): { amount: number; fee: number } {
  const amount = Math.min(expected.amount, paid);
  return { amount, fee: Math.max(0, Math.min(expected.fee, paid - amount)) };
}

export interface PlannedEntry {
  kind: LedgerKind;
  /** Signed: donations and won disputes positive, refunds and disputes negative. */
  amount: number;
  sourceId: string;
}

/**
 * The entries that take a donation's ledger from `current` to `target`. Each is named after the
 * Stripe object behind it (payment, refund, dispute); a later correction of the same kind (a
 * refund shrinking what a dispute can take) gets a name from the totals it moves between, which
 * never repeat because facts only move forward.
 */
export function plannedEntries(input: {
  current: KindTotals;
  target: KindTotals;
  /** Source ids already in this donation's ledger. */
  booked: ReadonlySet<string>;
  sources: { donation: string; refund: string; dispute: string | null };
  refunds: readonly RefundRef[];
  /** Refunds that failed or were canceled (domain/refunds.ts): the entries giving money back are named after them. */
  returned?: readonly RefundRef[];
}): PlannedEntry[] {
  const { current, target, booked, sources } = input;
  const named = (base: string, kind: LedgerKind) =>
    booked.has(base) ? `${base}:${current[kind]}->${target[kind]}` : base;
  const entries: PlannedEntry[] = [];
  for (const kind of LEDGER_KINDS) {
    const delta = target[kind] - current[kind];
    if (delta === 0) continue;
    if (kind === 'refund' && delta < 0) {
      for (const share of attributeRefund(-delta, input.refunds, booked, named(sources.refund, kind))) {
        entries.push({ kind, amount: -share.amount, sourceId: share.sourceId });
      }
      continue;
    }
    if (kind === 'refund' && delta > 0) {
      const returned = (input.returned ?? []).map((refund) => ({ id: `${refund.id}:returned`, amount: refund.amount }));
      for (const share of attributeRefund(delta, returned, booked, named(sources.refund, kind))) {
        entries.push({ kind, amount: share.amount, sourceId: share.sourceId });
      }
      continue;
    }
    const base =
      kind === 'donation' ? sources.donation
      : kind === 'refund' ? sources.refund
      : kind === 'dispute' ? (sources.dispute ?? `${sources.donation}:dispute`)
      : `${sources.dispute ?? `${sources.donation}:dispute`}:won`;
    entries.push({ kind, amount: delta, sourceId: named(base, kind) });
  }
  return entries;
}
