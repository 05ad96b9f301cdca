/** `npm start`: migrations, then the API and the workers in one process (plus the Stripe emulator without a key). */
import { shouldRunEmulator } from '../config.js';
import { boot, drainOnSignal, listen, runWorkers } from '../runtime.js';

const { ctx, database } = await boot({ migrate: true });
// Imported only on this path: a deployment with a Stripe key never loads the emulator's code.
const emulator = shouldRunEmulator(ctx.config)
  ? await (await import('../dev/launch-emulator.js')).launchStripeEmulator(ctx.config, ctx.logger)
  : undefined;
const workers = await runWorkers(ctx);
const server = await listen(ctx);
drainOnSignal(ctx, { server, workers, database, extra: emulator ? [emulator.close] : [] });
