/** `npm run worker`: a worker process; run as many as the queues need. */
import { bootContext, configOrExit, drainOnSignal, runWorkers } from '../runtime.js';

const config = configOrExit();
const ctx = bootContext(config);
const workers = await runWorkers(ctx);
drainOnSignal(ctx, { workers });
