import type { Queryable } from './pool.js';
import type { DisputeStatus } from '../domain/ledger.js';
import type { KnownRefunds } from '../domain/refunds.js';

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

/** A refund or dispute ledger entry of a donor's donation, with the donation facts a statement nets it with. */
export interface StatementAdjustmentRow extends Omit<StatementEntryRow, 'amount'> {
  donation_id: string;
  kind: 'refund' | 'dispute';
  /** Signed, as booked. */
  amount: number;
  /** The donation's latest entry of this kind. */
  last: boolean;
  donation_amount: number;
  fee_amount: number;
  refunded_gross: number;
  refunds: KnownRefunds;
  disputed_amount: number;
  dispute_status: DisputeStatus | null;
  dispute_amount: number;
}

/** Refund and dispute ledger entries in the window (domain/statement-adjustments.ts decides what shows). */
export async function adjustmentsForStatements(db: Queryable, window: StatementWindow): Promise<StatementAdjustmentRow[]> {
  const { rows } = await db.query<StatementAdjustmentRow>(
    `SELECT d.id AS donation_id, d.donor_email, d.donor_name, e.created_at AS at, c.timezone, d.receipt_number,
            c.name AS campaign, d.frequency, e.kind, e.amount, e.currency,
            e.id = (SELECT max(l.id) FROM ledger_entries l WHERE l.donation_id = d.id AND l.kind = e.kind) AS last,
            d.amount AS donation_amount, d.fee_amount, d.refunded_gross, d.refunds, d.disputed_amount,
            d.dispute_status, d.dispute_amount
     FROM ledger_entries e JOIN donations d ON d.id = e.donation_id JOIN campaigns c ON c.id = d.campaign_id
     WHERE e.kind IN ('refund', 'dispute') AND d.donor_email IS NOT NULL AND e.created_at >= $1 AND e.created_at < $2
       AND ($3::text IS NULL OR lower(d.donor_email) = lower($3))
     ORDER BY e.created_at, e.id`,
    [window.from, window.to, window.email ?? null],
  );
  return rows;
}
