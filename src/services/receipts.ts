import { writeOutbox } from '../db/outbox.js';
import type { Queryable } from '../db/pool.js';

/**
 * Takes the next receipt number of a year. The counter row stays locked until the caller's
 * transaction ends, so concurrent donations queue here and a rollback returns the number:
 * numbers are unique and gap-free.
 */
export async function nextReceiptNumber(db: Queryable, year: number): Promise<string> {
  const { rows } = await db.query<{ last_number: number }>(
    `INSERT INTO receipt_counters (year, last_number) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_number = receipt_counters.last_number + 1
     RETURNING last_number`,
    [year],
  );
  return `${year}-${String(rows[0]!.last_number).padStart(6, '0')}`;
}

/**
 * Called in the transaction that makes a donation succeeded: numbers it (once) and queues its
 * receipt (once) through the outbox. Donations without an email get a number but no mail.
 */
export async function queueDonationReceipt(db: Queryable, donationId: string, year: number): Promise<void> {
  const { rows } = await db.query<{ receipt_number: string | null; donor_email: string | null }>(
    `SELECT receipt_number, donor_email FROM donations WHERE id = $1 FOR UPDATE`,
    [donationId],
  );
  const donation = rows[0];
  if (!donation) throw new Error(`donation ${donationId} not found`);
  if (!donation.receipt_number) {
    await db.query(`UPDATE donations SET receipt_number = $2 WHERE id = $1`, [donationId, await nextReceiptNumber(db, year)]);
  }
  if (!donation.donor_email) return;
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO receipts (kind, donation_id, dedupe_key, to_email) VALUES ('receipt', $1, $2, $3)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [donationId, `receipt:${donationId}`, donation.donor_email],
  );
  const receipt = inserted.rows[0];
  if (receipt) await writeOutbox(db, 'receipt.send', { receiptId: receipt.id }, `receipt.send:${receipt.id}`);
}

/** Queues the donor's short refund confirmation (once per Stripe refund), in the refund's transaction. */
export async function queueRefundConfirmation(
  db: Queryable,
  refund: { donationId: string; refundId: string; amount: number },
): Promise<void> {
  const { rows } = await db.query<{ donor_email: string | null }>(`SELECT donor_email FROM donations WHERE id = $1`, [
    refund.donationId,
  ]);
  const email = rows[0]?.donor_email;
  if (!email) return;
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO receipts (kind, donation_id, dedupe_key, to_email, payload) VALUES ('refund', $1, $2, $3, $4)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [refund.donationId, `refund:${refund.refundId}`, email, JSON.stringify({ refund_id: refund.refundId, amount: refund.amount })],
  );
  const receipt = inserted.rows[0];
  if (receipt) await writeOutbox(db, 'receipt.send', { receiptId: receipt.id }, `receipt.send:${receipt.id}`);
}
