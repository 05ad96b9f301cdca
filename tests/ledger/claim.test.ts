/**
 * The worker's claim (db/stripe-events.ts claimStripeEvents) under a backlog: the oldest due
 * events first, none another batch holds, none waiting for a retry's time, each with the exact
 * payload stored — whether the planner walks the claimable index or sorts what is waiting.
 *
 * Then where a worker's claims start (services/stripe-events/claim-window.ts): after a claim
 * from the start, claims skip the processed events before the oldest one taken, and nothing
 * that becomes due behind that point is left there — the next claim from the start takes it, at
 * most the window's interval later, or at once when the window holds nothing due.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { claimStripeEvents, insertStripeEvents } from '../../src/db/stripe-events.js';
import { ClaimWindow } from '../../src/services/stripe-events/claim-window.js';
import { aroundQueries, cloneTestDatabase } from '../helpers/database.js';

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

const INTERVAL_MS = 250;

/**
 * Stores an event received `second` seconds into a fixed minute (one received_at per event, so
 * "oldest first" has one answer; microseconds, which a JavaScript Date cannot hold, included).
 */
async function store(id: string, second: number): Promise<void> {
  const body = { id, object: 'event', type: 'charge.succeeded', created: 1_733_000_000, data: { object: { id: `ch_${id}` } } };
  await insertStripeEvents(db, [{ event: { id, type: body.type, api_version: '2024-06-20', livemode: false, created: body.created }, payloadJson: JSON.stringify(body) }], 'webhook');
  await db.query(`UPDATE stripe_events SET received_at = timestamptz '2026-12-02 10:00:00+00' + make_interval(secs => $2) WHERE id = $1`, [id, second]);
}

/** One claim in its own transaction, whose events are then recorded as processed (as a batch would). */
async function claimAndProcess(window: ClaimWindow, limit = 1, skip: readonly string[] = []): Promise<string[]> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const ids = (await window.claim(client, limit)).map((event) => event.id);
    // `skip`: claimed but left for a later batch (its Stripe ids held elsewhere), still due.
    const processed = ids.filter((id) => !skip.includes(id));
    await client.query(`UPDATE stripe_events SET status = 'processed', processed_at = now() WHERE id = ANY($1)`, [processed]);
    await client.query('COMMIT');
    return ids;
  } finally {
    client.release();
  }
}

describe('the claim window', () => {
  let clock: number;
  let window: ClaimWindow;

  beforeEach(async () => {
    await db.query('TRUNCATE stripe_events CASCADE');
    clock = 1_000_000;
    window = new ClaimWindow(INTERVAL_MS, () => clock);
  });

  test('a claim given a received_at takes no event received before it', async () => {
    for (const [id, second] of [['evt_a', 10], ['evt_b', 20], ['evt_c', 30]] as const) await store(id, second);
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const from = new Date('2026-12-02T10:00:20Z');
      expect((await claimStripeEvents(client, 10, from)).map((event) => event.id)).toEqual(['evt_b', 'evt_c']);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  test('claims start where the last one took its oldest event; an event due behind it waits for the next claim from the start', async () => {
    for (const [id, second] of [['evt_a', 10.000_001], ['evt_b', 20.123_456], ['evt_c', 30.999_999], ['evt_d', 40]] as const) await store(id, second);
    expect(await claimAndProcess(window)).toEqual(['evt_a']); // from the start

    // An ingest that committed late: received before the window's start.
    await store('evt_late', 5);
    clock += INTERVAL_MS - 1;
    expect(await claimAndProcess(window)).toEqual(['evt_b']);
    expect(await claimAndProcess(window)).toEqual(['evt_c']);

    // The interval is over: the next claim starts from the start again and finds it first.
    clock += 1;
    expect(await claimAndProcess(window)).toEqual(['evt_late']);
    expect(await claimAndProcess(window)).toEqual(['evt_d']);
  });

  test('when nothing is due in the window, the same claim looks from the start', async () => {
    for (const [id, second] of [['evt_retry', 1], ['evt_a', 10], ['evt_b', 20]] as const) await store(id, second);
    await db.query(`UPDATE stripe_events SET next_attempt_at = now() + interval '1 hour' WHERE id = 'evt_retry'`);
    expect(await claimAndProcess(window)).toEqual(['evt_a']);
    expect(await claimAndProcess(window)).toEqual(['evt_b']);

    // A retry whose time came, behind everything the window holds (which is all processed).
    await db.query(`UPDATE stripe_events SET next_attempt_at = now() - interval '1 second' WHERE id = 'evt_retry'`);
    expect(await claimAndProcess(window)).toEqual(['evt_retry']);
    expect(await claimAndProcess(window)).toEqual([]);
  });

  test('the window starts at the oldest event a claim took, not the newest', async () => {
    for (const [id, second] of [['evt_a', 10], ['evt_b', 20], ['evt_c', 30]] as const) await store(id, second);
    // evt_a is claimed with evt_b but left for a later batch.
    expect(await claimAndProcess(window, 2, ['evt_a'])).toEqual(['evt_a', 'evt_b']);
    expect(await claimAndProcess(window)).toEqual(['evt_a']);
    expect(await claimAndProcess(window)).toEqual(['evt_c']);
  });

  test('a windowed claim that ends after a claim from the start began leaves the window where that claim put it', async () => {
    for (const [id, second] of [['evt_a', 10], ['evt_b', 20], ['evt_c', 30], ['evt_d', 40]] as const) await store(id, second);
    expect(await claimAndProcess(window)).toEqual(['evt_a']);

    const late = await db.connect();
    const full = await db.connect();
    try {
      // A windowed claim, its statement held back until a claim from the start has taken evt_b.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const heldBack = aroundQueries(late, async (run) => {
        await held;
        return run();
      });
      await late.query('BEGIN');
      const windowed = window.claim(heldBack, 1);

      clock += INTERVAL_MS;
      await full.query('BEGIN');
      expect((await window.claim(full, 1)).map((event) => event.id)).toEqual(['evt_b']);
      release();
      expect((await windowed).map((event) => event.id)).toEqual(['evt_c']);
      await late.query(`UPDATE stripe_events SET status = 'processed' WHERE id = 'evt_c'`);
      await late.query('COMMIT');
      // The claim from the start fails: evt_b is due again, where that claim left the window.
      await full.query('ROLLBACK');
    } finally {
      late.release();
      full.release();
    }
    expect(await claimAndProcess(window)).toEqual(['evt_b']);
    expect(await claimAndProcess(window)).toEqual(['evt_d']);
  });

  test('events another batch holds are skipped, and taken once it gives them back', async () => {
    for (const [id, second] of [['evt_a', 10], ['evt_b', 20], ['evt_c', 30]] as const) await store(id, second);
    const holder = await db.connect();
    try {
      // Another batch of the same process claims the oldest event, then fails and rolls back.
      await holder.query('BEGIN');
      expect((await window.claim(holder, 1)).map((event) => event.id)).toEqual(['evt_a']);
      expect(await claimAndProcess(window)).toEqual(['evt_b']);
      await holder.query('ROLLBACK');
    } finally {
      holder.release();
    }
    expect(await claimAndProcess(window)).toEqual(['evt_c']);
    // evt_a is due again behind the window: nothing else is, so it is taken at once.
    expect(await claimAndProcess(window)).toEqual(['evt_a']);
  });
});
