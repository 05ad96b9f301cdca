/**
 * The worker's claim (db/stripe-events.ts claimStripeEvents) under a backlog: the oldest due
 * events first, none another batch holds, none waiting for a retry's time, each with the exact
 * payload stored — whether the planner walks the claimable index or sorts what is waiting.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimStripeEvents, insertStripeEvents } from '../../src/db/stripe-events.js';
import { cloneTestDatabase } from '../helpers/database.js';

let database: Awaited<ReturnType<typeof cloneTestDatabase>>;
let db: pg.Pool;

beforeAll(async () => {
  database = await cloneTestDatabase();
  db = new pg.Pool({ connectionString: database.url, max: 4 });
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

const BACKLOG = 300;

function storedEvent(index: number) {
  const id = `evt_claim_${String(index).padStart(4, '0')}`;
  // Quotes, backslashes and non-ASCII text must come back byte for byte.
  const body = { id, object: 'event', type: 'charge.succeeded', created: 1_733_000_000 + index, data: { object: { id: `ch_${index}`, description: `Gift "${index}" \\ für Ümit` } } };
  return { event: { id, type: body.type, api_version: '2024-06-20', livemode: false, created: body.created }, payloadJson: JSON.stringify(body) };
}

async function claimIds(client: pg.PoolClient, limit: number): Promise<string[]> {
  return (await claimStripeEvents(client, limit)).map((event) => event.id);
}

describe('claiming stored Stripe events', () => {
  beforeAll(async () => {
    const events = Array.from({ length: BACKLOG }, (_, index) => storedEvent(index));
    for (let start = 0; start < BACKLOG; start += 25) await insertStripeEvents(db, events.slice(start, start + 25), 'webhook');
    // One received_at per event, in index order, so "oldest first" has one answer.
    await db.query(`UPDATE stripe_events SET received_at = to_timestamp(1733000000 + substring(id from 11)::int)`);
    // Event 3 waits for a retry an hour from now.
    await db.query(`UPDATE stripe_events SET next_attempt_at = now() + interval '1 hour' WHERE id = 'evt_claim_0003'`);
  });

  test.each([
    // Statistics that still say the table is empty (as after a burst): the planner sorts whatever is waiting.
    ['sorts what is waiting', 'SELECT 1'],
    ['walks the claimable index', 'ANALYZE stripe_events'],
  ])('takes the oldest due events first, skips what another batch holds, and returns their payloads intact (%s)', async (_plan, statistics) => {
    await db.query(statistics);
    const holder = await db.connect();
    const claimer = await db.connect();
    try {
      await holder.query('BEGIN');
      expect(await claimIds(holder, 2)).toEqual(['evt_claim_0000', 'evt_claim_0001']);

      await claimer.query('BEGIN');
      const claimed = await claimStripeEvents(claimer, 5);
      expect(claimed.map((event) => event.id)).toEqual(['evt_claim_0002', 'evt_claim_0004', 'evt_claim_0005', 'evt_claim_0006', 'evt_claim_0007']);
      expect(claimed.map((event) => JSON.stringify(event.payload))).toEqual([2, 4, 5, 6, 7].map((index) => storedEvent(index).payloadJson));
      expect(claimed.every((event) => event.status === 'received')).toBe(true);
    } finally {
      await holder.query('ROLLBACK');
      await claimer.query('ROLLBACK');
      holder.release();
      claimer.release();
    }
  });

  test('a claim larger than the backlog takes every due event once', async () => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const ids = await claimIds(client, BACKLOG * 2);
      expect(ids).toHaveLength(BACKLOG - 1);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).not.toContain('evt_claim_0003');
      expect(ids).toEqual([...ids].sort());
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
