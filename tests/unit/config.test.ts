import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, EMULATOR_WEBHOOK_SECRET, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('starts with no variables at all, on the emulator', () => {
    const config = loadConfig({});
    expect(config.useStripeEmulator).toBe(true);
    expect(config.PORT).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.stripeWebhookSecrets).toEqual([EMULATOR_WEBHOOK_SECRET]);
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe', STRIPE_SECRET_KEY: 'sk_test_abc' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining(['PORT', 'DATABASE_URL', 'WEBHOOK_ALLOW_PRIVATE_TARGETS', 'STRIPE_WEBHOOK_SECRET']),
    );
  });

  it('accepts a comma-separated list of webhook secrets for rotation', () => {
    const config = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_new,whsec_old' });
    expect(config.useStripeEmulator).toBe(false);
    expect(config.stripeWebhookSecrets).toEqual(['whsec_new', 'whsec_old']);
  });

  it('refuses a short ADMIN_API_KEY in production, and only there', () => {
    const short = 'sixteen-chars-ok-but-not-32';
    expect(() => loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: short })).toThrow(/ADMIN_API_KEY: must be at least 32 characters in production/);
    expect(loadConfig({ NODE_ENV: 'development', ADMIN_API_KEY: short }).ADMIN_API_KEY).toBe(short);
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'x'.repeat(32) }).ADMIN_API_KEY).toHaveLength(32);
  });

  it('reads TRUST_PROXY as Express takes it, trusting no proxy when unset', () => {
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::/32' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8,2001:db8::/32');
    expect(() => loadConfig({ TRUST_PROXY: 'the-load-balancer' })).toThrow(/TRUST_PROXY/);
  });

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    const source = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8');
    const read = [...source.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]);
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });
});
