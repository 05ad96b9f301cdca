import { describe, expect, test } from 'vitest';
import { subscriptionStatus } from '../../src/domain/subscription.js';

const paid = new Date('2026-11-03T10:00:00Z');
const facts = { canceledAt: null, stripeStatus: 'active', paused: false, lastPaidAt: paid, unpaidFailures: [] as { lastFailedAt: Date }[] };

describe('a monthly donation’s status', () => {
  test('is active with no unpaid failure, paid yet or not', () => {
    expect(subscriptionStatus(facts)).toBe('active');
    expect(subscriptionStatus({ ...facts, lastPaidAt: null })).toBe('active');
  });

  test('is past due when an unpaid renewal failed after the last payment, even within the same second', () => {
    expect(subscriptionStatus({ ...facts, unpaidFailures: [{ lastFailedAt: new Date(paid.getTime() + 30 * 86_400_000) }] })).toBe('past_due');
    expect(subscriptionStatus({ ...facts, unpaidFailures: [{ lastFailedAt: paid }] })).toBe('past_due');
  });

  test('is active again once a later payment succeeded', () => {
    expect(subscriptionStatus({ ...facts, unpaidFailures: [{ lastFailedAt: new Date(paid.getTime() - 1_000) }] })).toBe('active');
  });

  test('is paused or canceled whatever its payments', () => {
    expect(subscriptionStatus({ ...facts, paused: true, unpaidFailures: [{ lastFailedAt: paid }] })).toBe('paused');
    expect(subscriptionStatus({ ...facts, canceledAt: paid, unpaidFailures: [{ lastFailedAt: paid }] })).toBe('canceled');
  });
});
