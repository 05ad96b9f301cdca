import { StripeApiError } from './errors.js';
import type { FormObject } from './form.js';

interface Saved {
  fingerprint: string;
  status: number;
  body: unknown;
  savedAt: number;
}

const TTL_MS = 24 * 3600 * 1000;

/**
 * Stripe's idempotency (https://docs.stripe.com/api/idempotent_requests): a key replays the first
 * successful result for 24 h; reusing it with other parameters is an `idempotency_error`.
 * Like Stripe, results of requests that failed validation are not saved.
 */
export class IdempotencyCache {
  private readonly saved = new Map<string, Saved>();

  private static fingerprint(method: string, path: string, params: FormObject): string {
    return `${method} ${path} ${JSON.stringify(params)}`;
  }

  replay(apiKey: string, key: string, method: string, path: string, params: FormObject): Saved | null {
    const saved = this.saved.get(`${apiKey}:${key}`);
    if (!saved || Date.now() - saved.savedAt > TTL_MS) return null;
    if (saved.fingerprint !== IdempotencyCache.fingerprint(method, path, params)) {
      throw new StripeApiError(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return saved;
  }

  save(apiKey: string, key: string, method: string, path: string, params: FormObject, status: number, body: unknown): void {
    this.saved.set(`${apiKey}:${key}`, {
      fingerprint: IdempotencyCache.fingerprint(method, path, params),
      status,
      body,
      savedAt: Date.now(),
    });
  }
}
