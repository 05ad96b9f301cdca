/** `npm run api`: a stateless API process (run `npm run migrate` first when DATABASE_URL is set). */
import { boot, drainOnSignal, listen } from '../runtime.js';

const { ctx, database } = await boot({ migrate: false });
const server = await listen(ctx);
drainOnSignal(ctx, { server, database });
