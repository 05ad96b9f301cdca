import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { jobOptions } from '../../src/queue/jobs.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('config', () => {
  it('starts with no variables at all, on the emulator', () => {
    const config = loadConfig({});
    expect(config.useStripeEmulator).toBe(true);
    expect(config.PORT).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.stripeWebhookSecrets).toHaveLength(1);
    expect(config.stripeLivemode).toBe(false);
  });

  it('makes up a different emulator webhook secret each time, never a constant from the code', () => {
    const [first] = loadConfig({}).stripeWebhookSecrets;
    const [second] = loadConfig({}).stripeWebhookSecrets;
    expect(first).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(second).not.toBe(first);
    const source = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/['"`]whsec_\w+['"`]/);
  });

  it('refuses to start in production without the Stripe key and webhook secret, naming both', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      expect.stringMatching(/^STRIPE_SECRET_KEY: is required with NODE_ENV=production/),
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: is required with NODE_ENV=production/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: '' })).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: is required/),
    ]);
    const live = loadConfig({ NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' });
    expect(live.useStripeEmulator).toBe(false);
    expect(live.stripeLivemode).toBe(true);
  });

  it('refuses STRIPE_API_BASE with a live key, restricted or not', () => {
    for (const key of ['sk_live_abc', 'rk_live_abc']) {
      expect(problemsOf({ STRIPE_SECRET_KEY: key, STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toEqual([
        expect.stringMatching(/^STRIPE_API_BASE: must not be set with a live key/),
      ]);
    }
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripeLivemode).toBe(false);
  });

  it('needs the webhook secret of a separate emulator named by STRIPE_API_BASE', () => {
    expect(problemsOf({ STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: is required with STRIPE_API_BASE/),
    ]);
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
    const stripe = { STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' };
    expect(() => loadConfig({ NODE_ENV: 'production', ...stripe, ADMIN_API_KEY: short })).toThrow(/ADMIN_API_KEY: must be at least 32 characters in production/);
    expect(loadConfig({ NODE_ENV: 'development', ADMIN_API_KEY: short }).ADMIN_API_KEY).toBe(short);
    expect(loadConfig({ NODE_ENV: 'production', ...stripe, ADMIN_API_KEY: 'x'.repeat(32) }).ADMIN_API_KEY).toHaveLength(32);
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

  it('refuses any interval that is not a whole number of milliseconds, naming each one', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const intervals = [...example.matchAll(/^([A-Z][A-Z0-9_]+_MS)=/gm)].map((match) => match[1]!).filter((name) => name !== 'WEBHOOK_RETRY_SCHEDULE_MS');
    expect(intervals.length).toBeGreaterThan(25);
    const problems = problemsOf(Object.fromEntries(intervals.map((name) => [name, '1.5'])));
    expect(intervals.filter((name) => !problems.some((problem) => problem.startsWith(`${name}:`)))).toEqual([]);
  });

  it('takes the Stripe webhook tolerance in whole seconds only, as Stripe signs timestamps', () => {
    expect(loadConfig({}).STRIPE_WEBHOOK_TOLERANCE_MS).toBe(300_000);
    expect(loadConfig({ STRIPE_WEBHOOK_TOLERANCE_MS: '600000' }).STRIPE_WEBHOOK_TOLERANCE_MS).toBe(600_000);
    expect(problemsOf({ STRIPE_WEBHOOK_TOLERANCE_MS: '300500' })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_TOLERANCE_MS: .*whole seconds/)]);
  });

  it('refuses a live-progress retry hint range whose lowest is above its highest', () => {
    expect(problemsOf({ SSE_RETRY_MIN_MS: '5000', SSE_RETRY_MAX_MS: '4000' })).toEqual([expect.stringMatching(/^SSE_RETRY_MAX_MS: /)]);
    expect(loadConfig({ SSE_RETRY_MIN_MS: '5000', SSE_RETRY_MAX_MS: '5000' }).SSE_RETRY_MAX_MS).toBe(5_000);
  });

  it('refuses a webhook retry schedule whose first attempt waits (it is queued with its event, at once)', () => {
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: '0,200' }).WEBHOOK_RETRY_SCHEDULE_MS).toEqual([0, 200]);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: '1000,5000' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS: starts with 0/);
  });

  it('reads the Stripe call retry delays as a comma list, 250 ms then 1 s by default', () => {
    expect(loadConfig({}).STRIPE_RETRY_DELAYS_MS).toEqual([250, 1_000]);
    expect(loadConfig({ STRIPE_RETRY_DELAYS_MS: '100,200,400' }).STRIPE_RETRY_DELAYS_MS).toEqual([100, 200, 400]);
  });

  it('leaves the enqueue timeout to the queue backend when QUEUE_ENQUEUE_TIMEOUT_MS is empty', () => {
    expect(loadConfig({ QUEUE_ENQUEUE_TIMEOUT_MS: '' }).QUEUE_ENQUEUE_TIMEOUT_MS).toBeUndefined();
    expect(loadConfig({ QUEUE_ENQUEUE_TIMEOUT_MS: '750' }).QUEUE_ENQUEUE_TIMEOUT_MS).toBe(750);
  });

  it('gives the queues the configured backoffs and job retention (BullMQ ages in seconds)', () => {
    const options = jobOptions(
      loadConfig({ STRIPE_EVENT_BACKOFF_MS: '250', JOB_KEEP_COMPLETED_MS: '3600000', JOB_KEEP_FAILED_MS: '7200000' }),
    );
    expect(options['stripe-event.process'].backoff).toEqual({ type: 'exponential', delay: 250 });
    expect(options['receipt.send'].removeOnComplete).toEqual({ age: 3600, count: 5_000 });
    expect(options['webhook.deliver'].removeOnFail).toEqual({ age: 7200 });
  });
});
