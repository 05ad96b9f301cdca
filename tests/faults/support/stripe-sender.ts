import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import { stripeSignature } from '../../../bench/lib/stripe-events.js';
import { WEBHOOK_SECRET } from './drill.js';

export interface SenderReport {
  deliveries: number;
  /** Answers by status code (0 = no answer: connection refused, reset, timeout). */
  statuses: Record<number, number>;
}

/**
 * Delivers events to a webhook URL the way Stripe does: signed at send time, several at once,
 * and each one that is not answered 2xx sent again after a growing delay until it is.
 * `onSent` lets a drill break something after a given number of deliveries.
 */
export async function deliverLikeStripe(
  url: string,
  events: readonly Stripe.Event[],
  options: {
    concurrency?: number;
    /** Spreads the first attempts out to about this many per second. */
    perSecond?: number;
    giveUpAfterMs?: number;
    onSent?: (count: number) => void | Promise<void>;
  } = {},
): Promise<SenderReport> {
  const concurrency = options.concurrency ?? 8;
  const pauseMs = options.perSecond ? (1_000 * concurrency) / options.perSecond : 0;
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 120_000);
  const report: SenderReport = { deliveries: 0, statuses: {} };
  let next = 0;

  const attempt = async (body: string): Promise<number> => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': stripeSignature(body, WEBHOOK_SECRET) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  };

  const deliverOne = async (event: Stripe.Event) => {
    const body = JSON.stringify(event);
    for (let retry = 0; ; retry += 1) {
      const status = await attempt(body);
      report.deliveries += 1;
      report.statuses[status] = (report.statuses[status] ?? 0) + 1;
      await options.onSent?.(report.deliveries);
      if (status >= 200 && status < 300) return;
      if (Date.now() > giveUpAt) throw new Error(`event ${event.id} still not accepted (last status ${status})`);
      // Stripe's schedule is hours long; the drill keeps its shape at a test's scale.
      await sleep(Math.min(250 * 2 ** retry, 4_000));
    }
  };

  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length) {
        await deliverOne(events[next++]!);
        if (pauseMs) await sleep(pauseMs);
      }
    }),
  );
  return report;
}
