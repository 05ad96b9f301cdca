import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, migrate } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const SERVER_URL = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** One database per test run, created and migrated here and dropped at the end. */
export default async function setup(project: TestProject) {
  const name = `goalpost_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = `${SERVER_URL}/${name}`;
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  project.provide('databaseUrl', databaseUrl);
  return async () => {
    const admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  };
}
