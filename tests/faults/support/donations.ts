import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import type pg from 'pg';
import { createCampaign, type BenchCampaign } from '../../../bench/lib/bench.js';
import {
  deliveryOrder,
  insertCheckoutRows,
  makeDonationStream,
  totalsDifference,
  type DonationStream,
} from '../../../bench/lib/donation-stream.js';
import type { Drill, ServiceProcess } from './drill.js';

export interface DrillDonations {
  campaign: BenchCampaign;
  stream: DonationStream;
  /** The events as they will travel: 10% sent twice, 5% out of order. */
  deliveries: Stripe.Event[];
}

/**
 * A campaign and `count` donations to it (5% partly refunded) made with the emulator's flows,
 * with the checkout rows Goalpost's checkout would have written.
 */
export async function prepareDonations(drill: Drill, api: ServiceProcess, slug: string, count: number, seed: number): Promise<DrillDonations> {
  const campaign = await createCampaign({ api: { url: api.url, child: api.child }, db: drill.db }, slug);
  const stream = makeDonationStream(campaign, count, { refundShare: 0.05, seed });
  await insertCheckoutRows(drill.db, campaign, stream.donations);
  const deliveries = deliveryOrder(stream.events, { duplicateShare: 0.1, reorderShare: 0.05, seed: seed + 1 });
  return { campaign, stream, deliveries };
}

interface EventProgress {
  stored: number;
  finished: number;
  failed: number;
  other: Record<string, number>;
}

async function eventProgress(db: pg.Pool): Promise<EventProgress> {
  const { rows } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM stripe_events GROUP BY status');
  const by = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  const stored = rows.reduce((sum, row) => sum + row.n, 0);
  return { stored, finished: (by.processed ?? 0) + (by.ignored ?? 0), failed: by.failed ?? 0, other: by };
}

/**
 * Waits until every one of the `expected` events is stored and processed (or ignored), then
 * until the ledger shows exactly the expected totals. Fails with what it saw at the deadline.
 */
export async function expectLedgerToSettle(drill: Drill, donations: DrillDonations, timeoutMs: number): Promise<void> {
  const expectedEvents = donations.stream.events.length;
  const deadline = Date.now() + timeoutMs;
  let progress = await eventProgress(drill.db);
  while (progress.stored < expectedEvents || progress.finished < expectedEvents) {
    if (progress.failed) throw new Error(`events failed: ${JSON.stringify(progress.other)}`);
    if (Date.now() > deadline) throw new Error(`events did not all finish in ${timeoutMs} ms: ${JSON.stringify(progress.other)} of ${expectedEvents}`);
    await sleep(200);
    progress = await eventProgress(drill.db);
  }
  const difference = await totalsDifference(drill.db, donations.campaign.id, donations.stream.expected);
  if (difference) throw new Error(`ledger totals are wrong: ${difference}`);
}

/** Waits for a condition the drill checks in the database, reporting the last value on timeout. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms; last seen: ${JSON.stringify(value)}`);
    await sleep(200);
    value = await probe();
  }
  return value;
}
