import { request, type IncomingHttpHeaders } from 'node:http';
import { ensurePeriod } from '../../src/db/periods.js';
import { periodKeyOf } from '../../src/domain/period.js';
import type { TestService } from './service.js';

export interface StreamEvent {
  /** The event name; ":" for a comment line, "retry" for a reconnection hint (its milliseconds as data). */
  event: string;
  data: string;
  id?: string;
}

export interface StreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The whole body when the server refused the stream (a problem document). */
  body: string;
}

export interface ProgressStream {
  response: StreamResponse;
  /** Every event and comment line so far. */
  events: StreamEvent[];
  /** Resolves with the first event (from now on or already received) that matches. */
  next(match: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export interface StreamOptions {
  headers?: Record<string, string>;
  /** The address to connect from (any 127.x.y.z on Linux): a different client for the per-client cap. */
  localAddress?: string;
}

function parseBlock(block: string): StreamEvent | null {
  const fields: StreamEvent = { event: 'message', data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) fields.event = ':';
    else if (line.startsWith('event: ')) fields.event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
    else if (line.startsWith('id: ')) fields.id = line.slice(4);
    else if (line.startsWith('retry: ')) {
      fields.event = 'retry';
      data.push(line.slice(7));
    }
  }
  fields.data = data.join('\n');
  return fields.event !== 'message' || data.length ? fields : null;
}

/** A minimal Server-Sent Events reader over node:http (Node 20 has no EventSource). */
export function openStream(url: string, options: StreamOptions = {}): Promise<ProgressStream> {
  const events: StreamEvent[] = [];
  const listeners = new Set<() => void>();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Accept: 'text/event-stream', ...options.headers }, localAddress: options.localAddress, agent: false }, (res) => {
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => res.once('close', () => done()));
      const stream: ProgressStream = {
        response: { status: res.statusCode ?? 0, headers: res.headers, body: '' },
        events,
        ended,
        next(match, timeoutMs = 5_000) {
          return new Promise((found, fail) => {
            let seen = 0;
            const check = () => {
              for (; seen < events.length; seen += 1) {
                if (match(events[seen]!)) {
                  listeners.delete(check);
                  clearTimeout(timer);
                  found(events[seen]!);
                  return;
                }
              }
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              fail(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            listeners.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      };
      if (res.statusCode !== 200) {
        res.on('data', (chunk: string) => (stream.response.body += chunk));
        res.on('end', () => resolve(stream));
        return;
      }
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) events.push(event);
          for (const listener of listeners) listener();
        }
      });
      res.on('error', () => {});
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body of a `progress` event. */
export function progressOf(event: StreamEvent): { raised: number; donations_count: number; next_tier: { remaining: number } | null } {
  return JSON.parse(event.data);
}

/**
 * Adds money to this month's figures the way a ledger commit does (the aggregate row, then the
 * change announced on Redis), without going through Stripe.
 */
export async function addToThisMonth(service: TestService, slug: string, amount: number): Promise<void> {
  const { rows } = await service.ctx.db.query<{ id: number; timezone: string }>('SELECT id, timezone FROM campaigns WHERE slug = $1', [slug]);
  const campaign = rows[0]!;
  const month = periodKeyOf(new Date(), campaign.timezone);
  await ensurePeriod(service.ctx.db, campaign.id, month);
  await service.ctx.db.query(
    `UPDATE campaign_periods SET raised = raised + $3, donations_count = donations_count + 1, updated_at = now()
     WHERE campaign_id = $1 AND period_key = $2`,
    [campaign.id, month, amount],
  );
  await service.ctx.changes.publish(campaign.id);
}
