import { describe, expect, it } from 'vitest';
import { attemptOutcome, nextAttemptDelay, parseRetryAfter, withJitter } from '../../src/domain/webhook-retry.js';

const SCHEDULE = [0, 5_000, 300_000];
const now = new Date('2026-11-25T12:00:00Z');
const noJitter = () => 0.5;

describe('attemptOutcome', () => {
  it.each([
    [200, 'succeeded'],
    [204, 'succeeded'],
    [299, 'succeeded'],
    [301, 'failed'],
    [302, 'failed'],
    [400, 'failed'],
    [429, 'failed'],
    [500, 'failed'],
    [503, 'failed'],
    [410, 'gone'],
  ] as const)('treats HTTP %i as %s', (status, outcome) => {
    expect(attemptOutcome({ kind: 'response', status })).toBe(outcome);
  });

  it('treats a timeout or connection error as a failure', () => {
    expect(attemptOutcome({ kind: 'error' })).toBe('failed');
  });
});

describe('withJitter', () => {
  it('stays within ±10% of the planned delay', () => {
    expect(withJitter(10_000, () => 0)).toBe(9_000);
    expect(withJitter(10_000, () => 1)).toBe(11_000);
    expect(withJitter(10_000, noJitter)).toBe(10_000);
    expect(withJitter(0, () => 1)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('nextAttemptDelay', () => {
  const DAY_MS = 86_400_000;
  const failure = { kind: 'response', status: 500 } as const;

  it('follows the schedule: after attempt n comes schedule[n]', () => {
    expect(nextAttemptDelay({ schedule: SCHEDULE, retryAfterCapMs: DAY_MS, attemptsMade: 1, result: failure, now, random: noJitter })).toBe(5_000);
    expect(nextAttemptDelay({ schedule: SCHEDULE, retryAfterCapMs: DAY_MS, attemptsMade: 2, result: failure, now, random: noJitter })).toBe(300_000);
  });

  it('answers null once every scheduled attempt was made', () => {
    expect(nextAttemptDelay({ schedule: SCHEDULE, retryAfterCapMs: DAY_MS, attemptsMade: 3, result: failure, now })).toBeNull();
  });

  it('waits as long as a 429 or 503 asks with Retry-After, never less than planned', () => {
    const asked = (status: number, retryAfter: string) =>
      nextAttemptDelay({ schedule: SCHEDULE, retryAfterCapMs: DAY_MS, attemptsMade: 1, result: { kind: 'response', status, retryAfter }, now, random: noJitter });
    expect(asked(429, '60')).toBe(60_000);
    expect(asked(503, '60')).toBe(60_000);
    expect(asked(503, '1')).toBe(5_000);
    expect(asked(500, '60')).toBe(5_000);
  });

  it('bounds Retry-After to the configured cap (a day by default)', () => {
    const delay = nextAttemptDelay({
      schedule: SCHEDULE,
      retryAfterCapMs: DAY_MS,
      attemptsMade: 1,
      result: { kind: 'response', status: 429, retryAfter: String(30 * 24 * 3600) },
      now,
      random: noJitter,
    });
    expect(delay).toBe(DAY_MS);
  });
});
