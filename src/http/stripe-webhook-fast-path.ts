import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpRequestDuration } from '../metrics.js';
import type { WebhookIngest } from '../services/stripe-events/ingest.js';
import { REQUEST_ID } from './headers.js';
import { securityHeaders } from './progress-fast-path.js';
import { STRIPE_WEBHOOK_BODY_LIMIT_BYTES, STRIPE_WEBHOOK_PATH } from './routes/stripe-webhooks.js';

const ROUTE_LABEL = STRIPE_WEBHOOK_PATH;

function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

/**
 * Stripe's deliveries come in bursts, and each waits only for its event to be stored: a
 * delivery with a declared length is answered here, in front of Express (app.ts
 * createRequestListener), with the headers the full path sets (security, request id) but
 * without the router, the body parser and a per-request log line (deliveries are counted in
 * /metrics, and every event is in stripe_events). Returns false for any other request. A
 * delivery this path cannot acknowledge — a bad signature, a body that cannot be stored, the
 * store down — goes on to the full route (routes/stripe-webhooks.ts) through `fallBack`, with
 * the body already read, which answers the problem exactly as it always has.
 */
export function stripeWebhookFastPath(webhooks: WebhookIngest): (req: IncomingMessage, res: ServerResponse, fallBack: () => void) => boolean {
  // Built once; the request id and the length are filled in per answer (writeHead copies the list
  // out synchronously). With its length given, Node sends the body as is, not framed in chunks.
  const headers = ['X-Request-Id', '', 'Content-Length', '', ...securityHeaders().flat(), 'Content-Type', 'application/json; charset=utf-8'];
  return (req, res, fallBack) => {
    if (req.method !== 'POST' || req.url !== STRIPE_WEBHOOK_PATH || req.headers['content-encoding']) return false;
    const length = Number(req.headers['content-length']);
    if (!Number.isSafeInteger(length) || length <= 0 || length > STRIPE_WEBHOOK_BODY_LIMIT_BYTES) return false;
    const stop = httpRequestDuration.startTimer();
    readBody(req, length).then(
      async (raw) => {
        try {
          const { eventId } = await webhooks.ingest(raw, req.headers['stripe-signature'] as string | undefined);
          const given = req.headers['x-request-id'];
          const body = JSON.stringify({ received: true, id: eventId });
          headers[1] = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
          headers[3] = String(Buffer.byteLength(body));
          res.writeHead(200, headers).end(body);
          stop({ method: 'POST', route: ROUTE_LABEL, status_code: '200' });
        } catch {
          // The body is read (so the body parser leaves it be): the full path answers the problem.
          (req as IncomingMessage & { body?: Buffer }).body = raw;
          fallBack();
        }
      },
      // The sender went away mid-body: there is no one left to answer.
      () => res.destroy(),
    );
    return true;
  };
}
