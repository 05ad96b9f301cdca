import type { ReceiptRow } from '../../src/db/receipts.js';
import { relayOutbox } from '../../src/queue/outbox-relay.js';
import type { TestService } from './service.js';

/** Moves committed outbox rows into this service's queues (what the ledger does after commit). */
export function relay(service: TestService): Promise<number> {
  return relayOutbox(service.ctx.db, service.ctx.queues);
}

/** Polls until `check` returns a value other than undefined/false. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function receiptsOf(service: TestService, donationId: string): Promise<ReceiptRow[]> {
  const { rows } = await service.ctx.db.query<ReceiptRow>('SELECT * FROM receipts WHERE donation_id = $1 ORDER BY id', [donationId]);
  return rows;
}

/** Waits until every listed receipts row is in one of the final states (sent or failed). */
export async function settled(service: TestService, receiptIds: number[], timeoutMs = 15_000): Promise<ReceiptRow[]> {
  return eventually(
    async () => {
      const { rows } = await service.ctx.db.query<ReceiptRow>('SELECT * FROM receipts WHERE id = ANY($1) ORDER BY id', [receiptIds]);
      return rows.length === receiptIds.length && rows.every((row) => row.status === 'sent' || row.status === 'failed') && rows;
    },
    timeoutMs,
    `receipts ${receiptIds.join(', ')} to be sent or failed`,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
