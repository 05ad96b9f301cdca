/**
 * Refunds of one payment, as facts that only move forward whatever order Stripe's events arrive
 * in. A refund is known by its id; its status ends at `failed` or `canceled` (a refund can fail
 * after it succeeded, when the donor's bank returns it), and then its amount is back in the
 * donation. The charge's cumulative `amount_refunded` only ever told us a running total, and
 * drops again when a refund fails, so the largest one seen is kept beside the refunds by id.
 */
export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface KnownRefund {
  amount: number;
  status: RefundStatus;
}

/** Refunds by Stripe id (donations.refunds). */
export type KnownRefunds = Readonly<Record<string, KnownRefund>>;

const RANK: Record<RefundStatus, number> = { pending: 0, requires_action: 0, succeeded: 1, failed: 2, canceled: 2 };

/** A refund that failed or was canceled gives its money back; nothing moves it out of there. */
export function isReturned(status: RefundStatus): boolean {
  return RANK[status] === 2;
}

/** Stripe statuses outside the list (future ones) count as still pending: the money is out until told otherwise. */
export function refundStatusOf(status: string | null | undefined): RefundStatus {
  return status && status in RANK ? (status as RefundStatus) : 'pending';
}

/** What one more event says about a refund, merged so any order of the same events ends the same. */
export function mergeRefund(known: KnownRefunds, id: string, incoming: KnownRefund): KnownRefunds {
  const current = known[id];
  if (!current) return { ...known, [id]: incoming };
  const status = RANK[incoming.status] > RANK[current.status] ? incoming.status : current.status;
  const amount = Math.max(current.amount, incoming.amount);
  if (status === current.status && amount === current.amount) return known;
  return { ...known, [id]: { amount, status } };
}

/**
 * What is refunded now (covered fee included): the refunds known to stand, or the largest
 * running total Stripe reported less every refund known to have come back, whichever is more.
 * Both are lower bounds of the truth (a running total seen before a refund failed still holds
 * it; one seen after no longer does, and subtracting it again only lowers the bound), so the
 * ledger never takes out more than was refunded, and is exact once every refund is known by id.
 */
export function refundedGrossOf(largestRunningTotal: number, known: KnownRefunds): number {
  let standing = 0;
  let returned = 0;
  for (const refund of Object.values(known)) {
    if (isReturned(refund.status)) returned += refund.amount;
    else standing += refund.amount;
  }
  return Math.max(standing, largestRunningTotal - returned, 0);
}

/** The refunds that came back, oldest id order, to name the entries that return their money. */
export function returnedRefunds(known: KnownRefunds): { id: string; amount: number }[] {
  return Object.entries(known)
    .filter(([, refund]) => isReturned(refund.status))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, refund]) => ({ id, amount: refund.amount }));
}
