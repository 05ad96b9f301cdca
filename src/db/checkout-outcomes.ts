import type { Queryable } from './pool.js';

/** What the donor asked for at checkout (the row the checkout route wrote), as the ledger reads it. */
export interface CheckoutRequestRow {
  session_id: string;
  campaign_id: number;
  frequency: 'one_time' | 'monthly';
  amount: number;
  fee_amount: number;
  currency: string;
  donor_email: string | null;
  donor_name: string | null;
  anonymous: boolean;
  message: string | null;
  status: 'open' | 'complete' | 'expired';
}

export async function findCheckoutRequest(db: Queryable, sessionId: string): Promise<CheckoutRequestRow | null> {
  const { rows } = await db.query<CheckoutRequestRow>(
    `SELECT session_id, campaign_id, frequency, amount, fee_amount, currency, donor_email, donor_name, anonymous,
            message, status
     FROM checkouts WHERE session_id = $1`,
    [sessionId],
  );
  return rows[0] ?? null;
}

/** A session completes once; only a session still open can expire. */
export async function recordCheckoutOutcome(db: Queryable, sessionId: string, outcome: 'complete' | 'expired'): Promise<void> {
  await db.query(
    outcome === 'complete'
      ? `UPDATE checkouts SET status = 'complete' WHERE session_id = $1 AND status <> 'complete'`
      : `UPDATE checkouts SET status = 'expired' WHERE session_id = $1 AND status = 'open'`,
    [sessionId],
  );
}
