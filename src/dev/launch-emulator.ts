import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { runStripeEmulator, type StripeEmulator } from '@goalpost/stripe-emulator';

export interface LaunchOverrides {
  port?: number;
  host?: string;
  webhookUrl?: string;
  webhookSecret?: string;
}

/**
 * The emulator as this configuration wants it: on STRIPE_EMULATOR_PORT, sending events to this
 * service's webhook endpoint signed with its (first) webhook secret. Refuses to run next to a
 * real key, so a live deployment can never end up talking to it.
 */
export async function launchStripeEmulator(config: Config, logger: Logger, overrides: LaunchOverrides = {}): Promise<StripeEmulator> {
  if (config.STRIPE_SECRET_KEY) {
    throw new Error('The Stripe emulator does not run when STRIPE_SECRET_KEY is set: Goalpost talks to the real Stripe.');
  }
  return runStripeEmulator({
    port: overrides.port ?? config.STRIPE_EMULATOR_PORT,
    host: overrides.host,
    webhook: {
      url: overrides.webhookUrl ?? `${config.publicBaseUrl}/v1/webhooks/stripe`,
      secret: overrides.webhookSecret ?? config.stripeWebhookSecrets[0]!,
    },
    logger: logger.child({ component: 'stripe-emulator' }),
  });
}
