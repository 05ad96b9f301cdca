/** `npm run api`: a stateless API process (run `npm run migrate` first when DATABASE_URL is set). */
import { boot, drainOnSignal, listen } from '../runtime.js';

const { ctx, database } = await boot({ migrate: false });
if (!ctx.config.STRIPE_WEBHOOK_SECRET) {
  // Only `npm start` runs an emulator that shares this process's made-up secret; this API signs
  // with nobody's, so every Stripe webhook is refused (400) until it is told the real one.
  ctx.logger.warn(
    'STRIPE_WEBHOOK_SECRET is not set: Stripe webhooks will be refused. Start `npm run stripe:emulator` and pass the ' +
      'STRIPE_API_BASE and STRIPE_WEBHOOK_SECRET it prints (or set your Stripe key and webhook secret).',
  );
}
const server = await listen(ctx);
drainOnSignal(ctx, { server, database });
