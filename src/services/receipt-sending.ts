import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/pool.js';
import { claimReceipt, findReceipt, markReceiptSent, releaseReceipt, type ReceiptRow } from '../db/receipts.js';
import { isRecipientRejected } from '../integrations/mail.js';
import { countReceipt } from '../metrics.js';
import { composeReceiptMail } from './receipt-mail.js';

/** What became of one attempt; the job runner turns it into a retry, a delay or the end. */
export type SendOutcome =
  | { kind: 'sent' }
  /** Already sent or failed for good (a duplicate job, a replay): nothing to do. */
  | { kind: 'done' }
  /** Another worker is sending it: look again at `retryAt` (ms since epoch). */
  | { kind: 'busy'; retryAt: number }
  /** Not sent; retried unless `final` (the last attempt, or `refused`: the server refuses the recipient for good). */
  | { kind: 'failed'; error: Error; final: boolean; refused: boolean };

/**
 * Sends one receipts row (receipt, copy, refund confirmation or statement), at most once as far
 * as this side can tell:
 *
 * 1. Claim: pending → sending, attempts + 1, committed before any SMTP traffic. A row already
 *    sent or failed is a no-op (duplicate job, replay), so is a row another worker is sending.
 * 2. Send with a Message-ID derived from the row, then record sent + message id.
 * 3. An SMTP failure hands the row back as pending and reports it failed, so BullMQ retries it with backoff;
 *    the last attempt (or a recipient the server refuses for good) leaves it failed with the error.
 *
 * The window left: a worker killed after the server accepted the message and before step 2's
 * commit leaves the row 'sending'. After RECEIPT_SENDING_TIMEOUT_MS (far above any live send)
 * another attempt takes it over and sends again with the same Message-ID. We prefer a possible
 * duplicate, recognisable as such, to a receipt that silently never arrives.
 */
export async function sendStoredReceipt(ctx: AppContext, receiptId: number, attempt: { last: boolean }): Promise<SendOutcome> {
  // One statement claims the row and reads what its mail shows; marking it sent is the other.
  const receipt = await claimReceipt(ctx.db, receiptId, ctx.config.RECEIPT_SENDING_TIMEOUT_MS);
  if (!receipt) return notClaimed(ctx, receiptId);
  let messageId: string;
  try {
    const mail = await composeReceiptMail(ctx.db, ctx.config, receipt);
    messageId = mail.messageId;
    await ctx.mailer.send(mail);
  } catch (error) {
    return recordFailure(ctx, receipt, attempt.last, error);
  }
  // Deliberately outside the catch: failing to record a delivered mail must not mark it for resending.
  await recordSent(ctx, receipt, messageId);
  countReceipt(receipt.kind, 'sent');
  ctx.logger.info({ receiptId, kind: receipt.kind, attempt: receipt.attempts, messageId }, 'receipt sent');
  return { kind: 'sent' };
}

/** How often a delivered mail's record is tried again while the database is away. */
const RECORD_SENT_RETRY_MS = 1_000;

/**
 * Records a delivered mail, waiting out a database outage (up to the claim's own lifetime) rather
 * than giving up: a receipt whose delivery went unrecorded would be taken over and sent twice.
 */
async function recordSent(ctx: AppContext, receipt: ReceiptRow, messageId: string): Promise<void> {
  const giveUpAt = Date.now() + ctx.config.RECEIPT_SENDING_TIMEOUT_MS;
  for (;;) {
    try {
      return await markReceiptSent(ctx.db, receipt.id, messageId);
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + RECORD_SENT_RETRY_MS >= giveUpAt) throw error;
      ctx.logger.debug({ receiptId: receipt.id }, 'receipt sent but the database is away; recording it again shortly');
      await sleep(RECORD_SENT_RETRY_MS);
    }
  }
}

/**
 * Someone else has the row, or it is finished. A row another worker is sending is looked at again
 * when that claim would count as abandoned: by then it is sent, or its worker died and this job
 * takes over. Waiting does not use up one of the job's attempts.
 */
async function notClaimed(ctx: AppContext, receiptId: number): Promise<SendOutcome> {
  const current = await findReceipt(ctx.db, receiptId);
  if (current?.status === 'sending' && current.claimed_at) {
    const abandonedAt = current.claimed_at.getTime() + ctx.config.RECEIPT_SENDING_TIMEOUT_MS + 1_000;
    ctx.logger.debug({ receiptId, until: new Date(abandonedAt) }, 'receipt is being sent by another worker; checking later');
    return { kind: 'busy', retryAt: abandonedAt };
  }
  if (current?.status === 'pending') throw new Error(`receipt ${receiptId} was handed back while claiming; retrying`);
  ctx.logger.debug({ receiptId, status: current?.status ?? 'missing' }, 'receipt already handled; nothing to send');
  return { kind: 'done' };
}

/** Records the failed attempt: retried unless this was the end. */
async function recordFailure(ctx: AppContext, receipt: ReceiptRow, lastAttempt: boolean, error: unknown): Promise<SendOutcome> {
  const reason = error instanceof Error ? error.message : String(error);
  const refused = isRecipientRejected(error);
  const final = refused || lastAttempt;
  await releaseReceipt(ctx.db, receipt.id, receipt.attempts, { status: final ? 'failed' : 'pending', error: reason.slice(0, 2_000) });
  countReceipt(receipt.kind, 'failed');
  ctx.logger.warn(
    { err: error, receiptId: receipt.id, kind: receipt.kind, attempt: receipt.attempts, final },
    final ? 'receipt failed for good' : 'receipt not sent; will retry',
  );
  return { kind: 'failed', error: error instanceof Error ? error : new Error(reason), final, refused };
}
