import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { ensureDatabase, migrate } from '../../src/db/migrate.js';
import { createPool, type Db } from '../../src/db/pool.js';

/** How the bench's own connections name themselves, so its samplers can leave them out of Goalpost's figures. */
export const BENCH_APPLICATION_NAME = 'goalpost-bench';

/**
 * A pool for the bench's own reads and seeding, its connections tagged with
 * BENCH_APPLICATION_NAME. Its polling counts scan whole tables; without parallel workers (which
 * would be untagged backends) they stay one backend's small cost.
 */
export function openBenchPool(databaseUrl: string, max: number): Db {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', BENCH_APPLICATION_NAME);
  url.searchParams.set('options', '-c max_parallel_workers_per_gather=0');
  return createPool(url.toString(), max);
}

/** The bench's own database on the configured server, created and migrated here and dropped at the end. */
export async function createBenchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `goalpost_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const url = `${serverUrl}/${name}`;
  await ensureDatabase(url);
  await migrate(url);
  return {
    url,
    async drop() {
      const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export function benchRedisPrefix(): string {
  return `gp-bench-${randomBytes(4).toString('hex')}`;
}

/** Removes every key the bench's queues created under its prefix. */
export async function dropRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Gives a campaign `count` succeeded donations in one month with one bulk insert (not through
 * the API: a million webhooks would take the whole run), then the aggregate row and tier
 * crossings the ledger would have left, so the progress read sees a realistic month.
 */
export async function seedDonations(
  db: pg.Pool,
  campaign: { id: number; slug: string; currency: string },
  periodKey: string,
  count: number,
): Promise<{ raised: number; donors: number }> {
  await db.query(
    `INSERT INTO donations (id, campaign_id, status, frequency, amount, currency, donor_email, donor_name,
                            period_key, paid_at, created_at)
     SELECT $5 || g, $1, 'succeeded', 'one_time', 500 + (g % 20) * 250, $2,
            'donor' || (g % 250000) || '@bench.example', 'Donor ' || g, $3, now(), now()
     FROM generate_series(1, $4::int) AS g`,
    [campaign.id, campaign.currency, periodKey, count, `don_bench_${campaign.slug}_`],
  );
  const { rows } = await db.query<{ raised: string; donations: string; donors: string }>(
    `UPDATE campaign_periods p
        SET raised = s.raised, donations_count = s.donations, donors_count = s.donors, updated_at = now()
       FROM (SELECT COALESCE(sum(amount), 0) AS raised, count(*) AS donations,
                    count(DISTINCT lower(donor_email)) AS donors
               FROM donations WHERE campaign_id = $1 AND period_key = $2 AND status = 'succeeded') s
      WHERE p.campaign_id = $1 AND p.period_key = $2
      RETURNING s.raised, s.donations, s.donors`,
    [campaign.id, periodKey],
  );
  const seeded = rows[0];
  if (!seeded) throw new Error(`campaign ${campaign.slug} has no period row for ${periodKey}`);
  await db.query(
    `INSERT INTO tier_crossings (campaign_id, period_key, kind, amount, reached_at)
     SELECT p.campaign_id, p.period_key, 'tier', (t->>'amount')::bigint, now()
       FROM campaign_periods p, jsonb_array_elements(p.tiers) t
      WHERE p.campaign_id = $1 AND p.period_key = $2 AND (t->>'amount')::bigint <= p.raised
     UNION ALL
     SELECT p.campaign_id, p.period_key, 'goal', p.goal_amount, now()
       FROM campaign_periods p
      WHERE p.campaign_id = $1 AND p.period_key = $2 AND p.goal_amount <= p.raised
     ON CONFLICT DO NOTHING`,
    [campaign.id, periodKey],
  );
  await db.query('ANALYZE donations');
  return { raised: Number(seeded.raised), donors: Number(seeded.donors) };
}

/**
 * A history of `count` earlier donations, as a database in service for a while holds them: the
 * campaign's checkouts, donations (paid, numbered), ledger entries, stored Stripe events and sent
 * receipts, in a campaign of their own, then analyzed. Without it an end-to-end run starts on
 * empty tables, where the planner scans them whole rather than use their indexes.
 */
export async function seedHistory(db: pg.Pool, count: number): Promise<void> {
  if (count <= 0) return;
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO campaigns (slug, name, currency, timezone, goal_period, goal_amount, min_amount, max_amount)
     VALUES ('bench-history', 'Earlier donations', 'usd', 'UTC', 'monthly', 100000000, 100, 100000000) RETURNING id`,
  );
  const campaignId = rows[0]!.id;
  const statements = [
    [`INSERT INTO checkouts (session_id, campaign_id, frequency, amount, currency, donor_email, status, url, expires_at, created_at)
     SELECT 'cs_hist_' || g, $1, 'one_time', 2500, 'usd', 'donor' || g || '@history.example', 'complete',
            'https://checkout.stripe.com/c/pay/cs_hist_' || g, now() - interval '30 days', now() - interval '31 days'
     FROM generate_series(1, $2::int) g`, [campaignId, count]],
    [`INSERT INTO donations (id, campaign_id, status, frequency, amount, currency, donor_email, donor_name, period_key,
                            checkout_session_id, payment_intent_id, charge_id, receipt_number, paid_at, created_at)
     SELECT 'don_hist_' || g, $1, 'succeeded', 'one_time', 2500, 'usd', 'donor' || g || '@history.example', 'Donor ' || g,
            to_char(now() - interval '31 days', 'YYYY-MM'), 'cs_hist_' || g, 'pi_hist_' || g, 'ch_hist_' || g,
            '1999-' || lpad(g::text, 7, '0'), now() - interval '31 days', now() - interval '31 days'
     FROM generate_series(1, $2::int) g`, [campaignId, count]],
    [`INSERT INTO ledger_entries (donation_id, campaign_id, period_key, kind, amount, currency, source_id, created_at)
     SELECT 'don_hist_' || g, $1, to_char(now() - interval '31 days', 'YYYY-MM'), 'donation', 2500, 'usd', 'pi_hist_' || g, now() - interval '31 days'
     FROM generate_series(1, $2::int) g`, [campaignId, count]],
    [`INSERT INTO stripe_events (id, type, created, payload, status, attempts, received_at, processed_at)
     SELECT 'evt_hist_' || g, 'checkout.session.completed', now() - interval '31 days',
            json_build_object('id', 'evt_hist_' || g, 'object', 'event', 'type', 'checkout.session.completed',
                              'data', json_build_object('object', json_build_object('id', 'cs_hist_' || g, 'object', 'checkout.session', 'amount_total', 2500))),
            'processed', 1, now() - interval '31 days', now() - interval '31 days'
     FROM generate_series(1, $1::int) g`, [count]],
    [`INSERT INTO receipts (kind, donation_id, dedupe_key, to_email, status, attempts, sent_at, created_at)
     SELECT 'receipt', 'don_hist_' || g, 'receipt:don_hist_' || g, 'donor' || g || '@history.example', 'sent', 1, now() - interval '31 days', now() - interval '31 days'
     FROM generate_series(1, $1::int) g`, [count]],
  ] as const;
  for (const [text, values] of statements) await db.query(text, [...values]);
  await db.query('ANALYZE');
}
