/**
 * The ledger's statements are prepared once per connection (src/db/pool.ts). A migration that
 * changes the type of a column one of them returns makes PostgreSQL refuse it on every connection
 * that prepared it: the batch must end, its connection must go, and its events must wait for the
 * next claim without using an attempt.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isStalePreparedStatement } from '../../src/db/pool.js';
import { drainStoredEvents } from '../../src/services/stripe-events/process.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { OneTimePayment, deliver, donationOf, ledgerCampaign } from './support.js';

let service: TestService;

beforeAll(async () => {
  // One connection: the drain after the migration must meet the connection that prepared the
  // statements (a pool hands out its most recently released client, which other work may change).
  service = await startTestService({ STRIPE_EVENT_ATTEMPTS: '1', DATABASE_POOL_SIZE: '1' });
});

afterAll(async () => {
  await service?.close();
});

/** Drains until the batch goes through; returns what refused it on the way. */
async function drainPastStaleConnections(): Promise<unknown[]> {
  const refusals: unknown[] = [];
  for (;;) {
    try {
      await drainStoredEvents(service.ctx);
      return refusals;
    } catch (error) {
      refusals.push(error);
      if (refusals.length > 20) throw error;
    }
  }
}

test.each([
  // A column the read of a batch's campaigns returns.
  ['campaigns', 'name', 'varchar(300)', 'text'],
  // A column of the events' own row, which the claim returns through claim_stripe_events: there
  // PostgreSQL reports the stale row type as a wrong attribute type.
  ['stripe_events', 'last_error', 'varchar(2000)', 'text'],
])("a migration that changes what a prepared statement returns (%s.%s) costs its connection, not the batch's events an attempt", async (table, column, type, typeBefore) => {
  const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
  const before = await new OneTimePayment(campaign, 1_000).record(service);
  await deliver(service, before.completed());
  // Prepares the batch's statements, among them the claim and the read of its campaigns (on a
  // fresh connection where the case before left its type change undone).
  expect((await drainPastStaleConnections()).every(isStalePreparedStatement)).toBe(true);

  await service.ctx.db.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${type}`);
  try {
    const after = await new OneTimePayment(campaign, 2_000).record(service);
    const event = after.completed();
    await deliver(service, event);
    const refusals = await drainPastStaleConnections();

    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every(isStalePreparedStatement)).toBe(true);
    const { rows } = await service.ctx.db.query<{ status: string; attempts: number; last_error: string | null }>(
      'SELECT status, attempts, last_error FROM stripe_events WHERE id = $1',
      [event.id],
    );
    // Applied at its first recorded attempt: with STRIPE_EVENT_ATTEMPTS=1 a recorded failure would have been final.
    expect(rows[0]).toEqual({ status: 'processed', attempts: 1, last_error: null });
    expect(await donationOf(service, { sessionId: after.sessionId })).toMatchObject({ status: 'succeeded', amount: 2_000 });
  } finally {
    await service.ctx.db.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${typeBefore}`);
  }
});
