import { defineJob } from '../src/queue/define-job.js';

// PLACEHOLDER: replaced by the issue that implements this job.
export const sendReceipt = defineJob({
  name: 'receipt.send',
  async handle() {
    throw new Error('receipt.send is not implemented yet');
  },
});
