import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../errors.js';
import { withTransaction, type Db, type Queryable } from '../db/pool.js';
import type { Config } from '../config.js';
import {
  donationReceiptState,
  insertReceiptsWithJob,
  listReceipts,
  numberReceipts,
  strandedReceipts,
  type MailRequest,
  type ReceiptListRow,
} from '../db/receipts.js';
import type { Queues } from '../queue/queues.js';

/**
 * Records one mail to send and its job (a job of one), in the caller's transaction. The dedupe
 * key names the logical mail (one receipt per donation, one confirmation per refund): a second
 * call is a no-op and returns null. (The ledger records one job for a batch's mails: ledger/apply.ts.)
 */
export async function queueMail(db: Queryable, mail: MailRequest): Promise<number | null> {
  const job = await insertReceiptsWithJob(db, [mail]);
  return job?.receiptIds[0] ?? null;
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
  const donation = await donationReceiptState(db, donationId, { forUpdate: true });
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
  const email = (await donationReceiptState(db, refund.donationId))?.donor_email;
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
  const donation = await donationReceiptState(db, donationId);
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
 * sent: its job is made again under the same id, with that job's rows still to send. A job
 * still waiting out its backoff is left alone, and so is a row being sent now; one whose sender
 * died is taken over once its claim is abandoned (see sendStoredReceipts).
 */
export async function requeueStrandedReceipts(
  deps: { db: Queryable; queues: Queues; config: Pick<Config, 'RECEIPT_SENDING_TIMEOUT_MS' | 'RECEIPT_REQUEUE_AFTER_MS'> },
): Promise<number> {
  let requeued = 0;
  const stranded = await strandedReceipts(deps.db, { olderThanMs: deps.config.RECEIPT_REQUEUE_AFTER_MS, abandonedAfterMs: deps.config.RECEIPT_SENDING_TIMEOUT_MS, limit: 500 });
  for (const { job_id, receipt_ids } of stranded) {
    if (await deps.queues.ensure('receipt.send', { receiptIds: receipt_ids }, { jobId: job_id })) requeued += 1;
  }
  return requeued;
}

/** `queueReceiptCopy` in its own transaction; the new mail's id. */
export function sendReceiptCopy(db: Db, donationId: string): Promise<number> {
  return withTransaction(db, (client) => queueReceiptCopy(client, donationId));
}

/** One mail with its delivery state and the donation's receipt number. */
export async function findMail(db: Queryable, receiptId: number): Promise<ReceiptListRow | null> {
  const [row] = await listReceipts(db, { id: receiptId, limit: 1 });
  return row ?? null;
}

/** Mails, newest first, keyset-paged by id. */
export function listMails(db: Queryable, filter: Parameters<typeof listReceipts>[1]): Promise<ReceiptListRow[]> {
  return listReceipts(db, filter);
}

/** A donation's mails, newest first; not found when the donation does not exist. */
export async function listDonationMails(
  db: Queryable,
  donationId: string,
  page: { beforeId?: number; limit: number },
): Promise<ReceiptListRow[]> {
  if (!(await donationReceiptState(db, donationId))) throw notFound(`Donation "${donationId}"`);
  return listReceipts(db, { donationId, ...page });
}
