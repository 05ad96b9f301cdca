/**
 * A URL as it may appear in logs: scheme, host, port and path only. Consumers often put a token
 * in the query string or in user:password@ — neither belongs in a log line.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[unparseable URL]';
  }
}
