import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { EmulatorControls } from '../controls.js';
import { runStripeEmulator } from '../server.js';

export interface TestStripeEmulator {
  /** Base URL, e.g. http://127.0.0.1:41234 — pass as STRIPE_API_BASE. */
  url: string;
  webhookSecret: string;
  /** `startTestService({ ...emulator.env })` points the service at this emulator. */
  env: { STRIPE_API_BASE: string; STRIPE_WEBHOOK_SECRET: string };
  /** The real SDK pointed at the emulator, to read objects back as Stripe would return them. */
  stripe: Stripe;
  /**
   * Drive money paths: pay / decline / settleDelayedPayment / expire / advanceSubscription /
   * refund / openDispute / closeDispute; count Stripe calls: requestCount('POST /v1/checkout/sessions'),
   * requests(), resetRequests(); webhooks: deliveries(), waitForDeliveries(), events(type?);
   * failNext({ status, route, count }) to make Stripe fail.
   */
  controls: EmulatorControls;
  /** Where to send webhooks, once the receiving service is up: `${service.url}/v1/webhooks/stripe`. */
  sendWebhooksTo(url: string | null): void;
  close(): Promise<void>;
}

export interface TestEmulatorOptions {
  webhookUrl?: string;
  webhookSecret?: string;
  /** Webhook retry gaps; short by default so tests waiting for deliveries finish quickly. */
  retryDelaysMs?: number[];
}

/** The Stripe emulator on a free port, for one test file. */
export async function startStripeEmulator(options: TestEmulatorOptions = {}): Promise<TestStripeEmulator> {
  const webhookSecret = options.webhookSecret ?? `whsec_test${randomBytes(12).toString('hex')}`;
  const emulator = await runStripeEmulator({
    port: 0,
    webhook: options.webhookUrl ? { url: options.webhookUrl, secret: webhookSecret } : null,
    retryDelaysMs: options.retryDelaysMs ?? [50, 100, 200, 400],
  });
  const { hostname, port } = new URL(emulator.url);
  return {
    url: emulator.url,
    webhookSecret,
    env: { STRIPE_API_BASE: emulator.url, STRIPE_WEBHOOK_SECRET: webhookSecret },
    stripe: new Stripe('sk_test_goalpost_tests', { host: hostname, port, protocol: 'http', maxNetworkRetries: 0 }),
    controls: emulator.controls,
    sendWebhooksTo(url) {
      emulator.controls.setWebhook(url ? { url, secret: webhookSecret } : null);
    },
    close: () => emulator.close(),
  };
}
