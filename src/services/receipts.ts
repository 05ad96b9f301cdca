import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../errors.js';
import { writeOutbox } from '../db/outbox.js';
import { runNow, type LockedWork, type Queryable } from '../db/pool.js';
import type { Config } from '../config.js';
import { insertReceipt, strandedReceipts, type ReceiptKind } from '../db/receipts.js';
import type { Queues } from '../queue/queues.js';

/**
 * Gives a donation the next receipt number of a year. The counter row stays locked until the
 * caller's transaction ends, so concurrent donations queue here and a rollback returns the
 * number: numbers are unique and gap-free. One statement, as the lock is the hottest there is.
 */
async function numberDonation(db: Queryable, donationId: string, year: number): Promise<void> {
  await db.query(
    `WITH counter AS (
       INSERT INTO receipt_counters (year, last_number) VALUES ($2, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = receipt_counters.last_number + 1
       RETURNING last_number
     )
     UPDATE donations SET receipt_number = $2::int || '-' || lpad(counter.last_number::text, greatest(6, length(counter.last_number::text)), '0')
     FROM counter WHERE donations.id = $1`,
    [donationId, year],
  );
}

/**
 * Records one mail to send and its job, in the caller's transaction. The dedupe key names the
 * logical mail (one receipt per donation, one confirmation per refund): a second call is a no-op.
 */
export async function queueMail(
  db: Queryable,
  mail: { kind: ReceiptKind; donationId: string | null; dedupeKey: string; toEmail: string; payload?: object },
): Promise<number | null> {
  const receiptId = await insertReceipt(db, mail);
  if (receiptId !== null) await writeOutbox(db, 'receipt.send', { receiptId }, `receipt.send:${receiptId}`);
  return receiptId;
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
  await queueLockedDonationReceipt(db, { id: donationId, ...donation }, year);
}

/**
 * `queueDonationReceipt` for a donation whose row the caller has locked and read. The number
 * is taken by `locked` (right before the commit, in an event's transaction): the mail only
 * needs it once the transaction has committed.
 */
export async function queueLockedDonationReceipt(
  db: Queryable,
  donation: { id: string; receipt_number: string | null; donor_email: string | null },
  year: number,
  locked: LockedWork = runNow,
): Promise<void> {
  if (donation.donor_email) {
    await queueMail(db, { kind: 'receipt', donationId: donation.id, dedupeKey: `receipt:${donation.id}`, toEmail: donation.donor_email });
  }
  if (!donation.receipt_number) await locked(() => numberDonation(db, donation.id, year));
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
  await queueMail(db, {
    kind: 'refund',
    donationId: refund.donationId,
    dedupeKey: `refund:${refund.refundId}`,
    toEmail: email,
    payload: { refund_id: refund.refundId, amount: refund.amount },
  });
}

/**
 * An admin asked for the receipt again: a new mail marked COPY every time (an explicit action,
 * so it is not deduplicated against earlier copies). Returns the new receipts row id.
 */
export async function queueReceiptCopy(db: Queryable, donationId: string): Promise<number> {
  const { rows } = await db.query<{ status: string; receipt_number: string | null; donor_email: string | null }>(
    `SELECT status, receipt_number, donor_email FROM donations WHERE id = $1`,
    [donationId],
  );
  const donation = rows[0];
  if (!donation) throw notFound(`Donation "${donationId}"`);
  if (donation.status !== 'succeeded' || !donation.receipt_number) {
    throw conflict(`Donation "${donationId}" has not succeeded, so it has no receipt to send.`);
  }
  if (!donation.donor_email) throw conflict(`Donation "${donationId}" has no donor email address to send the receipt to.`);
  const receiptId = await queueMail(db, {
    kind: 'copy',
    donationId,
    dedupeKey: `copy:${donationId}:${randomUUID()}`,
    toEmail: donation.donor_email,
  });
  return receiptId!;
}

/**
 * A receipt still to send whose job is gone (Redis lost its data) or finished (it used up its
 * attempts while the database was away, so its failure was never recorded) would never be
 * sent: it gets a job again under the same id. A job still waiting out its backoff is left
 * alone, and so is a row being sent now; one whose sender died is taken over once its claim
 * is abandoned (see the send-receipt job).
 */
export async function requeueStrandedReceipts(
  deps: { db: Queryable; queues: Queues; config: Pick<Config, 'RECEIPT_SENDING_TIMEOUT_MS'> },
  olderThanMs = 60_000,
): Promise<number> {
  let requeued = 0;
  const stranded = await strandedReceipts(deps.db, { olderThanMs, abandonedAfterMs: deps.config.RECEIPT_SENDING_TIMEOUT_MS, limit: 500 });
  for (const { receipt_id, job_id } of stranded) {
    if (await deps.queues.ensure('receipt.send', { receiptId: receipt_id }, { jobId: job_id })) requeued += 1;
  }
  return requeued;
}
