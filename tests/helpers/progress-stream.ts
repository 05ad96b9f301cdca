import { ensurePeriod } from '../../src/db/periods.js';
import { periodKeyOf } from '../../src/domain/period.js';
import type { TestService } from './service.js';

export interface StreamEvent {
  event: string;
  data: string;
}

export interface ProgressStream {
  response: Response;
  /** Every event and comment line so far (comments as event ":"). */
  events: StreamEvent[];
  /** Resolves with the first event (from now on or already received) that matches. */
  next(match: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A minimal Server-Sent Events reader over fetch (Node 20 has no EventSource). */
export async function openStream(url: string): Promise<ProgressStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
  const events: StreamEvent[] = [];
  const listeners = new Set<() => void>();
  const ended = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = { event: 'message', data: [] as string[] };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) fields.event = ':';
            else if (line.startsWith('event: ')) fields.event = line.slice(7);
            else if (line.startsWith('data: ')) fields.data.push(line.slice(6));
          }
          if (fields.event !== 'message' || fields.data.length) events.push({ event: fields.event, data: fields.data.join('\n') });
          for (const listener of listeners) listener();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    response,
    events,
    ended,
    next(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < events.length; seen += 1) {
            if (match(events[seen]!)) {
              listeners.delete(check);
              clearTimeout(timer);
              resolve(events[seen]!);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
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
