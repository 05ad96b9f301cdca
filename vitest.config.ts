import { defineConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript sources (the "source" export condition) under test. */
export const sourceConditions = { resolve: { conditions: ['source'] }, ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } } };

/**
 * Files that run a second time with no REDIS_URL (BullMQ, change fan-out and rate limits on
 * PostgreSQL): the ledger end to end, two API processes sharing live progress, checkout's rate
 * limit. The rest of the suite covers what does not depend on where the queues live.
 */
const POSTGRES_ONLY_FILES = ['tests/ledger/emulator-e2e.test.ts', 'tests/ledger/ledger-property.test.ts', 'tests/api/progress-stream.test.ts', 'tests/api/checkout.test.ts'];

export default defineConfig({
  ...sourceConditions,
  test: {
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'redis', include: ['tests/**/*.test.ts', 'packages/*/tests/**/*.test.ts'], exclude: ['tests/faults/**', 'node_modules/**'] },
      },
      {
        extends: true,
        test: { name: 'postgres-only', include: POSTGRES_ONLY_FILES, env: { GOALPOST_TEST_MODE: 'postgres-only' } },
      },
    ],
  },
});
