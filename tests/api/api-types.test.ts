import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';

/** The browser code's wire types, generated from the served OpenAPI document (`npm run api-types` rewrites it). */
const TYPES_FILE = new URL('../../src/web/shared/api-types.d.ts', import.meta.url);
const HEADER = '// Generated from GET /openapi.json by `npm run api-types` (openapi-typescript). Do not edit.\n\n';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

describe("the browser's API types", () => {
  it('are the ones openapi-typescript generates from /openapi.json today', async () => {
    const doc = (await service.api.get('/openapi.json')).body as Record<string, unknown>;
    const generated = HEADER + astToString(await openapiTS({ ...doc, servers: [] } as never));
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(TYPES_FILE, generated);
    const committed = readFileSync(TYPES_FILE, 'utf8');
    expect(committed, 'src/web/shared/api-types.d.ts is stale: run `npm run api-types`').toBe(generated);
  });
});
