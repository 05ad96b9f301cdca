import type { Queryable } from './pool.js';

/** A month of the history: its key and instants (campaign timezone), and whether it is the current one. */
export interface MonthSpan {
  key: string;
  startsAt: Date;
  endsAt: Date;
  current: boolean;
}

export interface MonthlyDonorFiguresRow {
  period_key: string;
  raised_one_time: number;
  raised_monthly: number;
  monthly_active: number;
  monthly_committed: number;
  monthly_new: number;
  monthly_canceled: number;
}

/**
 * Monthly donations' figures for every month of a range, in one statement (read only; the
 * write path keeps no per-month subscription figures).
 *
 * - raised by frequency: the month's ledger entries (what makes `raised`), split by the
 *   donation's frequency; offline money is one-time.
 * - new / canceled: subscriptions started / canceled within the month.
 * - active and committed, the current month: the subscription's status now ('active', and not
 *   stopped by its donor a moment ago) and its amount now.
 * - active and committed, a month that is over: as at its end. Started before it, not canceled
 *   by then, not past due then (a renewal failed before the end and neither that invoice nor a
 *   later one was paid by then), not paused then (paused now by a snapshot older than the end:
 *   pauses are not dated otherwise). Its amount is what its last payment by then was made for
 *   (each invoice counts what it was made for); without one, its amount now.
 */
export async function monthlyDonorFigures(db: Queryable, campaignId: number, months: readonly MonthSpan[]): Promise<MonthlyDonorFiguresRow[]> {
  const { rows } = await db.query<MonthlyDonorFiguresRow>(
    `WITH months AS (
       SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::boolean[]) AS m(period_key, starts_at, ends_at, current)
     ),
     money AS (
       SELECT le.period_key,
              COALESCE(sum(le.amount) FILTER (WHERE d.frequency = 'monthly'), 0) AS raised_monthly,
              COALESCE(sum(le.amount) FILTER (WHERE d.frequency <> 'monthly'), 0) AS raised_one_time
       FROM ledger_entries le JOIN donations d ON d.id = le.donation_id
       WHERE le.campaign_id = $1 AND le.period_key = ANY($2::text[])
       GROUP BY le.period_key
     ),
     life AS (
       SELECT m.period_key,
              count(*) FILTER (WHERE s.started >= m.starts_at AND s.started < m.ends_at) AS monthly_new,
              count(*) FILTER (WHERE s.canceled_at >= m.starts_at AND s.canceled_at < m.ends_at) AS monthly_canceled,
              count(*) FILTER (WHERE at_end.active) AS monthly_active,
              COALESCE(sum(at_end.amount) FILTER (WHERE at_end.active), 0) AS monthly_committed
       FROM months m
       JOIN (SELECT sub.*, COALESCE(sub.started_at, sub.created_at) AS started FROM subscriptions sub WHERE sub.campaign_id = $1) s
         ON s.started < m.ends_at
       CROSS JOIN LATERAL (
         SELECT
           CASE WHEN m.current THEN s.status = 'active' AND s.canceled_at IS NULL
           ELSE (s.canceled_at IS NULL OR s.canceled_at >= m.ends_at)
             AND NOT (s.paused AND s.snapshot_at < m.ends_at)
             AND NOT EXISTS (
               SELECT 1 FROM subscription_payment_failures f
               WHERE f.subscription_id = s.id AND f.first_failed_at < m.ends_at
                 AND NOT EXISTS (
                   SELECT 1 FROM donations paid
                   WHERE paid.subscription_id = s.id AND paid.status = 'succeeded' AND paid.paid_at < m.ends_at
                     AND (paid.invoice_id = f.invoice_id OR paid.paid_at > f.first_failed_at)))
           END AS active,
           CASE WHEN m.current THEN s.amount
           ELSE COALESCE((SELECT last.amount FROM donations last
                          WHERE last.subscription_id = s.id AND last.status = 'succeeded' AND last.paid_at < m.ends_at
                          ORDER BY last.paid_at DESC LIMIT 1), s.amount)
           END AS amount
       ) at_end
       GROUP BY m.period_key
     )
     SELECT m.period_key,
            COALESCE(money.raised_one_time, 0)::bigint AS raised_one_time,
            COALESCE(money.raised_monthly, 0)::bigint AS raised_monthly,
            COALESCE(life.monthly_active, 0)::int AS monthly_active,
            COALESCE(life.monthly_committed, 0)::bigint AS monthly_committed,
            COALESCE(life.monthly_new, 0)::int AS monthly_new,
            COALESCE(life.monthly_canceled, 0)::int AS monthly_canceled
     FROM months m
     LEFT JOIN money ON money.period_key = m.period_key
     LEFT JOIN life ON life.period_key = m.period_key`,
    [
      campaignId,
      months.map((month) => month.key),
      months.map((month) => month.startsAt),
      months.map((month) => month.endsAt),
      months.map((month) => month.current),
    ],
  );
  return rows;
}
