import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../errors.js';
import { writeOutbox } from '../db/outbox.js';
import type { Queryable } from '../db/pool.js';
import { insertReceipt, numberReceipts, strandedPendingReceipts, type ReceiptKind } from '../db/receipts.js';
import { QUEUES } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';

export interface MailRequest {
  kind: ReceiptKind;
  donationId: string | null;
  dedupeKey: string;
  toEmail: string;
  payload?: object;
}

/**
 * Records one mail to send and its job, in the caller's transaction. The dedupe key names the
 * logical mail (one receipt per donation, one confirmation per refund): a second call is a no-op.
 * (The ledger records its mails per batch: ledger/apply.ts.)
 */
export async function queueMail(db: Queryable, mail: MailRequest): Promise<number | null> {
  const receiptId = await insertReceipt(db, mail);
  if (receiptId !== null) await writeOutbox(db, 'receipt.send', { receiptId }, `receipt.send:${receiptId}`);
  return receiptId;
}

/** The receipt mail of a new succeeded donation, once per donation; none without an email. */
export function donationReceiptMail(donation: { id: string; donor_email: string | null }): MailRequest | null {
  if (!donation.donor_email) return null;
  return { kind: 'receipt', donationId: donation.id, dedupeKey: `receipt:${donation.id}`, toEmail: donation.donor_email };
}

/**
 * Called in the transaction that makes a donation succeeded: numbers it (once) and queues its
 * receipt (once) through the outbox. Donations without an email get a number but no mail.
 * (The ledger does the same for a whole batch of events: services/ledger/apply.ts.)
 */
export async function queueDonationReceipt(db: Queryable, donationId: string, year: number): Promise<void> {
  const { rows } = await db.query<{ receipt_number: string | null; donor_email: string | null }>(
    `SELECT receipt_number, donor_email FROM donations WHERE id = $1 FOR UPDATE`,
    [donationId],
  );
  const donation = rows[0];
  if (!donation) throw new Error(`donation ${donationId} not found`);
  const mail = donationReceiptMail({ id: donationId, donor_email: donation.donor_email });
  if (mail) await queueMail(db, mail);
  if (!donation.receipt_number) await numberReceipts(db, [{ donationId, year }]);
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
 * A pending receipt whose job Redis no longer holds (its data was lost) would never be sent:
 * put it back under the same job id. A job still waiting out its backoff is left alone.
 */
export async function requeueStrandedReceipts(deps: { db: Queryable; queues: Queues }, olderThanMs = 15 * 60_000): Promise<number> {
  let requeued = 0;
  for (const { receipt_id, job_id } of await strandedPendingReceipts(deps.db, olderThanMs, 500)) {
    if (await deps.queues.queue(QUEUES.receipts).getJob(job_id)) continue;
    await deps.queues.enqueue('receipt.send', { receiptId: receipt_id }, { jobId: job_id });
    requeued += 1;
  }
  return requeued;
}
