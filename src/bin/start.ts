/** `npm start`: migrations, then the API and the workers in one process (plus the Stripe emulator without a key). */
import { shouldRunEmulator } from '../config.js';
import { bootContext, configOrExit, drainOnSignal, listen, prepareDatabase, runWorkers } from '../runtime.js';

const config = configOrExit();
const ctx = bootContext(config);
await prepareDatabase(config, ctx.logger);
// Imported only on this path: a deployment with a Stripe key never loads the emulator's code.
const emulator = shouldRunEmulator(config)
  ? await (await import('../dev/launch-emulator.js')).launchStripeEmulator(config, ctx.logger)
  : undefined;
const workers = await runWorkers(ctx);
const server = await listen(ctx);
drainOnSignal(ctx, { server, workers, extra: emulator ? [emulator.close] : [] });
