import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import type { Logger } from 'pino';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookDelivery {
  event_id: string;
  type: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
}

/**
 * Stripe's signature scheme (https://docs.stripe.com/webhooks#verify-manually): HMAC-SHA256 of
 * `${timestamp}.${payload}` with the endpoint secret, sent as `t=…,v1=…`.
 */
function signPayload(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

/** Stripe retries for days with growing gaps; the emulator keeps the shape on a developer's scale. */
const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000];

export interface WebhookSenderOptions {
  retryDelaysMs?: number[];
  timeoutMs?: number;
  logger: Logger;
}

/**
 * Delivers events in the order they happened: each event's first attempt waits for the previous
 * event's first attempt (Stripe does not promise order, but a developer reading logs wants it).
 * A non-2xx answer or a network error is retried on its own schedule without holding up others.
 */
export class WebhookSender {
  private target: WebhookTarget | null = null;
  private readonly log: WebhookDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  setTarget(target: WebhookTarget | null): void {
    this.target = target;
  }

  get hasTarget(): boolean {
    return this.target !== null;
  }

  deliveries(): WebhookDelivery[] {
    return this.log.map((delivery) => ({ ...delivery }));
  }

  /** Resolves once every delivery so far has succeeded or used up its retries. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  send(event: Stripe.Event, onDelivered: () => void): void {
    const target = this.target;
    if (!target || this.closed) return;
    const delivery: WebhookDelivery = {
      event_id: event.id,
      type: event.type,
      url: target.url,
      status: 'pending',
      attempts: 0,
      last_status: null,
      last_error: null,
    };
    this.log.push(delivery);
    this.pending += 1;
    const payload = JSON.stringify(event, null, 2);
    const attempt = async () => {
      if (this.closed) return;
      const delivered = await this.attempt(delivery, payload, target.secret);
      if (delivered) return this.finish(delivery, 'delivered', onDelivered);
      this.scheduleRetry(delivery, payload, target.secret, onDelivered);
    };
    this.chain = this.chain.then(attempt);
  }

  private async attempt(delivery: WebhookDelivery, payload: string, secret: string): Promise<boolean> {
    delivery.attempts += 1;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signPayload(payload, secret, Math.floor(Date.now() / 1000)),
        },
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      delivery.last_status = response.status;
      delivery.last_error = null;
      const ok = response.status >= 200 && response.status < 300;
      this.options.logger[ok ? 'debug' : 'warn'](
        { event: delivery.event_id, type: delivery.type, status: response.status, attempt: delivery.attempts },
        ok ? 'stripe emulator: webhook delivered' : 'stripe emulator: webhook answered non-2xx; will retry',
      );
      return ok;
    } catch (error) {
      delivery.last_error = (error as Error).message;
      this.options.logger.warn(
        { event: delivery.event_id, type: delivery.type, url: delivery.url, err: error, attempt: delivery.attempts },
        'stripe emulator: webhook delivery failed; will retry',
      );
      return false;
    }
  }

  private scheduleRetry(delivery: WebhookDelivery, payload: string, secret: string, onDelivered: () => void): void {
    const delay = this.retryDelaysMs[delivery.attempts - 1];
    if (delay === undefined || this.closed) return this.finish(delivery, 'failed', onDelivered);
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      if (this.closed) return this.finish(delivery, 'failed', onDelivered);
      if (await this.attempt(delivery, payload, secret)) return this.finish(delivery, 'delivered', onDelivered);
      this.scheduleRetry(delivery, payload, secret, onDelivered);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private finish(delivery: WebhookDelivery, status: 'delivered' | 'failed', onDelivered: () => void): void {
    if (delivery.status !== 'pending') return;
    delivery.status = status;
    if (status === 'delivered') onDelivered();
    this.pending -= 1;
    if (this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // Deliveries not yet made or waiting for a retry will never run now; settle them so idle()
    // waiters resume.
    for (const delivery of this.log) if (delivery.status === 'pending') delivery.status = 'failed';
    this.pending = 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
