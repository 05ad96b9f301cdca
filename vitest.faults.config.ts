import { defineConfig } from 'vitest/config';
import { sourceConditions } from './vitest.config.js';

/**
 * `npm run test:faults`: the fault drills. Each drill file starts its own private PostgreSQL and
 * Redis and the service as child processes, then breaks things; files run one after another so
 * a drill's timing is not at the mercy of another drill's load on a small machine. The worker
 * kill and the PostgreSQL restart run a second time with no REDIS_URL (queues on PostgreSQL).
 */
export default defineConfig({
  ...sourceConditions,
  test: {
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'faults', include: ['tests/faults/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'faults-postgres-only',
          include: ['tests/faults/worker-kill.test.ts', 'tests/faults/postgres-restart.test.ts'],
          env: { GOALPOST_TEST_MODE: 'postgres-only' },
        },
      },
    ],
  },
});
