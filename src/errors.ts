/**
 * Every failure a client can see has a stable `code`; the HTTP layer maps these to RFC 9457
 * problem details in one place (src/http/problem.ts).
 */
export type ErrorCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'campaign_not_accepting'
  | 'idempotency_conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'invalid_signature'
  | 'stripe_error'
  | 'unsafe_webhook_target'
  | 'service_unavailable'
  | 'internal_error';

export interface FieldError {
  field: string;
  message: string;
}

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  invalid_signature: 400,
  unsafe_webhook_target: 400,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  campaign_not_accepting: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  stripe_error: 502,
  service_unavailable: 503,
  internal_error: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusByCode[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`);
export const conflict = (message: string) => new AppError('conflict', message);
export const validationFailed = (errors: FieldError[], message = 'The request is not valid.') =>
  new AppError('validation_failed', message, errors);
