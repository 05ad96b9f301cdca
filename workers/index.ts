import { buildRegistry } from '../src/queue/worker-runtime.js';
import { closeEndedPeriods } from './close-ended-periods.js';
import { deliverWebhook } from './deliver-webhook.js';
import { processStripeEvent } from './process-stripe-event.js';
import { reconcileStripeEvents } from './reconcile-stripe-events.js';
import { sendReceipt } from './send-receipt.js';
import { sweepStoredWork } from './sweep-stored-work.js';

/** One file per job; the registry refuses to start with a job missing or handled twice. */
export function jobRegistry() {
  return buildRegistry([
    processStripeEvent,
    sendReceipt,
    deliverWebhook,
    sweepStoredWork,
    reconcileStripeEvents,
    closeEndedPeriods,
  ]);
}
