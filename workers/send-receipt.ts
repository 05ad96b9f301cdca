import { DelayedError, UnrecoverableError } from 'bullmq';
import { defineJob } from '../src/queue/define-job.js';
import { sendStoredReceipt } from '../src/services/receipt-sending.js';

/** One receipts row (receipt, copy, refund confirmation or statement); see sendStoredReceipt. */
export const sendReceipt = defineJob({
  name: 'receipt.send',
  concurrency: 5,
  async handle(ctx, { receiptId }, job) {
    const outcome = await sendStoredReceipt(ctx, receiptId, { last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
    if (outcome.kind === 'busy') {
      // Waiting for another worker's claim does not use up one of the job's attempts.
      await job.moveToDelayed(outcome.retryAt, job.token);
      throw new DelayedError();
    }
    if (outcome.kind === 'failed') throw outcome.refused ? new UnrecoverableError(outcome.error.message) : outcome.error;
  },
});
