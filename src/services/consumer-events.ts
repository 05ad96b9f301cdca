import { randomBytes } from 'node:crypto';
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

export interface ConsumerEventRequest {
  type: ConsumerEventType;
  data: Record<string, unknown>;
  dedupeKey: string;
  at?: Date;
}

/** The webhook_events row of an event: a new id and its body, checked for size. */
export function consumerEventRow(event: ConsumerEventRequest): { id: string; type: ConsumerEventType; payloadJson: string; dedupeKey: string } {
  const body: ConsumerEventBody = { type: event.type, timestamp: (event.at ?? new Date()).toISOString(), data: event.data };
  const payloadJson = JSON.stringify(body);
  const size = Buffer.byteLength(payloadJson);
  if (size >= MAX_CONSUMER_PAYLOAD_BYTES) {
    // A builder put something unbounded in a payload: a bug to fix, not an event to send.
    throw new Error(`${event.type} payload is ${size} bytes; consumer payloads stay under ${MAX_CONSUMER_PAYLOAD_BYTES}`);
  }
  return { id: `msg_${randomBytes(12).toString('hex')}`, type: event.type, payloadJson, dedupeKey: event.dedupeKey };
}

/**
 * Records an event for webhook consumers inside the caller's transaction, with one delivery per
 * subscribed endpoint and the outbox row of its first attempt, so they exist exactly when the
 * change that caused them does. `dedupeKey` names the logical event (e.g. one period closed):
 * emitting it again is a no-op. Returns the event id, or null when it had been emitted before.
 * (The ledger records its events per batch: ledger/apply.ts.)
 */
export async function emitConsumerEvent(db: Queryable, event: ConsumerEventRequest): Promise<string | null> {
  const row = consumerEventRow(event);
  const jobs = await insertWebhookEvent(db, { id: row.id, type: row.type, payload: row.payloadJson, dedupeKey: row.dedupeKey });
  return jobs ? row.id : null;
}
