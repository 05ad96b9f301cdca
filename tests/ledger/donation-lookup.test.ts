/**
 * How a batch finds and locks its donations by Stripe ids (db/donations.ts
 * lockDonationsByStripeIds): every donation any id names, by whichever of its four id columns,
 * once, in id order, locked until the transaction ends — and on a table of thousands of
 * donations through the columns' indexes, where one OR of the four columns was planned as a
 * scan of the whole table (3.1 ms a batch in P3).
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { lockDonationsByStripeIds } from '../../src/db/donations.js';
import { cloneTestDatabase } from '../helpers/database.js';

let database: Awaited<ReturnType<typeof cloneTestDatabase>>;
let db: pg.Pool;

/** Enough rows that a scan of the table costs several times the probes (measured: ≈ 3 against ≈ 1 ms). */
const DONATIONS = 7_000;

const donationId = (n: number) => `don_${String(n).padStart(6, '0')}`;

beforeAll(async () => {
  database = await cloneTestDatabase();
  db = new pg.Pool({ connectionString: database.url, max: 3 });
  db.on('error', () => {});
  const {
    rows: [campaign],
  } = await db.query<{ id: string }>(
    `INSERT INTO campaigns (slug, name, currency, timezone, goal_period, goal_amount, min_amount, max_amount)
     VALUES ('lookup', 'Lookup', 'usd', 'UTC', 'monthly', 500000, 100, 10000000) RETURNING id`,
  );
  // Even donations were one-time Checkout payments; odd ones monthly invoices (no session id).
  await db.query(
    `INSERT INTO donations (id, campaign_id, status, frequency, amount, currency, checkout_session_id,
       subscription_id, invoice_id, payment_intent_id, charge_id, period_key, donor_email)
     SELECT 'don_' || lpad(n::text, 6, '0'), $1, 'succeeded', CASE WHEN n % 2 = 0 THEN 'one_time' ELSE 'monthly' END,
       2500, 'usd', CASE WHEN n % 2 = 0 THEN 'cs_test_' || n END, CASE WHEN n % 2 = 1 THEN 'sub_' || n END,
       CASE WHEN n % 2 = 1 THEN 'in_' || n END, 'pi_' || n, 'ch_' || n, '2026-12', 'donor' || n || '@example.org'
     FROM generate_series(1, $2::int) AS n`,
    [campaign!.id, DONATIONS],
  );
  // Fresh statistics: the scan was chosen with them too.
  await db.query('ANALYZE donations');
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    return await work(client);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

test('finds each donation once by whichever Stripe id names it, in id order, and nothing for ids it does not know', async () => {
  // Session and payment intent of one donation, a charge, an invoice, a payment intent, unknowns.
  const ids = ['pi_15', 'cs_test_10', 'pi_10', 'ch_12', 'in_13', 'cs_test_unknown', `in_${DONATIONS + 1}`];
  const rows = await inTransaction((client) => lockDonationsByStripeIds(client, ids));
  expect(rows.map((row) => row.id)).toEqual([donationId(10), donationId(12), donationId(13), donationId(15)]);
  expect(rows.find((row) => row.id === donationId(13))).toMatchObject({ invoice_id: 'in_13', subscription_id: 'sub_13', charge_id: 'ch_13' });
});

test('the donations found stay locked until the transaction ends: another writer cannot take them', async () => {
  const takeNow = (id: string) => db.query('SELECT 1 FROM donations WHERE id = $1 FOR UPDATE NOWAIT', [id]);
  await inTransaction(async (client) => {
    await lockDonationsByStripeIds(client, ['ch_20', 'in_21']);
    await expect(takeNow(donationId(20))).rejects.toMatchObject({ code: '55P03' });
    await expect(takeNow(donationId(21))).rejects.toMatchObject({ code: '55P03' });
    // A donation no id named is free.
    await expect(takeNow(donationId(22))).resolves.toBeTruthy();
  });
  // Released with the transaction.
  await expect(takeNow(donationId(20))).resolves.toBeTruthy();
});

test('a batch of 33 ids on thousands of donations probes the id columns’ indexes and never scans the table', async () => {
  const ids = [
    ...Array.from({ length: 11 }, (_, i) => `cs_test_${5000 + 2 * i}`),
    ...Array.from({ length: 11 }, (_, i) => `pi_${5100 + i}`),
    ...Array.from({ length: 11 }, (_, i) => `ch_${5200 + i}`),
  ];
  const scans = await inTransaction(async (client) => {
    expect(await lockDonationsByStripeIds(client, ids)).toHaveLength(33);
    // This transaction's own counts, before they are reported to the statistics.
    const { rows } = await client.query<{ seq_scan: string; idx_scan: string }>(
      `SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'donations'`,
    );
    return rows[0]!;
  });
  expect(Number(scans.seq_scan)).toBe(0);
  expect(Number(scans.idx_scan)).toBeGreaterThan(0);
});
