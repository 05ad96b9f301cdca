import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Path with query string, sent as is (already percent-encoded where it needs to be). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One request with exactly the method, path, headers and bytes given (node:http, no client-side fixes). */
export async function send(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  try {
    return await sendOnce(baseUrl, req);
  } catch (error) {
    // The server may close a kept-alive connection just as a request goes out on it (Node's
    // documented race); the request never reached the app, so it is sent again, once.
    if ((error as { reusedSocket?: boolean }).reusedSocket) return sendOnce(baseUrl, req);
    throw error;
  }
}

function sendOnce(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error(`timeout: ${req.method} ${req.path}`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      reject(Object.assign(error, { reusedSocket: outgoing.reusedSocket && error.code === 'ECONNRESET' })),
    );
    outgoing.end(req.body);
  });
}

/**
 * Writes raw bytes on a fresh connection and returns the status code of the first answer
 * (0 when the server closes without one, which is how Node answers some malformed input).
 */
export function sendRaw(baseUrl: string, bytes: Buffer): Promise<number> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('close', () => resolve(0));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(0) : reject(error)));
    socket.end(bytes);
  });
}
