import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/**
 * Node's own helper that hands an HTTP parser back to its pool (and out of the server's list of
 * connections watched for request timeouts). It is what Node calls when it gives a connection
 * away on an upgrade; `_http_common` is a legacy module that Node still exports for this kind of use.
 * Should a later Node drop it, streams keep working and only cost a parser more each.
 */
type FreeParser = (parser: unknown, req: IncomingMessage | null, socket: Socket | null) => void;
const freeParser: FreeParser = loadFreeParser();

function loadFreeParser(): FreeParser {
  try {
    const helper = (createRequire(import.meta.url)('_http_common') as { freeParser?: FreeParser }).freeParser;
    if (typeof helper === 'function') return helper;
  } catch {
    // Not there: fall through to keeping the parser.
  }
  return () => {};
}

/**
 * The header lines of a long-lived response, built once per header set. The body runs until the
 * connection closes (HTTP/1.0 and 1.1 alike), so an event goes on the wire as its bytes alone,
 * without chunk framing.
 */
export function streamHeaderBlock(headers: OutgoingHttpHeaders): Buffer {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || /^(connection|content-length|transfer-encoding|date)$/i.test(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}\r\n`);
  }
  return Buffer.from(`${lines.join('')}Connection: close\r\n\r\n`, 'latin1');
}

/**
 * Takes a request's connection away from Node's HTTP server and writes a 200 head with the given
 * header block on it, the way a WebSocket server takes its connection after an upgrade. For as
 * long as a stream lives, Node would otherwise keep the request, the response, its header block
 * and the connection's HTTP parser: most of what a stream costs. What remains is the socket.
 *
 * Call it after the request's own event has returned (after an await): Node frees the parser of
 * an upgrade only once the parser's work on the incoming bytes is done, and so does this.
 * Returns null when the response does not own its connection (a request pipelined behind
 * another one, or one already answered or gone); the response is then untouched.
 */
export function takeConnection(req: IncomingMessage, res: ServerResponse, headerBlock: Buffer): Socket | null {
  const socket = res.socket;
  if (!socket || socket !== req.socket || res.headersSent || socket.destroyed) return null;
  res.detachSocket(socket);
  // Every listener on a server connection is the HTTP server's (parser feed, keep-alive and
  // error handling) or the response's: none of it applies to a connection nobody parses.
  socket.removeAllListeners();
  freeParser((socket as Socket & { parser?: unknown }).parser, req, socket);
  socket.setTimeout(0);
  // The server allows half-open connections for HTTP's sake; a reader that finished sending
  // has left, so the connection is closed with it.
  socket.on('end', () => socket.destroy());
  // A reader gone away is a reset or a broken pipe: the socket closes, nothing else to do.
  socket.on('error', () => {});
  // Bytes a reader sends after its request mean nothing; reading on is how its leaving is seen.
  socket.resume();
  socket.cork();
  socket.write(`HTTP/1.1 200 OK\r\nDate: ${new Date().toUTCString()}\r\n`, 'latin1');
  socket.write(headerBlock);
  process.nextTick(() => socket.uncork());
  return socket;
}
