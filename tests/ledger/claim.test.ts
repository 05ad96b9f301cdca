/**
 * The worker's claim (db/stripe-events.ts claimStripeEvents) under a backlog: the oldest due
 * events first, none another batch holds, none waiting for a retry's time, each with the exact
 * payload stored — whatever the planner's statistics say of the queue.
 *
 * Then the queue of due events: an event is on it exactly while it is 'received', whoever wrote
 * it, and a claim reads the queue, so what it steps over is bounded by the queue's own vacuum,
 * not the events'.
 *
 * Then where a worker's claims start (services/stripe-events/claim-window.ts): after a claim
 * from the start, claims skip the processed events before the oldest one taken, and nothing
 * that becomes due behind that point is left there — the next claim from the start takes it, at
 * most the window's interval later, or at once when the window holds nothing due.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  claimStripeEvents,
  hasOverdueStripeEvents,
  insertStripeEvent,
  insertStripeEvents,
  recordStripeEventFailure,
  recordStripeEventOutcomes,
  requeueDeferredEvents,
  resetStripeEventForReplay,
} from '../../src/db/stripe-events.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { ClaimWindow } from '../../src/services/stripe-events/claim-window.js';
import { aroundQueries, cloneTestDatabase } from '../helpers/database.js';

let database: Awaited<ReturnType<typeof cloneTestDatabase>>;
let db: pg.Pool;

beforeAll(async () => {
  database = await cloneTestDatabase();
  db = new pg.Pool({ connectionString: database.url, max: 4 });
  // pool.end() resolves before its connections have closed, so the database's drop (WITH FORCE)
  // can end one of them: an idle client's error, which a pool without a listener throws.
  db.on('error', () => {});
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

const BACKLOG = 300;

/** The migration whose update trigger reads each transition table once. */
const LINEAR_TRIGGER_MIGRATION = '1798700000000_stripe-event-queue-linear.sql';

function storedEvent(index: number) {
  const id = `evt_claim_${String(index).padStart(4, '0')}`;
  // Quotes, backslashes and non-ASCII text must come back byte for byte.
  const body = { id, object: 'event', type: 'charge.succeeded', created: 1_733_000_000 + index, data: { object: { id: `ch_${index}`, description: `Gift "${index}" \\ für Ümit` } } };
  return { event: { id, type: body.type, api_version: '2024-06-20', livemode: false, created: body.created }, payloadJson: JSON.stringify(body) };
}

/** A node of a plan as EXPLAIN's JSON format gives it (the fields read here). */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** A plan's nodes, the top one first. */
function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
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
    // Statistics that still say the table is empty (as after a burst), and statistics that know the backlog.
    ['statistics from before the backlog', 'SELECT 1'],
    ['statistics of the backlog', 'ANALYZE stripe_event_queue, stripe_events'],
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

function processed(ids: readonly string[]) {
  return ids.map((id) => ({ id, status: 'processed' as const, note: null }));
}

/** One claim in its own transaction, whose events are then recorded as processed (as a batch would). */
async function claimAndProcess(window: ClaimWindow, limit = 1, skip: readonly string[] = []): Promise<string[]> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const ids = (await window.claim(client, limit)).map((event) => event.id);
    // `skip`: claimed but left for a later batch (its Stripe ids held elsewhere), still due.
    await recordStripeEventOutcomes(client, processed(ids.filter((id) => !skip.includes(id))));
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
    await db.query('TRUNCATE stripe_events, stripe_event_queue CASCADE');
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
      await recordStripeEventOutcomes(late, processed(['evt_c']));
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

describe('the queue of due events', () => {
  beforeEach(async () => {
    await db.query('TRUNCATE stripe_events, stripe_event_queue CASCADE');
  });

  /** Ids on the queue, checked against the events whose status says they are due. */
  async function queued(): Promise<string[]> {
    const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM stripe_event_queue ORDER BY event_id');
    const { rows: received } = await db.query<{ id: string }>(`SELECT id FROM stripe_events WHERE status = 'received' ORDER BY id`);
    expect(rows.map((row) => row.event_id)).toEqual(received.map((row) => row.id));
    return received.map((row) => row.id);
  }

  test('an event is queued from its store to its outcome, and again when a requeue, a retry or a replay makes it due', async () => {
    for (const [id, second] of [['evt_done', 1], ['evt_deferred', 2], ['evt_again', 3]] as const) await store(id, second);
    expect(await queued()).toEqual(['evt_again', 'evt_deferred', 'evt_done']);

    const client = await db.connect();
    try {
      await client.query('BEGIN');
      expect((await claimStripeEvents(client, 10)).map((event) => event.id)).toEqual(['evt_done', 'evt_deferred', 'evt_again']);
      await recordStripeEventOutcomes(client, [
        { id: 'evt_done', status: 'processed', note: null },
        { id: 'evt_deferred', status: 'deferred', note: 'waiting for its payment' },
        // Deferred and requeued within the batch: it stays due.
        { id: 'evt_again', status: 'received', note: 'requeued' },
      ]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await queued()).toEqual(['evt_again']);

    expect(await requeueDeferredEvents(db, ['evt_deferred', 'evt_done'])).toEqual(['evt_deferred']);
    expect(await queued()).toEqual(['evt_again', 'evt_deferred']);

    // A failed attempt with a retry to come stays queued, due at the retry's time; the last one leaves the queue.
    const retryAt = new Date(Date.now() + 60_000);
    await recordStripeEventFailure(db, 'evt_again', { error: 'database went away', retryAt });
    await recordStripeEventFailure(db, 'evt_deferred', { error: 'no such campaign', retryAt: null });
    expect(await queued()).toEqual(['evt_again']);
    const { rows: due } = await db.query<{ due_at: Date }>(`SELECT due_at FROM stripe_event_queue WHERE event_id = 'evt_again'`);
    expect(due.map((row) => row.due_at.getTime())).toEqual([retryAt.getTime()]);

    // A replay queues a finished event again; replaying one already due queues it once.
    expect((await resetStripeEventForReplay(db, 'evt_deferred'))?.status).toBe('received');
    expect((await resetStripeEventForReplay(db, 'evt_again'))?.status).toBe('received');
    expect(await queued()).toEqual(['evt_again', 'evt_deferred']);

    // A webhook delivered again after its event was processed queues nothing.
    const { event, payloadJson } = storedEvent(1);
    expect(await insertStripeEvent(db, { ...event, id: 'evt_done' }, payloadJson, 'webhook')).toBe(false);
    expect(await queued()).toEqual(['evt_again', 'evt_deferred']);
  });

  test('statements that know nothing of the queue (a process of the version before, an operator) keep it right', async () => {
    await db.query(
      `INSERT INTO stripe_events (id, type, created, payload) VALUES ('evt_old_api', 'charge.succeeded', now(), '{}'), ('evt_other', 'charge.succeeded', now(), '{}')`,
    );
    expect(await queued()).toEqual(['evt_old_api', 'evt_other']);
    await db.query(`UPDATE stripe_events SET status = 'processed' WHERE id = 'evt_old_api'`);
    expect(await queued()).toEqual(['evt_other']);
    await db.query(`UPDATE stripe_events SET status = 'received' WHERE id = 'evt_old_api'`);
    expect(await queued()).toEqual(['evt_old_api', 'evt_other']);

    // Moved by hand to another received_at: its place in the queue moves with it.
    await db.query(`UPDATE stripe_events SET received_at = now() - interval '1 hour' WHERE id = 'evt_other'`);
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      expect((await claimStripeEvents(client, 10)).map((claimed) => claimed.id)).toEqual(['evt_other', 'evt_old_api']);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    // And the sweeper finds it overdue there.
    expect(await hasOverdueStripeEvents(db, new Date(Date.now() - 60_000))).toBe(true);
    await recordStripeEventOutcomes(db, processed(['evt_other']));
    expect(await hasOverdueStripeEvents(db, new Date(Date.now() - 60_000))).toBe(false);
  });

  test('an outcome for a batch reads each of its old and new rows once, and the queue only by its key, whatever batch came first', async () => {
    const events = Array.from({ length: 201 }, (_, index) => storedEvent(index));
    await insertStripeEvents(db, events, 'webhook');
    const client = new pg.Client({ connectionString: database.url });
    const plans: { query: string; nodes: PlanNode[] }[] = [];
    client.on('notice', (notice) => {
      const json = notice.message?.split('plan:\n')[1];
      if (!json) return;
      const explained = JSON.parse(json) as { 'Query Text': string; Plan: PlanNode };
      plans.push({ query: explained['Query Text'], nodes: planNodes(explained.Plan) });
    });
    await client.connect();
    try {
      // auto_explain, loaded into this session alone, sends it the plans of the trigger's statements.
      await client.query(
        `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;
         SET auto_explain.log_analyze = on; SET auto_explain.log_timing = off; SET auto_explain.log_format = json; SET auto_explain.log_level = notice`,
      );
      // A first batch of one event, as a worker's may be: the trigger keeps its plans for the connection.
      await recordStripeEventOutcomes(client, processed([events[0]!.event.id]));
      plans.length = 0;
      await recordStripeEventOutcomes(client, processed(events.slice(1).map(({ event }) => event.id)));
    } finally {
      await client.end();
    }
    const queueStatements = plans.filter(({ query }) => query.includes('stripe_event_queue'));
    expect(queueStatements.length).toBeGreaterThan(0);
    for (const { nodes } of queueStatements) {
      // Each transition table read once at most: pairing old rows with new ones in a nested loop
      // read one of them again for every row of the other.
      const transitionScans = nodes.filter((node) => node['Node Type'] === 'Named Tuplestore Scan');
      expect(transitionScans.length).toBeGreaterThan(0);
      expect(transitionScans.filter((node) => node['Actual Loops']! > 1)).toEqual([]);
      expect(nodes.filter((node) => node['Relation Name'] === 'stripe_event_queue' && node['Node Type'] !== 'Index Scan' && node['Node Type'] !== 'ModifyTable')).toEqual([]);
    }
    expect(await queued()).toEqual([]);
  });

  test('a change to a due event that leaves it due where it was (an erasure of its payload, a note) does not wait on a claim holding its queue row', async () => {
    await store('evt_busy', 1);
    const editor = await db.connect();
    const claimer = await db.connect();
    try {
      await editor.query('BEGIN');
      await editor.query(`SELECT 1 FROM stripe_events WHERE id = 'evt_busy' FOR UPDATE`);
      // The claim picks the event's queue row, finds the event locked and skips it, and keeps the
      // queue row until its batch ends.
      await claimer.query('BEGIN');
      expect(await claimStripeEvents(claimer, 10)).toEqual([]);
      // Waiting here would be waiting on a batch (and a batch waiting on the erasure's donations, a deadlock).
      await editor.query(`SET LOCAL lock_timeout = '2s'`);
      await editor.query(`UPDATE stripe_events SET payload = '{}', note = 'erased' WHERE id = 'evt_busy'`);
      await editor.query('COMMIT');
    } finally {
      await editor.query('ROLLBACK').catch(() => {});
      await claimer.query('ROLLBACK');
      editor.release();
      claimer.release();
    }
    expect(await queued()).toEqual(['evt_busy']);
  });

  test('the migration queues the events that were due before it, and its down migration gives back the claimable index', async () => {
    const sql = readFileSync(join(MIGRATIONS_DIR, '1798400000000_stripe-event-queue.sql'), 'utf8');
    const [up, down] = sql.split('-- Down Migration');
    // The later migration that replaced the update trigger, undone first and redone last, so the
    // tests after this one meet the schema as deployed.
    const [laterUp, laterDown] = readFileSync(join(MIGRATIONS_DIR, LINEAR_TRIGGER_MIGRATION), 'utf8').split('-- Down Migration');
    const client = await db.connect();
    try {
      await client.query(`BEGIN; ${laterDown!} ${down!}`);
      await client.query(
        `INSERT INTO stripe_events (id, type, created, payload, status) VALUES
           ('evt_due', 'charge.succeeded', now(), '{}', 'received'), ('evt_done', 'charge.succeeded', now(), '{}', 'processed')`,
      );
      const { rows } = await client.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'stripe_events_claimable_idx'`);
      expect(rows).toHaveLength(1);
      await client.query(`${up!} ${laterUp!} COMMIT`);
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    expect(await queued()).toEqual(['evt_due']);
  });

  test('a replay of an event a batch holds waits for the batch, and leaves the event queued', async () => {
    await store('evt_held', 1);
    const batch = await db.connect();
    try {
      await batch.query('BEGIN');
      expect((await claimStripeEvents(batch, 10)).map((claimed) => claimed.id)).toEqual(['evt_held']);
      const replay = resetStripeEventForReplay(db, 'evt_held');
      await recordStripeEventOutcomes(batch, processed(['evt_held']));
      await batch.query('COMMIT');
      expect((await replay)?.status).toBe('received');
    } finally {
      batch.release();
    }
    expect(await queued()).toEqual(['evt_held']);
  });

  /** Runs `work` with no autovacuum or autoanalyze of the events or the queue: their snapshot could keep the test's VACUUM from cleaning. */
  async function withoutAutovacuum(work: () => Promise<void>): Promise<void> {
    await db.query('ALTER TABLE stripe_events SET (autovacuum_enabled = off); ALTER TABLE stripe_event_queue SET (autovacuum_enabled = off)');
    try {
      await work();
    } finally {
      await db.query('ALTER TABLE stripe_events RESET (autovacuum_enabled); ALTER TABLE stripe_event_queue RESET (autovacuum_enabled)');
    }
  }

  test('a claim from the start steps over no processed event once the queue alone is vacuumed', async () => {
    const events = Array.from({ length: 10_000 }, (_, index) => storedEvent(index));
    for (let start = 0; start < events.length; start += 250) await insertStripeEvents(db, events.slice(start, start + 250), 'webhook');
    await withoutAutovacuum(async () => {
      const client = await db.connect();
      try {
        // Processed as batches would, all but the newest.
        for (let done = 0; done < events.length - 1; done += 500) {
          await client.query('BEGIN');
          const claimed = await claimStripeEvents(client, Math.min(500, events.length - 1 - done));
          await recordStripeEventOutcomes(client, processed(claimed.map((event) => event.id)));
          await client.query('COMMIT');
        }
        // stripe_events is not vacuumed: its old entries are no longer on the claim's way.
        await db.query('VACUUM stripe_event_queue');

        await client.query('BEGIN');
        const due = await claimStripeEvents(client, 30);
        await client.query('ROLLBACK');
        expect(due.map((event) => event.id)).toEqual([events.at(-1)!.event.id]);
        // The claim as the worker sends it (the statement the claim above prepared on this
        // connection), with no setting of the session's: the claim holds itself to the queue's key.
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE "claim-stripe-events"(30, '-infinity')`,
        );
        const [{ Plan: plan }] = rows[0]!['QUERY PLAN'];
        // The way down to the one due event and its row, read twice (pick, payload): about 15
        // pages. Stepping over 9,999 processed events' entries, even once marked dead, reads
        // another 70 or so (about 140 entries a page).
        expect(plan['Shared Hit Blocks'] + plan['Shared Read Blocks']).toBeLessThan(35);
      } finally {
        client.release();
      }
    });
  });

  test('after a backlog drains, a claim reads the queue by its key, not its whole heap, whatever the statistics say', async () => {
    await withoutAutovacuum(async () => {
      // A connection of its own, so the claim is planned for this queue (a connection that ran it
      // before may hold a plan made for another).
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        // 50,000 events queued at once (received a millisecond apart), all but the newest 60
        // processed; the vacuum leaves the queue's heap its size and counts the 60 rows left.
        await db.query(
          `INSERT INTO stripe_events (id, type, created, payload, received_at)
           SELECT 'evt_backlog_' || lpad(n::text, 5, '0'), 'charge.succeeded', now(), '{}', now() - (50000 - n) * interval '1 millisecond'
           FROM generate_series(1, 50000) n`,
        );
        await db.query(`UPDATE stripe_events SET status = 'processed' WHERE id < 'evt_backlog_49941'`);
        await db.query('VACUUM stripe_event_queue');
        const { rows: sizes } = await db.query<{ relpages: number; reltuples: number }>(`SELECT relpages, reltuples FROM pg_class WHERE relname = 'stripe_event_queue'`);
        expect(sizes[0]).toMatchObject({ relpages: expect.any(Number), reltuples: 60 });
        const heapPages = sizes[0]!.relpages;
        expect(heapPages).toBeGreaterThan(250);

        // Pages of the queue's heap this transaction asked for (hits and reads), counted for this
        // session alone.
        const queuePagesRead = async () => {
          const { rows } = await client.query<{ pages: string }>(`SELECT pg_stat_get_xact_blocks_fetched('stripe_event_queue'::regclass) AS pages`);
          return Number(rows[0]!.pages);
        };
        await client.query('BEGIN');
        const before = await queuePagesRead();
        const claimed = await claimStripeEvents(client, 30);
        const read = (await queuePagesRead()) - before;
        await client.query('ROLLBACK');

        expect(claimed.map((event) => event.id)).toEqual(Array.from({ length: 30 }, (_, index) => `evt_backlog_${49941 + index}`));
        // Through the key: the pages of the rows taken, read to fetch and to lock them. Planned by the
        // statistics alone, a claim for half of what waits read the heap whole and sorted it.
        expect(read).toBeLessThan(100);
        expect(read).toBeLessThan(heapPages / 2);
      } finally {
        await client.end();
      }
    });
  });
});
