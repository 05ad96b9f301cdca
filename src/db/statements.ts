import type { Queryable } from './pool.js';

/** One payment or refund of a donor, as an annual statement lists it. */
export interface StatementEntryRow {
  donor_email: string;
  donor_name: string | null;
  at: Date;
  timezone: string;
  receipt_number: string | null;
  campaign: string;
  frequency: 'one_time' | 'monthly';
  amount: number;
  currency: string;
}

export interface StatementWindow {
  from: Date;
  to: Date;
  /** One donor (case-insensitive), or everyone. */
  email?: string;
}

/** Succeeded payments in the window, at what they charged (donation plus covered fee). */
export async function donationsForStatements(db: Queryable, window: StatementWindow): Promise<StatementEntryRow[]> {
  const { rows } = await db.query<StatementEntryRow>(
    `SELECT d.donor_email, d.donor_name, d.paid_at AS at, c.timezone, d.receipt_number, c.name AS campaign,
            d.frequency, d.amount + d.fee_amount AS amount, d.currency
     FROM donations d JOIN campaigns c ON c.id = d.campaign_id
     WHERE d.status = 'succeeded' AND d.donor_email IS NOT NULL AND d.paid_at >= $1 AND d.paid_at < $2
       AND ($3::text IS NULL OR lower(d.donor_email) = lower($3))
     ORDER BY d.paid_at, d.id`,
    [window.from, window.to, window.email ?? null],
  );
  return rows;
}

/**
 * Refund ledger entries in the window. The amount is read as a magnitude, so a statement shows
 * "refunded $5.00" whether the ledger books a refund as a negative or a positive entry.
 */
export async function refundsForStatements(db: Queryable, window: StatementWindow): Promise<StatementEntryRow[]> {
  const { rows } = await db.query<StatementEntryRow>(
    `SELECT d.donor_email, d.donor_name, e.created_at AS at, c.timezone, d.receipt_number, c.name AS campaign,
            d.frequency, abs(e.amount) AS amount, e.currency
     FROM ledger_entries e JOIN donations d ON d.id = e.donation_id JOIN campaigns c ON c.id = d.campaign_id
     WHERE e.kind = 'refund' AND d.donor_email IS NOT NULL AND e.created_at >= $1 AND e.created_at < $2
       AND ($3::text IS NULL OR lower(d.donor_email) = lower($3))
     ORDER BY e.created_at, e.id`,
    [window.from, window.to, window.email ?? null],
  );
  return rows;
}
