import type { Server } from 'node:http';
import { ConfigError, loadConfig, loadDotEnv, type Config } from './config.js';
import { createContext, type AppContext } from './context.js';
import { ensureDatabase, migrate } from './db/migrate.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { registerSchedules } from './queue/schedules.js';
import { startWorkers, type RunningWorkers } from './queue/worker-runtime.js';
import { jobRegistry } from '../workers/index.js';

/** Reads .env and the environment; on bad config prints every problem and exits before listening. */
export function configOrExit(): Config {
  loadDotEnv();
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
}

export async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  if (await ensureDatabase(config.DATABASE_URL)) logger.info('created the database');
  const applied = await migrate(config.DATABASE_URL, logger);
  if (applied.length) logger.info({ applied }, 'migrations applied');
}

export function listen(ctx: AppContext): Promise<Server> {
  const app = createApp(ctx);
  return new Promise((resolve, reject) => {
    const server = app.listen(ctx.config.PORT, (error?: Error) => {
      if (error) return reject(error);
      ctx.logger.info({ port: ctx.config.PORT, url: ctx.config.publicBaseUrl }, 'Goalpost API listening');
      resolve(server);
    });
  });
}

export async function runWorkers(ctx: AppContext): Promise<RunningWorkers> {
  const workers = startWorkers(ctx, jobRegistry());
  await registerSchedules(ctx.queues, ctx.config).catch((error) =>
    ctx.logger.warn({ err: error }, 'could not register recurring jobs yet (Redis down?); they are retried at next start'),
  );
  ctx.logger.info('Goalpost workers running');
  return workers;
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests and jobs finish (or hand
 * jobs back to the queue), close pools, exit 0 — forced after SHUTDOWN_TIMEOUT_MS.
 */
export function drainOnSignal(ctx: AppContext, parts: { server?: Server; workers?: RunningWorkers; extra?: (() => Promise<void>)[] }): void {
  let draining = false;
  const drain = async (signal: string) => {
    if (draining) return;
    draining = true;
    ctx.logger.info({ signal }, 'draining');
    const force = setTimeout(() => {
      ctx.logger.warn('shutdown timed out; exiting');
      process.exit(0);
    }, ctx.config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    if (parts.server) {
      const closed = new Promise((resolve) => parts.server!.close(resolve));
      parts.server.closeIdleConnections();
      // Live progress streams never end by themselves; their clients reconnect to another replica.
      void ctx.progressHub.endStreams();
      await closed;
    }
    await parts.workers?.close();
    for (const close of parts.extra ?? []) await close().catch(() => {});
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void drain('SIGTERM'));
  process.once('SIGINT', () => void drain('SIGINT'));
}

export function bootContext(config: Config): AppContext {
  return createContext(config, createLogger(config));
}
