import type { FormObject } from './form.js';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The route pattern, e.g. `POST /v1/checkout/sessions`; what tests count by. */
  route: string;
  params: FormObject;
  idempotency_key: string | null;
  status: number;
  replayed: boolean;
}

/** Every Stripe API request the emulator answered, so tests can assert "exactly one Stripe call". */
export class RequestLog {
  private entries: RecordedRequest[] = [];

  record(entry: RecordedRequest): void {
    this.entries.push(entry);
  }

  all(): RecordedRequest[] {
    return this.entries.map((entry) => structuredClone(entry));
  }

  /** Requests to one route (`POST /v1/refunds`), or to every route when none is given. */
  count(route?: string): number {
    return route === undefined ? this.entries.length : this.entries.filter((entry) => entry.route === route).length;
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
    return counts;
  }

  reset(): void {
    this.entries = [];
  }
}
