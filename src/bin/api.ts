/** `npm run api`: a stateless API process (run `npm run migrate` first when DATABASE_URL is set). */
import { boot, configOrExit, drainOnSignal, listen } from '../runtime.js';

const config = configOrExit();
if (!config.STRIPE_WEBHOOK_SECRET) {
  // Only `npm start` runs an emulator that shares this process's made-up secret; a separate
  // emulator signs with its own, which this API must be told.
  process.stderr.write(
    'STRIPE_WEBHOOK_SECRET is not set. Start `npm run stripe:emulator` and pass the STRIPE_API_BASE and ' +
      'STRIPE_WEBHOOK_SECRET it prints (or set your Stripe key and webhook secret).\n',
  );
  process.exit(1);
}
const { ctx, database } = await boot({ migrate: false });
const server = await listen(ctx);
drainOnSignal(ctx, { server, database });
