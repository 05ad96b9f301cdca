import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, migrate } from '../../src/db/migrate.js';
import { migrateQueueSchema } from '../../src/queue/queues.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated template database; each test service gets its own copy (tests/helpers/database.ts). */
    databaseUrl: string;
  }
}

const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/**
 * One migrated template database per test run, created here; every test service clones it, so
 * test files running side by side never see each other's rows (or relay each other's outbox).
 * At the end the template and any clone a crashed test left behind are dropped.
 */
export default async function setup(project: TestProject) {
  const name = `goalpost_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = `${SERVER_URL}/${name}`;
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  // BullMQ's own tables, for the postgres-only project's queues (unused with Redis).
  await migrateQueueSchema(databaseUrl);
  project.provide('databaseUrl', databaseUrl);
  return async () => {
    const admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${name}%`]);
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(row.datname)} WITH (FORCE)`);
    await admin.end();
  };
}
