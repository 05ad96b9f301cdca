import { DelayedError, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { defineJob } from '../src/queue/define-job.js';
import { sendStoredReceipts } from '../src/services/receipt-sending.js';

const receiptId = z.number().int().positive();

/**
 * `{ receiptIds }`, or the `{ receiptId }` of one receipt a job carried before jobs carried
 * several: such jobs may still be waiting (or backing off for hours) in the queue when this
 * version starts, and are sent as a job of one.
 */
const payload = z.union([
  z.object({ receiptIds: z.array(receiptId).min(1) }),
  z.object({ receiptId }).transform(({ receiptId: id }) => ({ receiptIds: [id] })),
]);

/** The receipts rows one ledger batch recorded, or a single mail (copy, statement, donor link); see sendStoredReceipts. */
export const sendReceipt = defineJob({
  name: 'receipt.send',
  // A job sends MAIL_CONNECTIONS mails at once (a batch's up to LEDGER_BATCH_SIZE): two jobs keep
  // the SMTP pool busy while one claims or records, and a single mail (an admin's copy) need not
  // wait behind a batch. More would only queue on the pool with their claims' clocks running.
  concurrency: 2,
  async handle(ctx, data, job, shutdown) {
    const parsed = payload.safeParse(data);
    if (!parsed.success) throw new UnrecoverableError(`receipt.send: unreadable payload (${parsed.error.message})`);
    const outcome = await sendStoredReceipts(ctx, parsed.data.receiptIds, { last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }, shutdown);
    if (outcome.kind === 'later') {
      // Waiting for another worker's claim, or for mails this run did not start, uses up no attempt.
      await job.moveToDelayed(outcome.retryAt, job.token);
      throw new DelayedError();
    }
    if (outcome.kind === 'failed') throw outcome.final ? new UnrecoverableError(outcome.error.message) : outcome.error;
  },
});
