import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { stripeApiRoutes } from './api.js';
import { controlsRouter, EmulatorControls } from './controls.js';
import { EmulatorCore } from './core.js';
import { stripeApiRouter } from './dispatch.js';
import { FaultQueue } from './faults.js';
import { expireDueSessions } from './flows/checkout.js';
import { IdempotencyCache } from './idempotency.js';
import { hostedPageRouter } from './page.js';
import { portalPageRouter } from './portal-page.js';
import { RequestLog } from './requests.js';
import { WebhookSender, type WebhookTarget } from './webhooks.js';

export interface StripeEmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where browsers reach the hosted Checkout page; `http://<host>:<port>` by default. */
  publicUrl?: string;
  /** Where events are POSTed, signed with `secret`; none → events are only listed at /v1/events. */
  webhook?: WebhookTarget | null;
  retryDelaysMs?: number[];
  logger?: Logger;
  /** How often open sessions past `expires_at` are expired. */
  expirySweepMs?: number;
}

export interface StripeEmulator {
  url: string;
  controls: EmulatorControls;
  close(): Promise<void>;
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

function reachableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/**
 * Starts Goalpost's Stripe emulator: Stripe's REST API (the part Goalpost calls), the hosted
 * Checkout page and test controls, all in memory. A development and test tool only.
 */
export async function runStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const host = options.host ?? '127.0.0.1';
  const webhooks = new WebhookSender({ retryDelaysMs: options.retryDelaysMs, logger });
  webhooks.setTarget(options.webhook ?? null);
  const requests = new RequestLog();
  const faults = new FaultQueue();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const core = new EmulatorCore(webhooks, '');
  const controls = new EmulatorControls(core, requests, faults);
  app.use(stripeApiRouter({ core, requests, faults, idempotency: new IdempotencyCache(), logger }, stripeApiRoutes(core)));
  app.use(hostedPageRouter(core));
  app.use(portalPageRouter(core));
  app.use(controlsRouter(controls));
  app.get('/', (_req, res) => {
    res.json({ name: 'Goalpost Stripe emulator', development_tool: true, api: '/v1', controls: '/_emulator', webhook: webhooks.hasTarget });
  });

  const server = await listen(app, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${reachableHost(host)}:${port}`;
  core.setPublicUrl(options.publicUrl ?? url);
  const sweep = setInterval(() => expireDueSessions(core), options.expirySweepMs ?? 5_000);
  sweep.unref();
  logger.warn(
    { url, webhook: options.webhook?.url ?? null },
    'Stripe emulator running: a development tool that takes no real payments and keeps everything in memory',
  );
  return {
    url,
    controls,
    async close() {
      clearInterval(sweep);
      webhooks.close();
      const closed = new Promise((resolve) => server.close(resolve));
      // Keep-alive sockets from SDK clients would otherwise hold close() open.
      server.closeAllConnections();
      await closed;
    },
  };
}
