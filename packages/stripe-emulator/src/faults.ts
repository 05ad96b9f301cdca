import { StripeApiError, type StripeErrorType } from './errors.js';

export interface FaultSpec {
  /** Only requests to this route (`POST /v1/refunds`) fail; every API route when omitted. */
  route?: string;
  status?: number;
  type?: StripeErrorType;
  code?: string;
  message?: string;
  /** How many requests fail before the emulator answers normally again. */
  count?: number;
}

interface Fault {
  route?: string;
  error: StripeApiError;
  remaining: number;
}

/** Test control: make the next Stripe calls fail the way Stripe can (500, 429, a 402 decline...). */
export class FaultQueue {
  private faults: Fault[] = [];

  add(spec: FaultSpec): void {
    const status = spec.status ?? 500;
    const type = spec.type ?? (status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error');
    const message = spec.message ?? 'Injected by the Goalpost Stripe emulator (test control /_emulator/faults).';
    this.faults.push({ route: spec.route, error: new StripeApiError(status, type, message, spec.code), remaining: spec.count ?? 1 });
  }

  take(route: string): StripeApiError | null {
    const fault = this.faults.find((candidate) => candidate.route === undefined || candidate.route === route);
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault.error;
  }

  clear(): void {
    this.faults = [];
  }
}
