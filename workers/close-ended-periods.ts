import { defineJob } from '../src/queue/define-job.js';
import { relayOutbox } from '../src/queue/outbox-relay.js';
import { closeEndedMonths } from '../src/services/period-closing.js';

/** Every minute: close the months that ended in each campaign's timezone and announce them. */
export const closeEndedPeriods = defineJob({
  name: 'period.close',
  recurring: true,
  async handle(ctx) {
    const { closed, failed } = await closeEndedMonths(ctx, new Date(), ctx.config.PERIOD_CLOSE_DELAY_MS);
    if (closed) await relayOutbox(ctx.db, ctx.queues);
    if (failed) throw new Error(`closing months failed for ${failed} campaign(s); see the log, retried next run`);
  },
});
