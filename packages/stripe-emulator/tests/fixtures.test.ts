import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Stripe's full fixture file (shared/stripe/fixtures3.json) lives beside the repository, not in
 * it; the nearest ancestor folder holding it is used.
 */
function findStripeFixtures(): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'stripe', 'fixtures3.json');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const upstreamPath = findStripeFixtures();
const trimmed = JSON.parse(readFileSync(new URL('./fixtures/stripe-objects.json', import.meta.url), 'utf8')) as {
  resources: Record<string, unknown>;
};

describe("the emulator's fixture file", () => {
  it.skipIf(!upstreamPath)("holds Stripe's own example objects, unchanged, for every kind the emulator serves", () => {
    const upstream = JSON.parse(readFileSync(upstreamPath!, 'utf8')) as { resources: Record<string, unknown> };
    expect(Object.keys(trimmed.resources).length).toBeGreaterThan(0);
    for (const [kind, object] of Object.entries(trimmed.resources)) expect(object, kind).toEqual(upstream.resources[kind]);
  });
});
