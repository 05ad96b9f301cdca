import { randomBytes } from 'node:crypto';
import { writeOutbox } from '../db/outbox.js';
import type { Queryable } from '../db/pool.js';
import { insertWebhookEvent } from '../db/webhooks.js';

export const CONSUMER_EVENT_TYPES = [
  'donation.succeeded',
  'donation.refunded',
  'donation.disputed',
  // An offline donation an admin voided (recorded by mistake, a cheque that bounced).
  'donation.voided',
  'tier.reached',
  'goal.reached',
  'period.closed',
  // Monthly donations (issue 11).
  'donation.failed',
  'subscription.created',
  'subscription.updated',
  'subscription.canceled',
  'period.restated',
] as const;
export type ConsumerEventType = (typeof CONSUMER_EVENT_TYPES)[number];

/** Standard Webhooks asks for small payloads; ours are bounded by design (a message is ≤ 500 characters). */
export const MAX_CONSUMER_PAYLOAD_BYTES = 20 * 1024;

export interface ConsumerEventBody {
  type: ConsumerEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * Records an event for webhook consumers inside the caller's transaction (the outbox), so it
 * exists exactly when the money change that caused it does. `dedupeKey` names the logical event
 * (e.g. one tier in one period): emitting it again is a no-op. Returns the event id, or null
 * when it had been emitted before.
 */
export async function emitConsumerEvent(
  db: Queryable,
  event: { type: ConsumerEventType; data: Record<string, unknown>; dedupeKey: string; at?: Date },
): Promise<string | null> {
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const body: ConsumerEventBody = { type: event.type, timestamp: (event.at ?? new Date()).toISOString(), data: event.data };
  const size = Buffer.byteLength(JSON.stringify(body));
  if (size >= MAX_CONSUMER_PAYLOAD_BYTES) {
    // A builder put something unbounded in a payload: a bug to fix, not an event to send.
    throw new Error(`${event.type} payload is ${size} bytes; consumer payloads stay under ${MAX_CONSUMER_PAYLOAD_BYTES}`);
  }
  if (!(await insertWebhookEvent(db, { id, type: event.type, payload: JSON.stringify(body), dedupeKey: event.dedupeKey }))) return null;
  await writeOutbox(db, 'webhook.fan-out', { eventId: id }, `fan-out:${id}`);
  return id;
}
