import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, type ErrorCode, type FieldError } from '../errors.js';
import type { Logger } from '../logger.js';

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

export function sendProblem(
  res: Response,
  problem: { status: number; code: ErrorCode; detail: string; errors?: FieldError[]; headers?: Record<string, string> },
): void {
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://goalpost.dev/problems/${problem.code.replaceAll('_', '-')}`,
        title: TITLES[problem.status] ?? 'Error',
        status: problem.status,
        detail: problem.detail,
        code: problem.code,
        errors: problem.errors ?? [],
      }),
    );
}

/**
 * Errors thrown by body parsers carry a `type`; Express's router throws a 400 for a path whose
 * percent-encoding is broken (/v1/campaigns/%zz). Map the ones a client can cause.
 */
function fromFramework(error: { type?: string; status?: number }): AppError | null {
  if (error instanceof URIError && error.status === 400) {
    return new AppError('validation_failed', 'The request path is not valid percent-encoding.');
  }
  switch (error.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is larger than this endpoint accepts.');
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'The request body encoding is not supported.');
    case 'parameters.too.many':
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('validation_failed', 'The request body could not be read.');
    default:
      return null;
  }
}

/** The one place errors become HTTP responses. Unknown errors are logged and answered 500 without detail. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = error instanceof AppError ? error : fromFramework(error);
    if (known) {
      sendProblem(res, { status: known.status, code: known.code, detail: known.message, errors: known.errors, headers: known.headers });
      return;
    }
    (req.log ?? logger).error({ err: error }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, { status: 500, code: 'internal_error', detail: 'Something went wrong on our side; it has been logged.' });
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, { status: 404, code: 'not_found', detail: `No route for ${req.method} ${req.path}.` });
};
