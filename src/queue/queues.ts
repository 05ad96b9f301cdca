import pg from 'pg';
import {
  Queue,
  Worker,
  createPostgresBackend,
  runMigrations,
  withBackend,
  type ConnectionOptions,
  type IQueueBackend,
  type BackendFactory,
  type JobsOptions,
  type PostgresConnectionOptions,
  type PostgresPoolConfig,
  type PostgresQueueBackend,
  type Processor,
} from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { JOB_QUEUE, QUEUES, type JobName, type JobPayloads, type QueueName } from './jobs.js';

/** A BullMQ queue or worker on either backend; our code uses only what both implement. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQueue = Queue<any, any, string, any, any, string, IQueueBackend, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWorker = Worker<any, any, string, IQueueBackend, any, any>;

/**
 * Producers fail fast when Redis is away (no offline queue, one retry), so a web request
 * never hangs on it: stored work is swept into the queue once Redis is back.
 */
export function createProducerConnection(redisUrl: string, options: RedisOptions & { connectTimeout: number }): Redis {
  return new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    ...options,
  });
}

/**
 * Connection options for a BullMQ worker, which then owns (and on close, ends) its connection.
 * Workers block on Redis and retry for ever (BullMQ requires maxRetriesPerRequest: null).
 */
function workerConnectionOptions(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/** Redis connection states in which a queue add would only wait or fail. */
const UNREACHABLE = new Set(['reconnecting', 'end', 'close']);

/** The PostgreSQL schema BullMQ's own tables live in (created and migrated by BullMQ itself). */
export const POSTGRES_QUEUE_SCHEMA = 'bullmq';

/**
 * Where the queues live: Redis (REDIS_URL set, scale-out) or the application's own PostgreSQL
 * through BullMQ's PostgreSQL backend. Queues, workers and job schedulers behave the same on
 * both; only the connections differ.
 */
/**
 * Creates or upgrades BullMQ's tables ahead of the first queue, with the application's own
 * migrations, so no queue or worker pays for it at its first job (each still checks the version).
 */
export async function migrateQueueSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await runMigrations(client, POSTGRES_QUEUE_SCHEMA);
  } finally {
    await client.end();
  }
}

export interface QueueTransport {
  readonly kind: 'redis' | 'postgres';
  /** How long a producer waits for an add before leaving the work to the sweeper. */
  readonly enqueueTimeoutMs: number;
  createQueue(name: QueueName): AnyQueue;
  createWorker(name: QueueName, processor: Processor, concurrency: number): AnyWorker;
  /** False while the store is known to be away, so producers leave the work to the sweeper at once. */
  reachable(): boolean;
}

/**
 * Defaults of QUEUE_ENQUEUE_TIMEOUT_MS per backend. On Redis an add is one round trip. On
 * PostgreSQL an add is a transaction on the same database that just stored the work: it waits for
 * a pool connection and a commit like any other, so it gets longer (2 s proved too short on a
 * saturated 2-core machine: admin replays answered 503).
 */
export const REDIS_ENQUEUE_TIMEOUT_MS = 500;
export const POSTGRES_ENQUEUE_TIMEOUT_MS = 5_000;

export function redisQueueTransport(producer: Redis, redisUrl: string, prefix: string, enqueueTimeoutMs: number): QueueTransport {
  return {
    kind: 'redis',
    enqueueTimeoutMs,
    createQueue: (name) => new Queue(name, { connection: producer, prefix }),
    createWorker: (name, processor, concurrency) =>
      new Worker(name, processor, { connection: workerConnectionOptions(redisUrl), prefix, concurrency }),
    reachable: () => !UNREACHABLE.has(producer.status),
  };
}

/**
 * BullMQ's PostgreSQL backend, with an 'error' listener on every client its pools open. BullMQ
 * listens on its pool (idle clients) and on its LISTEN client, but not on a client it has checked
 * out: its schema check at a queue's or worker's start holds one through a transaction (and a
 * ROLLBACK after a failure). node-postgres emits 'error' on a client whose connection ends, query
 * running or not, so a restart of PostgreSQL during that check would crash the process. The
 * statement in flight rejects anyway and the dead client is dropped when given back, so the
 * listener only has to exist.
 */
export const guardedPostgresBackend: BackendFactory<PostgresQueueBackend, PostgresConnectionOptions> = (name, opts, options) => {
  const backend = createPostgresBackend(name, opts, options);
  backend.connection.pool.on('connect', (client) => client.on('error', () => {}));
  return backend;
};

/**
 * BullMQ on PostgreSQL: every queue and worker gets a small pool of its own (a worker also one
 * LISTEN connection, woken by NOTIFY when a job arrives); BullMQ migrates its schema itself.
 */
export function postgresQueueTransport(databaseUrl: string, timing: { connectTimeoutMs: number; enqueueTimeoutMs: number }): QueueTransport {
  const { Queue: PgQueue, Worker: PgWorker } = withBackend(guardedPostgresBackend);
  const connection = (max: number): PostgresPoolConfig => ({
    connectionString: databaseUrl,
    schema: POSTGRES_QUEUE_SCHEMA,
    migrate: true,
    max,
    connectionTimeoutMillis: timing.connectTimeoutMs,
  });
  return {
    kind: 'postgres',
    enqueueTimeoutMs: timing.enqueueTimeoutMs,
    createQueue: (name) => new PgQueue(name, { connection: connection(3) }),
    // One connection per job in hand plus one for fetching the next.
    createWorker: (name, processor, concurrency) => new PgWorker(name, processor, { connection: connection(concurrency + 1), concurrency }),
    // A database that is away refuses the add quickly (connection timeout); nothing to ask first.
    reachable: () => true,
  };
}

export interface Queues {
  readonly transport: QueueTransport;
  queue(name: QueueName): AnyQueue;
  /** The queue, ready: on PostgreSQL one whose start met an outage is made anew (see createQueues). */
  ready(name: QueueName): Promise<AnyQueue>;
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: JobsOptions): Promise<void>;
  /**
   * Makes sure a live job (waiting, delayed, active…) exists under `jobId`. A finished job under
   * that id, failed or completed, is removed first: BullMQ ignores an add whose id it still
   * holds, so stored work whose job used up its attempts would otherwise never run again.
   * Returns true when it added a job.
   */
  ensure<N extends JobName>(name: N, data: JobPayloads[N], options: JobsOptions & { jobId: string }): Promise<boolean>;
  /** Whether any of these job ids is a live job (waiting, delayed, active…) of that kind's queue. */
  hasLiveJob(name: JobName, jobIds: readonly string[]): Promise<boolean>;
  /** Several jobs of one kind in one round trip. */
  enqueueMany<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; options?: JobsOptions }[]): Promise<void>;
  close(): Promise<void>;
}

const FINISHED_STATES = new Set(['failed', 'completed']);

export function createQueues(transport: QueueTransport, defaults: Partial<Record<JobName, JobsOptions>> = {}): Queues {
  const queues = new Map<QueueName, AnyQueue>();
  const open = (name: QueueName) => {
    const queue = transport.createQueue(name);
    // Errors surface on the add() call; without a listener an idle reconnect error would be unhandled.
    queue.on('error', () => {});
    queues.set(name, queue);
    return queue;
  };
  for (const name of Object.values(QUEUES)) open(name);
  /**
   * The queue a job kind lives on, ready. BullMQ's PostgreSQL backend keeps a failed start for
   * good (it checks its schema once, when first used): a queue whose start met an outage is made
   * anew, so the next call (the relay's, the sweeper's) works once the database answers again.
   */
  const ready = async (name: QueueName): Promise<AnyQueue> => {
    const queue = queues.get(name)!;
    // On Redis a queue's connection reconnects by itself.
    if (transport.kind !== 'postgres') return queue;
    try {
      await queue.waitUntilReady();
      return queue;
    } catch (error) {
      if (queues.get(name) === queue) {
        open(name);
        queue.close().catch(() => {});
      }
      throw error;
    }
  };
  /** A job kind's policy (retries, backoff, retention), with the call's own options over it. */
  const jobOptions = (name: JobName, options?: JobsOptions): JobsOptions => ({ ...defaults[name], ...options });
  const enqueue: Queues['enqueue'] = async (name, data, options) => {
    await (await ready(JOB_QUEUE[name])).add(name, data, jobOptions(name, options));
  };
  return {
    transport,
    queue: (name) => queues.get(name)!,
    ready,
    enqueue,
    async ensure(name, data, options) {
      const queue = await ready(JOB_QUEUE[name]);
      const state = await queue.getJobState(options.jobId);
      if (state !== 'unknown' && !FINISHED_STATES.has(state)) return false;
      if (state !== 'unknown') await queue.remove(options.jobId);
      await queue.add(name, data, jobOptions(name, options));
      return true;
    },
    async hasLiveJob(name, jobIds) {
      const queue = await ready(JOB_QUEUE[name]);
      for (const jobId of jobIds) {
        const state = await queue.getJobState(jobId);
        if (state !== 'unknown' && !FINISHED_STATES.has(state)) return true;
      }
      return false;
    },
    async enqueueMany(name, jobs) {
      // BullMQ's PostgreSQL backend makes and drops two temporary tables in every addBulk: 5.9 ms
      // a call in P3 without Redis (pg_stat_statements), against 0.5 ms for an add. The relay's
      // usual call holds one job (a ledger batch's receipt job), so one job is added alone.
      const [only] = jobs;
      if (jobs.length === 1 && only) return enqueue(name, only.data, only.options);
      await (await ready(JOB_QUEUE[name])).addBulk(jobs.map(({ data, options }) => ({ name, data, opts: jobOptions(name, options) })));
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
