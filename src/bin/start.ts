/** `npm start`: migrations, then the API and the workers in one process (plus the Stripe emulator without a key). */
import { boot, drainOnSignal, listen, runWorkers } from '../runtime.js';
import { launchStripeEmulator, shouldRunEmulator } from '../emulator/launch.js';

const { ctx, database } = await boot({ migrate: true });
const emulator = shouldRunEmulator(ctx.config) ? await launchStripeEmulator(ctx.config, ctx.logger) : undefined;
const workers = await runWorkers(ctx);
const server = await listen(ctx);
drainOnSignal(ctx, { server, workers, database, extra: emulator ? [emulator.close] : [] });
