import type Stripe from 'stripe';
import { buildEvent, type EventObject, type EventType } from './builders/event.js';
import { newId, unixNow } from './ids.js';
import { EmulatorStore } from './store.js';
import type { WebhookSender } from './webhooks.js';

/** The API request behind an event (`event.request`); null fields for hosted-page and automatic events. */
export interface EventOrigin {
  id: string | null;
  idempotency_key: string | null;
}

const AUTOMATIC: EventOrigin = { id: null, idempotency_key: null };

/** State shared by the emulator's API, hosted page and test controls. */
export class EmulatorCore {
  readonly store = new EmulatorStore();

  constructor(
    readonly webhooks: WebhookSender,
    /** Base URL donors' browsers reach the emulator at (hosted Checkout pages). */
    public publicUrl: string,
  ) {}

  /** Known only once the server listens (port 0 picks the port). */
  setPublicUrl(url: string): void {
    this.publicUrl = url;
  }

  now(): number {
    return unixNow();
  }

  /** Records an event (for GET /v1/events) and sends it to the webhook endpoint, if any. */
  emit<T extends EventType>(
    type: T,
    object: EventObject<T>,
    options: { origin?: EventOrigin; previous?: Partial<EventObject<T>>; at?: number } = {},
  ): Stripe.Event {
    const event = buildEvent({
      id: newId('evt'),
      type,
      created: options.at ?? this.now(),
      object,
      previousAttributes: options.previous,
      request: options.origin ?? AUTOMATIC,
      pendingWebhooks: this.webhooks.hasTarget ? 1 : 0,
    });
    this.store.insert('event', event);
    this.webhooks.send(event, () => {
      event.pending_webhooks = 0;
    });
    return event;
  }
}
