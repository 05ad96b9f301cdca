/**
 * `npm run stripe:emulator -- --port 12111 [--host 127.0.0.1] [--webhook-url URL] [--webhook-secret whsec_...]`:
 * the Stripe emulator on its own, for `npm run api` + `npm run worker` setups without a Stripe key.
 */
import { parseArgs } from 'node:util';
import { launchStripeEmulator } from '../dev/launch-emulator.js';
import { createLogger } from '../logger.js';
import { configOrExit } from '../runtime.js';

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer between 0 and 65535, got "${value}"\n`);
    process.exit(1);
  }
  return port;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
  },
});
const config = configOrExit();
if (config.STRIPE_SECRET_KEY) {
  process.stderr.write('STRIPE_SECRET_KEY is set, so Goalpost uses the real Stripe; the emulator does not start.\n');
  process.exit(1);
}
const logger = createLogger(config);
// Without --webhook-secret or STRIPE_WEBHOOK_SECRET the secret is made up for this run (never a
// constant anyone could read in the code): printed, so `npm run api` can be given it.
const webhookSecret = values['webhook-secret'] ?? config.stripeWebhookSecrets[0]!;
const emulator = await launchStripeEmulator(config, logger, {
  port: portOf(values.port),
  host: values.host,
  webhookUrl: values['webhook-url'],
  webhookSecret,
});
process.stdout.write(
  `Stripe emulator on ${emulator.url}. Start the API with:\n  STRIPE_API_BASE=${emulator.url} STRIPE_WEBHOOK_SECRET=${webhookSecret} npm run api\n`,
);
const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
