/** `npm run worker`: a worker process; run as many as the queues need. */
import { boot, drainOnSignal, runWorkers } from '../runtime.js';

const { ctx, database } = await boot({ migrate: false, whenDatabaseAway: 'wait' });
const workers = await runWorkers(ctx);
drainOnSignal(ctx, { workers, database });
