/**
 * Errors in Stripe's own shape (https://docs.stripe.com/api/errors): the SDK turns the body into
 * StripeInvalidRequestError, StripeCardError, ... by `type`, exactly as it does for real Stripe.
 */
export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error';

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'StripeApiError';
  }

  toJSON() {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.code && { code: this.code, doc_url: `https://docs.stripe.com/error-codes/${this.code.replaceAll('_', '-')}` }),
        ...(this.param && { param: this.param }),
      },
    };
  }
}

export const invalidRequest = (message: string, param?: string, code?: string) =>
  new StripeApiError(400, 'invalid_request_error', message, code, param);

export const missingParam = (param: string) =>
  invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');

export const unknownParam = (param: string) =>
  invalidRequest(
    `Received unknown parameter: ${param}. (The Goalpost Stripe emulator implements only the parameters Goalpost uses.)`,
    param,
    'parameter_unknown',
  );

export const resourceMissing = (kind: string, id: string, param = 'id') =>
  new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', param);
