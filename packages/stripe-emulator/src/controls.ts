import express, { Router, type Request, type Response } from 'express';
import type Stripe from 'stripe';
import type { EmulatorCore } from './core.js';
import { invalidRequest, StripeApiError } from './errors.js';
import type { FaultQueue, FaultSpec } from './faults.js';
import { closeDispute, createRefund, failRefund, openDispute } from './flows/adjustments.js';
import { expireCheckoutSession } from './flows/checkout.js';
import { declineCheckoutSession, payCheckoutSession, settleDelayedPayment, type PayOptions } from './flows/hosted-checkout.js';
import { advanceSubscription, failNextRenewal, retryInvoice } from './flows/subscriptions.js';
import { Params } from './params.js';
import type { RecordedRequest, RequestLog } from './requests.js';
import type { WebhookDelivery, WebhookTarget } from './webhooks.js';

/**
 * What tests and the dashboard demo drive: every money path Stripe can take, each sending the
 * events real Stripe sends. Available in-process (src/testing/emulator.ts) and over HTTP under
 * /_emulator (see `controlsRouter`).
 */
export class EmulatorControls {
  constructor(
    private readonly core: EmulatorCore,
    private readonly log: RequestLog,
    private readonly faults: FaultQueue,
  ) {}

  pay(sessionId: string, options: PayOptions = {}): Stripe.Checkout.Session {
    return payCheckoutSession(this.core, sessionId, options);
  }

  decline(sessionId: string, options: PayOptions = {}): Stripe.Checkout.Session {
    return declineCheckoutSession(this.core, sessionId, options);
  }

  settleDelayedPayment(sessionId: string, outcome: 'succeeded' | 'failed'): Stripe.Checkout.Session {
    return settleDelayedPayment(this.core, sessionId, outcome);
  }

  expire(sessionId: string): Stripe.Checkout.Session {
    return expireCheckoutSession(this.core, sessionId);
  }

  advanceSubscription(subscriptionId: string, options: { outcome?: 'paid' | 'failed'; at?: number } = {}): Stripe.Invoice {
    return advanceSubscription(this.core, subscriptionId, options).invoice;
  }

  /** The subscription's card declines from now on: its next renewal fails (card_declined). */
  failNextRenewal(subscriptionId: string): Stripe.Subscription {
    return failNextRenewal(this.core, subscriptionId);
  }

  /** Stripe retries a failed invoice (Smart Retries): paid by default, or failed again. */
  retryInvoice(invoiceId: string, options: { outcome?: 'paid' | 'failed'; at?: number } = {}): Stripe.Invoice {
    return retryInvoice(this.core, invoiceId, options.outcome, options.at);
  }

  /** A refund made outside Goalpost (e.g. in the Stripe dashboard). */
  refund(chargeId: string, amount?: number): Stripe.Refund {
    const params: Record<string, string> = { charge: chargeId };
    if (amount !== undefined) params.amount = String(amount);
    return createRefund(this.core, new Params(params));
  }

  /** The refund fails (its money returns to the charge) or is canceled. */
  failRefund(refundId: string, status: 'failed' | 'canceled' = 'failed'): Stripe.Refund {
    return failRefund(this.core, refundId, status);
  }

  openDispute(chargeId: string, options: { amount?: number; reason?: string } = {}): Stripe.Dispute {
    return openDispute(this.core, chargeId, options);
  }

  closeDispute(disputeId: string, status: 'won' | 'lost'): Stripe.Dispute {
    return closeDispute(this.core, disputeId, status);
  }

  failNext(spec: FaultSpec = {}): void {
    this.faults.add(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setWebhook(target: WebhookTarget | null): void {
    this.core.webhooks.setTarget(target);
  }

  /** Stripe API requests answered, per route (`POST /v1/checkout/sessions`) or in total. */
  requestCount(route?: string): number {
    return this.log.count(route);
  }

  requestCounts(): Record<string, number> {
    return this.log.counts();
  }

  requests(): RecordedRequest[] {
    return this.log.all();
  }

  resetRequests(): void {
    this.log.reset();
  }

  deliveries(): WebhookDelivery[] {
    return this.core.webhooks.deliveries();
  }

  /** Resolves when every webhook sent so far was delivered or ran out of retries. */
  waitForDeliveries(): Promise<void> {
    return this.core.webhooks.idle();
  }

  events(type?: string): Stripe.Event[] {
    return structuredClone(this.core.store.list('event', (event) => !type || event.type === type));
  }
}

const sendError = (res: Response, error: unknown) => {
  if (!(error instanceof StripeApiError)) throw error;
  res.status(error.status).json(error.toJSON());
};

type Body = Record<string, unknown>;
const optionalString = (body: Body, key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
const optionalInteger = (body: Body, key: string) => {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw invalidRequest(`${key} must be an integer`, key);
  return value as number;
};
function oneOf<T extends string>(body: Body, key: string, allowed: readonly T[]): T | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw invalidRequest(`${key} must be one of ${allowed.join(', ')}`, key);
  return value as T;
}

/** The HTTP form of the test controls; JSON in, the affected Stripe object out. */
export function controlsRouter(controls: EmulatorControls): Router {
  const router = Router();
  router.use('/_emulator', express.json());
  const handle = (method: 'get' | 'post' | 'put' | 'delete', path: string, run: (req: Request) => unknown) =>
    router[method](`/_emulator${path}`, (req, res) => {
      try {
        const result = run(req);
        res.status(result === undefined ? 204 : 200);
        if (result === undefined) res.end();
        else res.json(result);
      } catch (error) {
        sendError(res, error);
      }
    });
  const idOf = (req: Request) => String(req.params.id);
  const body = (req: Request): Body => (req.body && typeof req.body === 'object' ? (req.body as Body) : {});

  handle('post', '/checkout/sessions/:id/pay', (req) =>
    controls.pay(idOf(req), {
      method: oneOf(body(req), 'method', ['card', 'delayed'] as const),
      email: optionalString(body(req), 'email'),
      name: optionalString(body(req), 'name'),
    }),
  );
  handle('post', '/checkout/sessions/:id/decline', (req) => controls.decline(idOf(req)));
  handle('post', '/checkout/sessions/:id/settle', (req) =>
    controls.settleDelayedPayment(idOf(req), oneOf(body(req), 'outcome', ['succeeded', 'failed'] as const) ?? 'succeeded'),
  );
  handle('post', '/checkout/sessions/:id/expire', (req) => controls.expire(idOf(req)));
  handle('post', '/subscriptions/:id/advance', (req) =>
    controls.advanceSubscription(idOf(req), {
      outcome: oneOf(body(req), 'outcome', ['paid', 'failed'] as const),
      at: optionalInteger(body(req), 'at'),
    }),
  );
  handle('post', '/subscriptions/:id/fail-next-renewal', (req) => controls.failNextRenewal(idOf(req)));
  handle('post', '/invoices/:id/retry', (req) =>
    controls.retryInvoice(idOf(req), {
      outcome: oneOf(body(req), 'outcome', ['paid', 'failed'] as const),
      at: optionalInteger(body(req), 'at'),
    }),
  );
  handle('post', '/charges/:id/refund', (req) => controls.refund(idOf(req), optionalInteger(body(req), 'amount')));
  handle('post', '/refunds/:id/fail', (req) =>
    controls.failRefund(idOf(req), oneOf(body(req), 'status', ['failed', 'canceled'] as const) ?? 'failed'),
  );
  handle('post', '/charges/:id/dispute', (req) =>
    controls.openDispute(idOf(req), { amount: optionalInteger(body(req), 'amount'), reason: optionalString(body(req), 'reason') }),
  );
  handle('post', '/disputes/:id/close', (req) =>
    controls.closeDispute(idOf(req), oneOf(body(req), 'status', ['won', 'lost'] as const) ?? 'won'),
  );
  handle('post', '/faults', (req) => controls.failNext(body(req) as FaultSpec));
  handle('delete', '/faults', () => controls.clearFaults());
  handle('put', '/webhook', (req) => {
    const url = optionalString(body(req), 'url');
    const secret = optionalString(body(req), 'secret');
    if (url && !secret) throw invalidRequest('secret is required with url', 'secret');
    controls.setWebhook(url && secret ? { url, secret } : null);
  });
  handle('get', '/requests', () => ({ counts: controls.requestCounts(), requests: controls.requests() }));
  handle('delete', '/requests', () => controls.resetRequests());
  handle('get', '/webhooks/deliveries', () => ({ data: controls.deliveries() }));
  return router;
}

