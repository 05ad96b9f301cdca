import { withTransaction, type Db } from '../db/pool.js';
import {
  adjustmentsForStatements,
  donationsForStatements,
  type StatementAdjustmentRow,
  type StatementEntryRow,
} from '../db/statements.js';
import { yearOf } from '../domain/period.js';
import { refundedGrossOf } from '../domain/refunds.js';
import { statementAdjustment } from '../domain/statement-adjustments.js';
import { queueMail } from './receipts.js';

/**
 * What one statement mail shows, fixed when the statement is requested and stored as the
 * payload of its receipts row: a retry hours later sends exactly what was requested.
 */
export interface StatementSnapshot {
  year: number;
  donor_name: string | null;
  donations: StatementSnapshotLine[];
  refunds: StatementSnapshotLine[];
}

export interface StatementSnapshotLine {
  at: string;
  timezone: string;
  receipt_number: string | null;
  campaign: string;
  frequency: 'one_time' | 'monthly';
  amount: number;
  currency: string;
}

interface DonorStatement {
  email: string;
  snapshot: StatementSnapshot;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every donor's (or one donor's) statement for a calendar year. A payment or refund belongs to
 * the year of its date in its campaign's timezone, as its receipt number does; the query reads a
 * day more on each side and `yearOf` decides.
 */
export async function collectStatements(db: Db, year: number, email?: string): Promise<DonorStatement[]> {
  const window = { from: new Date(Date.UTC(year, 0, 1) - DAY_MS), to: new Date(Date.UTC(year + 1, 0, 1) + DAY_MS), email };
  const inYear = (row: StatementEntryRow) => yearOf(row.at, row.timezone) === year;
  const [donations, adjustments] = await Promise.all([donationsForStatements(db, window), adjustmentsForStatements(db, window)]);
  const refunds = takenBack(adjustments.filter(inYear));
  const donors = new Map<string, DonorStatement>();
  const donorOf = (row: StatementEntryRow) => {
    const key = row.donor_email.toLowerCase();
    let donor = donors.get(key);
    if (!donor) donors.set(key, (donor = { email: row.donor_email, snapshot: { year, donor_name: null, donations: [], refunds: [] } }));
    return donor;
  };
  // Payments come oldest first, so the latest address spelling and name given win; a refund only
  // names a donor who made no payment that year.
  for (const row of donations.filter(inYear)) {
    const donor = donorOf(row);
    donor.email = row.donor_email;
    donor.snapshot.donor_name = row.donor_name ?? donor.snapshot.donor_name;
    donor.snapshot.donations.push(snapshotLine(row));
  }
  for (const row of refunds) {
    const donor = donorOf(row);
    donor.snapshot.donor_name ??= row.donor_name;
    donor.snapshot.refunds.push(snapshotLine(row));
  }
  return [...donors.values()];
}

/**
 * One line per donation and kind (refund, lost chargeback) in the year, at what was taken back of
 * the charge (fee included), dated by its latest entry; refunds that came back net out.
 */
function takenBack(rows: StatementAdjustmentRow[]): StatementEntryRow[] {
  const lines = new Map<string, StatementEntryRow>();
  for (const row of rows) {
    const amount = statementAdjustment(row, {
      amount: row.donation_amount,
      fee: row.fee_amount,
      refundedGross: refundedGrossOf(row.refunded_gross, row.refunds),
      disputed: row.disputed_amount,
      dispute: row.dispute_status ? { amount: row.dispute_amount, status: row.dispute_status } : null,
    });
    if (amount === null) continue;
    const key = `${row.donation_id}:${row.kind}`;
    const line = lines.get(key);
    const campaign = row.kind === 'dispute' ? `${row.campaign} (chargeback)` : row.campaign;
    lines.set(key, { ...row, campaign, amount: (line?.amount ?? 0) + amount });
  }
  return [...lines.values()].filter((line) => line.amount > 0);
}

function snapshotLine(row: StatementEntryRow): StatementSnapshotLine {
  return {
    at: row.at.toISOString(),
    timezone: row.timezone,
    receipt_number: row.receipt_number,
    campaign: row.campaign,
    frequency: row.frequency,
    amount: row.amount,
    currency: row.currency,
  };
}

/**
 * Queues the year's statements. Each request is an explicit send: statements are deduplicated per
 * year, donor and `requestKey` only, so asking again sends again, while a retried request
 * carrying the same Idempotency-Key queues nothing new. Returns how many were queued.
 */
export async function queueStatements(db: Db, request: { year: number; email?: string; requestKey: string }): Promise<number> {
  const statements = await collectStatements(db, request.year, request.email);
  return withTransaction(db, async (client) => {
    let queued = 0;
    for (const statement of statements) {
      const receiptId = await queueMail(client, {
        kind: 'statement',
        donationId: null,
        dedupeKey: `statement:${request.year}:${statement.email.toLowerCase()}:${request.requestKey}`,
        toEmail: statement.email,
        payload: statement.snapshot,
      });
      if (receiptId !== null) queued += 1;
    }
    return queued;
  });
}
