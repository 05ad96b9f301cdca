import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppContext } from '../context.js';
import { authenticate } from './auth.js';
import { PUBLIC_CORS_HEADERS, REQUEST_ID, SECURITY_HEADERS_OPTIONS } from './headers.js';
import { notFoundHandler, problemHandler } from './problem.js';
import { progressFastPath, progressStreamFastPath } from './progress-fast-path.js';
import { stripeWebhookFastPath } from './stripe-webhook-fast-path.js';
import { createWebhookIngest, type WebhookIngest } from '../services/stripe-events/ingest.js';
import { observeHttp } from '../metrics.js';
import { adminCampaignsRouter } from './routes/admin-campaigns.js';
import { adminDonationActionsRouter } from './routes/admin-donation-actions.js';
import { adminSessionRouter, adminSignInRouter } from './routes/admin-session.js';
import { rateLimitStore, sharedRateLimit } from './rate-limit.js';
import { adminReceiptsRouter } from './routes/admin-receipts.js';
import { adminDonationsRouter } from './routes/admin-donations.js';
import { adminDonorsRouter } from './routes/admin-donors.js';
import { adminOfflineDonationsRouter } from './routes/admin-offline-donations.js';
import { adminStripeEventsRouter } from './routes/admin-stripe-events.js';
import { adminSubscriptionsRouter } from './routes/admin-subscriptions.js';
import { apiKeysRouter } from './routes/api-keys.js';
import { publicCampaignsRouter } from './routes/campaigns.js';
import { checkoutRouter } from './routes/checkout.js';
import { donorRouter } from './routes/donor.js';
import { metricsRouter } from './routes/metrics.js';
import { operationsRouter } from './routes/operations.js';
import { progressStreamRouter } from './routes/progress-stream.js';
import { stripeWebhooksRouter } from './routes/stripe-webhooks.js';
import { adminSupportersRouter, supportersRouter } from './routes/supporters.js';
import { QUEUE_BOARD_PATH, queueBoard } from './routes/queue-board.js';
import { webRouter } from './routes/web.js';
import { webhookEndpointsRouter } from './routes/webhook-endpoints.js';

export const JSON_BODY_LIMIT = '100kb';

const requestId: RequestHandler = (req, res, next) => {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  res.setHeader('X-Request-Id', id);
  next();
};

const publicCors: RequestHandler = (req, res, next) => {
  if (!req.path.startsWith('/v1/campaigns/') && !req.path.startsWith('/v1/checkout/')) return next();
  for (const [name, value] of Object.entries(PUBLIC_CORS_HEADERS)) res.setHeader(name, value);
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};

/** Failed authentications (401) per client address: guessing keys or session ids soon meets a 429. */
function authFailureLimit(ctx: AppContext): RequestHandler {
  return sharedRateLimit({
    store: rateLimitStore({ redis: ctx.redis, db: ctx.db, redisPrefix: ctx.config.REDIS_PREFIX }, 'auth-failures'),
    limit: ctx.config.ADMIN_AUTH_FAILURES_PER_15_MIN,
    windowMs: 15 * 60_000,
    logger: ctx.logger,
    message: 'Too many failed sign-in attempts from this address. Please wait and try again.',
    countsStatus: (status) => status === 401,
  });
}

/**
 * What the API's HTTP server runs: a cached progress read and a Stripe delivery with a declared
 * length are answered before Express sees them (progressFastPath, stripeWebhookFastPath: the
 * two requests that come in bursts); every other request, and any of those two the fast path
 * cannot answer, goes to the app.
 */
export function createRequestListener(ctx: AppContext): RequestListener {
  const webhooks = createWebhookIngest(ctx);
  const app = createApp(ctx, webhooks);
  const cachedProgress = progressFastPath(ctx.progress);
  const stripeDelivery = stripeWebhookFastPath(webhooks);
  return (req, res) => {
    try {
      if (cachedProgress(req, res)) return;
    } catch (error) {
      // Outside Express nothing else would catch this: the full path answers instead (a
      // problem if it fails too), or the connection ends if the answer had begun.
      ctx.logger.error({ err: error, url: req.url }, 'progress fast path failed');
      if (res.headersSent) return void res.destroy();
    }
    // A delivery the fast path cannot acknowledge reaches the app with its body already read.
    if (stripeDelivery(req, res, () => void app(req, res))) return;
    void app(req, res);
  };
}

export function createApp(ctx: AppContext, stripeWebhooks: WebhookIngest = createWebhookIngest(ctx)): Express {
  const app = express();
  app.disable('x-powered-by');
  // Which X-Forwarded-For hops to believe for req.ip (and so rate limits); unset: none.
  app.set('trust proxy', ctx.config.TRUST_PROXY ?? false);
  // Progress answers carry their own strong ETag; Express's weak one would be computed twice.
  app.set('etag', false);
  app.use(progressStreamFastPath(ctx.progress, ctx.progressHub));
  app.use(requestId);
  app.use(observeHttp);
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req) => req.headers['x-request-id'] as string,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      // One line per request is enough; full header dumps drown the log and may carry secrets.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(helmet(SECURITY_HEADERS_OPTIONS));
  app.use(publicCors);

  // Routers that need the raw request body are mounted above the body parsers (see stripe webhooks).
  app.use(stripeWebhooksRouter(stripeWebhooks));

  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: JSON_BODY_LIMIT, parameterLimit: 100 }));

  app.use(operationsRouter(ctx));
  app.use(publicCampaignsRouter(ctx.progress, { percent: ctx.config.FEE_PERCENT, fixed: ctx.config.FEE_FIXED }));
  app.use(supportersRouter(ctx.db, ctx.progress));
  app.use(checkoutRouter(ctx));
  app.use(donorRouter(ctx));
  app.use(progressStreamRouter(ctx.progress, ctx.progressHub));
  app.use(metricsRouter(ctx.queues, ctx.logger, ctx.config.METRICS_TOKEN));
  app.use(webRouter(ctx.logger));
  const authFailures = authFailureLimit(ctx);
  app.use(QUEUE_BOARD_PATH, authFailures, ...queueBoard(ctx.db, ctx.queues, ctx.config.ADMIN_API_KEY));

  app.use('/v1/admin', authFailures);
  app.use(adminSignInRouter(ctx.db, ctx.config));
  app.use('/v1/admin', authenticate(ctx.db, ctx.config.ADMIN_API_KEY));
  app.use(adminCampaignsRouter(ctx.db, ctx.progress, ctx.changes));
  app.use(apiKeysRouter(ctx.db));
  app.use(adminSessionRouter(ctx.db));
  // Above the admin donations router, whose /v1/admin/donations/:id would take "export.csv" for an id.
  app.use(adminDonationActionsRouter(ctx.db, ctx.stripe));
  app.use(adminReceiptsRouter(ctx.db, ctx.queues));
  app.use(adminOfflineDonationsRouter(ctx));
  app.use(adminSupportersRouter(ctx.db));
  app.use(adminDonorsRouter(ctx.db));
  app.use(adminDonationsRouter(ctx.db));
  app.use(adminStripeEventsRouter(ctx));
  app.use(adminSubscriptionsRouter(ctx.db));
  app.use(webhookEndpointsRouter(ctx));

  app.use(notFoundHandler);
  app.use(problemHandler(ctx.logger));
  return app;
}
