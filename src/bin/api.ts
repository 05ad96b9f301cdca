/** `npm run api`: a stateless API process (run `npm run migrate` first). */
import { bootContext, configOrExit, drainOnSignal, listen } from '../runtime.js';

const config = configOrExit();
const ctx = bootContext(config);
const server = await listen(ctx);
drainOnSignal(ctx, { server });
