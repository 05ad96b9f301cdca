import { defineConfig } from 'vitest/config';
import { sourceConditions } from './vitest.config.js';

/**
 * `npm run test:faults`: the fault drills. Each drill file starts its own private PostgreSQL and
 * Redis and the service as child processes, then breaks things; files run one after another so
 * a drill's timing is not at the mercy of another drill's load on a small machine.
 */
export default defineConfig({
  ...sourceConditions,
  test: {
    include: ['tests/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
