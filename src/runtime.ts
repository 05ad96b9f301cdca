import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { ConfigError, loadConfig, loadDotEnv, withDatabaseUrl, type Config, type ServiceConfig } from './config.js';
import { createContext, type AppContext } from './context.js';
import { useEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres.js';
import { ensureDatabase, migrate } from './db/migrate.js';
import { createRequestListener } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { migrateQueueSchema } from './queue/queues.js';
import { keepSchedules, registerSchedules } from './queue/schedules.js';
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

/** Ends the process on a problem the operator must fix, with one line saying what to do. */
function exitWith(logger: Logger, message: string, details: Record<string, unknown> = {}): never {
  logger.fatal(details, message);
  process.exit(1);
}

/** host:port of a connection string, for messages (never its password). */
function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/**
 * A DATABASE_URL that does not answer ends the start with one line naming the host (a missing
 * database is fine: created next). A worker only warns: its jobs that meet the outage are
 * postponed without using an attempt, so a worker (re)started while PostgreSQL is down must stay
 * up to apply the stored work once it is back.
 */
async function checkDatabaseReachable(databaseUrl: string, connectTimeoutMs: number, logger: Logger, whenAway: DatabaseAway): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '3D000') return;
    const host = hostOf(databaseUrl);
    const reason = (error as Error).message || code || 'no answer';
    if (whenAway === 'wait') {
      logger.warn(`PostgreSQL at ${host} (DATABASE_URL) cannot be reached: ${reason}. Jobs wait for it and run once it answers.`);
      return;
    }
    exitWith(
      logger,
      `PostgreSQL at ${host} (DATABASE_URL) cannot be reached: ${reason}. Start it or correct DATABASE_URL, or leave DATABASE_URL unset to use the embedded PostgreSQL.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** Redis that does not answer at start is one warning; the queues wait for it and stored work is swept in later. */
async function checkRedisReachable(ctx: AppContext): Promise<void> {
  const { redis, config, logger } = ctx;
  if (!redis || !config.REDIS_URL) return;
  // The producer has no offline queue, so a PING sent before the connection is ready fails at
  // once (and warned on every start): wait for 'ready' first. Allowed: a connect
  // (REDIS_CONNECT_TIMEOUT_MS) and then one round trip for the PING.
  const ready = redis.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => redis.once('ready', resolve));
  let timer: NodeJS.Timeout | undefined;
  const answered = await Promise.race([
    ready.then(() => redis.ping()).then(() => true, () => false),
    new Promise<false>((done) => {
      timer = setTimeout(() => done(false), config.REDIS_CONNECT_TIMEOUT_MS + 1_000).unref();
    }),
  ]);
  clearTimeout(timer);
  if (!answered) {
    logger.warn(
      `Redis at ${hostOf(config.REDIS_URL)} (REDIS_URL) cannot be reached; queues wait for it (webhooks are stored and swept in once it answers). Start it or correct REDIS_URL, or leave REDIS_URL unset to run the queues on PostgreSQL.`,
    );
  }
}

/** What a start does when DATABASE_URL does not answer: end with one line, or warn and go on (workers). */
export type DatabaseAway = 'exit' | 'wait';

export interface Booted {
  ctx: AppContext;
  /** The embedded PostgreSQL when there is no DATABASE_URL; stopped last on shutdown if this process started it. */
  database?: EmbeddedPostgres;
}

/**
 * The database this process uses: DATABASE_URL, or the embedded PostgreSQL under
 * GOALPOST_DATA_DIR (started here, or the one another Goalpost process started).
 */
export async function resolveDatabase(
  config: Config,
  logger: Logger,
  whenAway: DatabaseAway = 'exit',
): Promise<{ config: ServiceConfig; database?: EmbeddedPostgres }> {
  if (config.DATABASE_URL) {
    await checkDatabaseReachable(config.DATABASE_URL, config.DATABASE_CONNECT_TIMEOUT_MS, logger, whenAway);
    return { config: withDatabaseUrl(config, config.DATABASE_URL) };
  }
  let database: EmbeddedPostgres;
  try {
    database = await useEmbeddedPostgres(config.GOALPOST_DATA_DIR, logger, config.EMBEDDED_POSTGRES_START_TIMEOUT_MS);
  } catch (error) {
    exitWith(logger, `No DATABASE_URL, and ${(error as Error).message}. Set DATABASE_URL to use another PostgreSQL.`);
  }
  logger.info(
    { url: database.url, dataDir: config.GOALPOST_DATA_DIR },
    database.owned
      ? `embedded PostgreSQL running (no DATABASE_URL): ${database.url}`
      : `using the embedded PostgreSQL another Goalpost process started (no DATABASE_URL): ${database.url}`,
  );
  return { config: withDatabaseUrl(config, database.url), database };
}

/**
 * Configuration, database and context for an entry point. With the embedded PostgreSQL the
 * migrations are applied here too, so `npm run api` or `npm run worker` alone work on an empty
 * data directory; with DATABASE_URL that stays `npm start`'s and `npm run migrate`'s job.
 */
export async function boot(options: { migrate: boolean; whenDatabaseAway?: DatabaseAway }): Promise<Booted> {
  const settings = configOrExit();
  const logger = createLogger(settings);
  const { config, database } = await resolveDatabase(settings, logger, options.whenDatabaseAway);
  if (options.migrate || database) await prepareDatabase(config, logger);
  const ctx = createContext(config, logger);
  await checkRedisReachable(ctx);
  return { ctx, database };
}

export async function prepareDatabase(config: ServiceConfig, logger: Logger): Promise<void> {
  if (await ensureDatabase(config.DATABASE_URL)) logger.info('created the database');
  const applied = await migrate(config.DATABASE_URL, logger);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (config.queueBackend === 'postgres') await migrateQueueSchema(config.DATABASE_URL);
}

export function listen(ctx: AppContext): Promise<Server> {
  const server = createServer(createRequestListener(ctx));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.config.PORT, () => {
      server.off('error', reject);
      ctx.logger.info({ port: ctx.config.PORT, url: ctx.config.publicBaseUrl }, 'Goalpost API listening');
      resolve(server);
    });
  });
}

/** Whether PostgreSQL answers a connection now. */
async function databaseAnswers(databaseUrl: string, connectTimeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function runWorkers(ctx: AppContext): Promise<RunningWorkers> {
  // BullMQ's PostgreSQL workers check their schema once, when they start, and never consume if
  // that check met an outage: a worker (re)started while PostgreSQL is down starts them once it answers.
  // Each check is bounded by DATABASE_CONNECT_TIMEOUT_MS; the 1 s between checks is only a poll step.
  if (ctx.config.queueBackend === 'postgres') {
    const { DATABASE_URL, DATABASE_CONNECT_TIMEOUT_MS } = ctx.config;
    while (!(await databaseAnswers(DATABASE_URL, DATABASE_CONNECT_TIMEOUT_MS))) await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const workers = startWorkers(ctx, jobRegistry());
  const notYet = 'could not register recurring jobs yet (Redis down?); they are registered once it answers';
  const registering = registerSchedules(ctx.queues, ctx.config).then(
    () => true,
    (error: unknown) => {
      ctx.logger.warn({ err: error }, notYet);
      return true;
    },
  );
  // BullMQ holds its first Redis command until the connection is ready, so with Redis away the
  // registration would hold the start (and the API of `npm start`) for as long as Redis is down.
  // Wait a connect and a round trip at most; keepSchedules registers them once Redis answers.
  let timer: NodeJS.Timeout | undefined;
  const registered =
    ctx.config.queueBackend === 'redis'
      ? await Promise.race([
          registering,
          new Promise<false>((done) => {
            timer = setTimeout(() => done(false), ctx.config.REDIS_CONNECT_TIMEOUT_MS + 1_000).unref();
          }),
        ])
      : await registering;
  clearTimeout(timer);
  if (!registered) ctx.logger.warn(notYet);
  const stopKeeping = keepSchedules(ctx.queues, ctx.config, ctx.logger);
  ctx.logger.info('Goalpost workers running');
  return {
    workers: workers.workers,
    async close() {
      stopKeeping();
      await workers.close();
    },
  };
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests and jobs finish (or hand
 * jobs back to the queue), close pools, exit 0 — forced after SHUTDOWN_TIMEOUT_MS.
 */
export function drainOnSignal(
  ctx: AppContext,
  parts: { server?: Server; workers?: RunningWorkers; extra?: (() => Promise<void>)[]; database?: EmbeddedPostgres },
): void {
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
    // Last: the other processes sharing an embedded server see it go only once this one is done.
    await parts.database?.stop();
    process.exit(0);
  };
  // `on`, not `once`: Ctrl-C reaches npm and node alike (and under `npm run dev` tsx, which
  // relays it), so a second signal arrives mid-drain; it must not fall through to the default (exit at once, leaving
  // an embedded PostgreSQL without its owner).
  process.on('SIGTERM', () => void drain('SIGTERM'));
  process.on('SIGINT', () => void drain('SIGINT'));
}
