import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { loadConfig, shouldRunEmulator } from '../../src/config.js';
import { launchStripeEmulator } from '../../src/dev/launch-emulator.js';
import { createLogger } from '../../src/logger.js';
import { startWebhookReceiver } from '@goalpost/stripe-emulator/testing';
import { oneTimeSession } from '../../packages/stripe-emulator/tests/support.js';

const logger = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' });

describe('running the emulator from configuration', () => {
  it('runs in-process only without a Stripe key and without another STRIPE_API_BASE', () => {
    expect(shouldRunEmulator(loadConfig({}))).toBe(true);
    expect(shouldRunEmulator(loadConfig({ STRIPE_API_BASE: 'http://127.0.0.1:12111', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }))).toBe(false);
    expect(shouldRunEmulator(loadConfig({ STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }))).toBe(false);
  });

  it('refuses to start when a Stripe key is configured', async () => {
    const config = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' });
    await expect(launchStripeEmulator(config, logger, { port: 0 })).rejects.toThrow(/STRIPE_SECRET_KEY/);
  });

  it("sends webhooks to this service's endpoint, signed with its webhook secret", async () => {
    const receiver = await startWebhookReceiver();
    const config = loadConfig({ PUBLIC_BASE_URL: new URL(receiver.url).origin, STRIPE_WEBHOOK_SECRET: 'whsec_launch,whsec_older' });
    const emulator = await launchStripeEmulator(config, logger, { port: 0 });
    try {
      const { hostname, port } = new URL(emulator.url);
      const stripe = new Stripe('sk_test_launch', { host: hostname, port, protocol: 'http' });
      emulator.controls.expire((await oneTimeSession(stripe)).id);
      const [webhook] = await receiver.waitFor((received) => received.length === 1);
      expect(webhook!.path).toBe('/v1/webhooks/stripe');
      const event = stripe.webhooks.constructEvent(webhook!.body, String(webhook!.headers['stripe-signature']), 'whsec_launch');
      expect(event.type).toBe('checkout.session.expired');
    } finally {
      await emulator.close();
      await receiver.close();
    }
  });
});
