/**
 * BullMQ on PostgreSQL (no REDIS_URL) across a database that goes away: a connection BullMQ has
 * checked out may be cut without crashing the process, and a queue built while the database was
 * missing still registers the recurring jobs once it is there.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, expect, inject, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createQueues, guardedPostgresBackend, POSTGRES_QUEUE_SCHEMA, postgresQueueTransport, type Queues } from '../../src/queue/queues.js';
import { jobOptions } from '../../src/queue/jobs.js';
import { registerSchedules } from '../../src/queue/schedules.js';
import { cloneTestDatabase } from '../helpers/database.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function onServer<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: new URL('/postgres', inject('databaseUrl')).toString() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

test('a client checked out of a BullMQ pool whose connection is cut does not crash the process', async () => {
  const database = await cloneTestDatabase();
  cleanups.push(database.drop);
  const backend = guardedPostgresBackend('cut-connection', { connection: { connectionString: database.url, schema: POSTGRES_QUEUE_SCHEMA, max: 2 } });
  cleanups.push(() => backend.close());
  await backend.waitUntilReady();

  // As BullMQ's schema check holds one: checked out, no listener of BullMQ's on it.
  const client = await backend.connection.pool.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const ended = new Promise<void>((resolve) => client.on('end', resolve));
  await onServer((admin) => admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]));
  await ended;

  // The process is still here (an unheard 'error' would have failed this file) and the dead client says so.
  await expect(client.query('SELECT 1')).rejects.toThrow();
  client.release(true);
  expect((await backend.connection.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
});

test('a queue built while its database was away registers the recurring jobs once the database answers', async () => {
  const template = await cloneTestDatabase();
  cleanups.push(template.drop);
  const url = new URL(template.url);
  const name = `${url.pathname.slice(1)}_late_${randomBytes(2).toString('hex')}`;
  url.pathname = `/${name}`;
  const config = loadConfig({ DATABASE_URL: url.toString() });
  const queues: Queues = createQueues(postgresQueueTransport(url.toString(), { connectTimeoutMs: 2_000, enqueueTimeoutMs: 2_000 }));
  cleanups.push(() => onServer((admin) => admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)));
  cleanups.push(() => queues.close());
  // Each queue starts checking its schema at once, and keeps the failure: the database is missing.
  await expect(queues.queue('maintenance').waitUntilReady()).rejects.toThrow();

  await onServer((admin) => admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(new URL(template.url).pathname.slice(1))}`));
  // The first look meets the queue built while the database was missing, and replaces it.
  await registerSchedules(queues, config).catch(() => {});
  await registerSchedules(queues, config);

  const maintenance = await queues.ready('maintenance');
  expect(await maintenance.getJobScheduler('maintenance.sweep')).toMatchObject({ every: config.SWEEP_EVERY_MS });
});

test('jobs relayed under their ids are each added once, alone or several at a time, however often they are relayed', async () => {
  const database = await cloneTestDatabase();
  cleanups.push(database.drop);
  const config = loadConfig({ DATABASE_URL: database.url });
  const queues = createQueues(postgresQueueTransport(database.url, { connectTimeoutMs: 2_000, enqueueTimeoutMs: 2_000 }), jobOptions(config));
  cleanups.push(() => queues.close());
  const job = (id: number) => ({ data: { receiptIds: [id] }, options: { jobId: `outbox-${id}` } });

  // As the relay and then the sweeper would: the same rows twice.
  for (let pass = 0; pass < 2; pass += 1) {
    await queues.enqueueMany('receipt.send', [job(1)]);
    await queues.enqueueMany('receipt.send', [job(2), job(3)]);
  }

  const receipts = await queues.ready('receipts');
  const waiting = await receipts.getJobs(['waiting']);
  expect(waiting.map((added) => [added.id, added.name, added.data]).sort()).toEqual([
    ['outbox-1', 'receipt.send', { receiptIds: [1] }],
    ['outbox-2', 'receipt.send', { receiptIds: [2] }],
    ['outbox-3', 'receipt.send', { receiptIds: [3] }],
  ]);
  // The receipt job's retry policy came with each, alone or not.
  expect(waiting.every((added) => added.opts.attempts === config.RECEIPT_ATTEMPTS)).toBe(true);
});
