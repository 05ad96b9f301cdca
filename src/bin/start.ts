/** `npm start`: migrations, then the API and the workers in one process (plus the Stripe emulator without a key). */
import { bootContext, configOrExit, drainOnSignal, listen, prepareDatabase, runWorkers } from '../runtime.js';
import { launchStripeEmulator, shouldRunEmulator } from '../emulator/launch.js';

const config = configOrExit();
const ctx = bootContext(config);
await prepareDatabase(config, ctx.logger);
const emulator = shouldRunEmulator(config) ? await launchStripeEmulator(config, ctx.logger) : undefined;
const workers = await runWorkers(ctx);
const server = await listen(ctx);
drainOnSignal(ctx, { server, workers, extra: emulator ? [emulator.close] : [] });
