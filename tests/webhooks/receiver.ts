import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { withTransaction } from '../../src/db/pool.js';
import { emitConsumerEvent, type ConsumerEventType } from '../../src/services/consumer-events.js';
import { relayOutbox } from '../../src/queue/outbox-relay.js';
import type { TestService } from '../helpers/service.js';

export interface ReceivedRequest {
  webhookId: string;
  headers: IncomingHttpHeaders;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Whether the receiver's secret(s) verified it with standardwebhooks when it arrived. */
  verified: boolean;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

/**
 * A webhook consumer as a real HTTP server: verifies every request with `standardwebhooks`
 * and the endpoint's secret, records it, and answers as the test says. `nth` counts requests
 * per webhook-id (1 for the first delivery attempt of an event).
 */
export async function startReceiver(reply: (request: ReceivedRequest, nth: number) => Reply = () => ({ status: 200 })) {
  const requests: ReceivedRequest[] = [];
  const state = { secrets: [] as string[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        webhookId: String(req.headers['webhook-id']),
        headers: req.headers,
        body,
        payload: JSON.parse(body),
        verified: state.secrets.some((secret) => verifies(secret, { headers: req.headers, body })),
        at: Date.now(),
      };
      requests.push(request);
      const nth = requests.filter((r) => r.webhookId === request.webhookId).length;
      const answer = reply(request, nth);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? 'ok');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    requests,
    /** The secret(s) verifying deliveries from now on. */
    trust(...secrets: string[]) {
      state.secrets = secrets;
    },
    requestsFor(eventId: string) {
      return requests.filter((request) => request.webhookId === eventId);
    },
    /** Waits until at least `count` requests for the event arrived, and returns them. */
    async received(eventId: string, count = 1) {
      await waitFor(() => requests.filter((request) => request.webhookId === eventId).length >= count, `delivery of ${eventId}`);
      return requests.filter((request) => request.webhookId === eventId);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** standardwebhooks' own check: signature(s), id and a timestamp within 5 minutes. */
export function verifies(secret: string, request: Pick<ReceivedRequest, 'headers' | 'body'>): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

/** Emits a consumer event the way the ledger does (inside a transaction), then relays the outbox. */
export async function emitEvent(
  service: TestService,
  type: ConsumerEventType,
  data: Record<string, unknown> = {},
  dedupeKey = `test:${type}:${randomBytes(6).toString('hex')}`,
): Promise<string> {
  const id = await withTransaction(service.ctx.db, (client) => emitConsumerEvent(client, { type, data, dedupeKey }));
  await relayOutbox(service.ctx.db, service.ctx.queues);
  if (!id) throw new Error(`event ${dedupeKey} was emitted before`);
  return id;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers an endpoint through the admin API; the receiver then trusts its secret. */
export async function registerEndpoint(service: TestService, receiver: Receiver, events: string[], url = receiver.url) {
  const response = await service.api.post('/v1/admin/webhook-endpoints').set(service.admin).send({ url, events, description: 'test receiver' });
  if (response.status !== 201) throw new Error(`endpoint not created: ${response.status} ${JSON.stringify(response.body)}`);
  receiver.trust(response.body.secret);
  return response.body as { id: string; secret: string; url: string; events: string[] };
}
