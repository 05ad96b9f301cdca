/**
 * How one delivery attempt of a consumer webhook turns out, and when the next one happens.
 * The schedule lists the delay before each attempt (Standard Webhooks: immediately, 5 s, 5 min,
 * ... 24 h), so a delivery gets `schedule.length` automatic attempts.
 */

const JITTER = 0.1;

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string }
  | { kind: 'error' };

export type AttemptOutcome = 'succeeded' | 'gone' | 'failed';

/** 2xx is success; 410 Gone means the receiver is gone for good; anything else, redirects included, failed. */
export function attemptOutcome(result: AttemptResult): AttemptOutcome {
  if (result.kind === 'error') return 'failed';
  if (result.status >= 200 && result.status < 300) return 'succeeded';
  return result.status === 410 ? 'gone' : 'failed';
}

/** ±10% so endpoints that failed together do not all come back at the same instant. */
export function withJitter(delayMs: number, random: () => number = Math.random): number {
  return Math.round(delayMs * (1 - JITTER + 2 * JITTER * random()));
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its month and zone; Date.parse alone would take "-5" for a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now.getTime());
}

/**
 * Delay before the attempt after `attemptsMade` automatic attempts, or null when the schedule
 * is used up. Only 429 and 503 answers may stretch it with Retry-After; they never shorten it,
 * and never push it past `retryAfterCapMs` (WEBHOOK_RETRY_AFTER_CAP_MS) or the schedule's longest delay.
 */
export function nextAttemptDelay(input: {
  schedule: readonly number[];
  retryAfterCapMs: number;
  attemptsMade: number;
  result: AttemptResult;
  now: Date;
  random?: () => number;
}): number | null {
  const planned = input.schedule[input.attemptsMade];
  if (planned === undefined) return null;
  const delay = withJitter(planned, input.random);
  const { result } = input;
  if (result.kind !== 'response' || (result.status !== 429 && result.status !== 503)) return delay;
  const requested = parseRetryAfter(result.retryAfter, input.now);
  if (requested === null) return delay;
  const cap = Math.max(input.retryAfterCapMs, ...input.schedule);
  return Math.max(delay, Math.min(requested, cap));
}
