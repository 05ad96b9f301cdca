/** Headers shared by the full middleware stack and the progress fast path, defined once. */

/** A client's X-Request-Id is echoed when it looks like an id; otherwise we make one. */
export const REQUEST_ID = /^[\w.:@/+=-]{1,200}$/;

/** Helmet's defaults, except that public JSON and the widget script may be read by other origins. */
export const SECURITY_HEADERS_OPTIONS = { crossOriginResourcePolicy: { policy: 'cross-origin' } } as const;

/** Public campaign routes are called from any publisher's pages (widget, donate forms). */
export const PUBLIC_CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key, If-None-Match',
  'Access-Control-Expose-Headers': 'ETag, X-Request-Id, Retry-After',
  'Access-Control-Max-Age': '600',
};
