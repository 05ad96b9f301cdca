import { relayOutbox } from '../src/queue/outbox-relay.js';
import { defineJob } from '../src/queue/define-job.js';

/**
 * Safety net for "enqueue after commit": anything committed while Redis was away, or by a
 * process that died before enqueueing, reaches the queue here.
 */
export const sweepStoredWork = defineJob({
  name: 'maintenance.sweep',
  async handle(ctx) {
    const relayed = await relayOutbox(ctx.db, ctx.queues);
    if (relayed) ctx.logger.info({ relayed }, 'outbox rows swept into the queue');
  },
});
