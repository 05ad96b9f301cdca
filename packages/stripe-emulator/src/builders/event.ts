import type Stripe from 'stripe';
import { API_VERSION } from './common.js';

export type EventType = Stripe.Event['type'];
/** The object an event of this type carries, per the SDK's event union. */
export type EventObject<T extends EventType> = Extract<Stripe.Event, { type: T }>['data']['object'];

export interface EventInit<T extends EventType> {
  id: string;
  type: T;
  created: number;
  object: EventObject<T>;
  previousAttributes?: Partial<EventObject<T>>;
  request: { id: string | null; idempotency_key: string | null } | null;
  pendingWebhooks: number;
}

/** The object is deep-copied: an event shows the object as it was when it happened. */
export function buildEvent<T extends EventType>(init: EventInit<T>): Stripe.Event {
  const data: { object: unknown; previous_attributes?: unknown } = { object: structuredClone(init.object) };
  if (init.previousAttributes) data.previous_attributes = structuredClone(init.previousAttributes);
  return {
    id: init.id,
    object: 'event',
    api_version: API_VERSION,
    created: init.created,
    data,
    livemode: false,
    pending_webhooks: init.pendingWebhooks,
    request: init.request,
    type: init.type,
  } as Stripe.Event;
}
