import type { Queryable } from './pool.js';
import type { Tier } from '../domain/progress.js';

export const TOTAL_PERIOD = 'total';

export interface PeriodRow {
  campaign_id: number;
  period_key: string;
  goal_amount: number;
  tiers: Tier[];
  raised: number;
  refunded: number;
  disputed: number;
  donations_count: number;
  donors_count: number;
  closed_at: Date | null;
  updated_at: Date;
}

/**
 * Records the goal and tiers for a period (creation, or an edit in that period). Months already
 * past keep the row they have, which is how an edit never rewrites history.
 */
export async function recordPeriodGoal(
  db: Queryable,
  campaignId: number,
  periodKey: string,
  goal: { amount: number; tiers: Tier[] },
): Promise<void> {
  await db.query(
    `INSERT INTO campaign_periods (campaign_id, period_key, goal_amount, tiers)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (campaign_id, period_key) DO UPDATE
       SET goal_amount = EXCLUDED.goal_amount, tiers = EXCLUDED.tiers, updated_at = now()`,
    [campaignId, periodKey, goal.amount, JSON.stringify(goal.tiers)],
  );
}

/** A campaign period's key: the aggregate row (campaign_periods) it names. */
export interface PeriodKey {
  campaignId: number;
  periodKey: string;
}

/**
 * Makes sure a period row exists before money is added to it, taking the goal in force then:
 * the latest earlier month's record (months are only ever recorded on creation, goal edits and
 * ledger entries), or the campaign's goal for 'total' and for months before its first record.
 */
export async function ensurePeriod(db: Queryable, campaignId: number, periodKey: string): Promise<void> {
  await ensurePeriods(db, [{ campaignId, periodKey }]);
}

/**
 * ensurePeriod for many rows in one statement, rows already there left alone without an insert
 * attempt. Two months created together take the same goal as one after the other would: the
 * later one's earlier record would be the first one, itself a copy of that same record. New rows
 * are inserted in key order (campaign, then period key in byte order: months before 'total'), so
 * two batches creating the same rows wait on each other in one direction only.
 */
export async function ensurePeriods(db: Queryable, keys: readonly PeriodKey[]): Promise<void> {
  if (!keys.length) return;
  await db.query({
    name: 'ensure-periods',
    text: `INSERT INTO campaign_periods (campaign_id, period_key, goal_amount, tiers)
     SELECT c.id, k.p,
            COALESCE(earlier.goal_amount, c.goal_amount),
            COALESCE(earlier.tiers, c.tiers)
     FROM unnest($1::bigint[], $2::text[]) AS k(c, p)
     JOIN campaigns c ON c.id = k.c
     LEFT JOIN LATERAL (
       SELECT goal_amount, tiers FROM campaign_periods
       WHERE campaign_id = c.id AND period_key <> 'total' AND period_key < k.p AND k.p <> 'total'
       ORDER BY period_key DESC LIMIT 1
     ) earlier ON true
     WHERE NOT EXISTS (SELECT 1 FROM campaign_periods e WHERE e.campaign_id = k.c AND e.period_key = k.p)
     ORDER BY k.c, k.p COLLATE "C"
     ON CONFLICT (campaign_id, period_key) DO NOTHING`,
    values: [keys.map((key) => key.campaignId), keys.map((key) => key.periodKey)],
  });
}

const CROSSINGS = `COALESCE((SELECT json_agg(json_build_object('kind', t.kind, 'amount', t.amount,
    'reached_at', to_char(t.reached_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
  FROM tier_crossings t WHERE t.campaign_id = p.campaign_id AND t.period_key = p.period_key), '[]'::json)`;

export interface PeriodFiguresRow extends PeriodRow {
  /** False when the month has no row yet and the figures are the goal in force then, with zeros. */
  exact: boolean;
  crossings: { kind: 'tier' | 'goal'; amount: number; reached_at: string }[];
  /** Still due from active monthly donors this month; null when not asked for. */
  pledged: number | null;
}

/**
 * Active monthly donations of the campaign not paid since `since` (the month's start), summed.
 * Two index-only range scans of subscriptions_active_due_idx (never paid yet, paid before the
 * month), so it only reads the subscriptions still due.
 */
const PLEDGED = `(SELECT COALESCE(sum(due.amount), 0)::bigint FROM (
    SELECT s.amount FROM subscriptions s WHERE s.campaign_id = p.campaign_id AND s.status = 'active' AND s.canceled_at IS NULL AND s.last_paid_at < $3
    UNION ALL
    SELECT s.amount FROM subscriptions s WHERE s.campaign_id = p.campaign_id AND s.status = 'active' AND s.canceled_at IS NULL AND s.last_paid_at IS NULL
  ) due)`;

/**
 * One indexed lookup: the period's own row, or the goal record in force for it; with
 * `pledgedSince` (the current month's start) also what is still pledged for the month, as a
 * subselect of the same statement (one round trip).
 */
export async function findPeriodFigures(
  db: Queryable,
  campaignId: number,
  periodKey: string,
  pledgedSince: Date | null = null,
): Promise<PeriodFiguresRow | null> {
  const pledged = pledgedSince ? PLEDGED : 'NULL::bigint';
  const { rows } = await db.query<PeriodRow & { crossings: PeriodFiguresRow['crossings']; pledged: number | null }>(
    periodKey === TOTAL_PERIOD
      ? `SELECT p.*, ${CROSSINGS} AS crossings, ${pledged} AS pledged FROM campaign_periods p
         WHERE p.campaign_id = $1 AND p.period_key = $2`
      : `SELECT p.*, ${CROSSINGS} AS crossings, ${pledged} AS pledged FROM campaign_periods p
         WHERE p.campaign_id = $1 AND p.period_key <= $2 AND p.period_key <> 'total'
         ORDER BY p.period_key DESC LIMIT 1`,
    pledgedSince ? [campaignId, periodKey, pledgedSince] : [campaignId, periodKey],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.period_key === periodKey) return { ...row, exact: true };
  return {
    ...row,
    period_key: periodKey,
    raised: 0,
    refunded: 0,
    disputed: 0,
    donations_count: 0,
    donors_count: 0,
    closed_at: null,
    crossings: [],
    exact: false,
  };
}

/** Recorded months in [from, to], plus the latest record before `from` (its goal carries in). */
export async function listPeriodRows(
  db: Queryable,
  campaignId: number,
  from: string,
  to: string,
): Promise<(PeriodRow & { tiers_reached: number[] })[]> {
  const { rows } = await db.query(
    `SELECT p.*, COALESCE((SELECT array_agg(t.amount ORDER BY t.amount) FROM tier_crossings t
         WHERE t.campaign_id = p.campaign_id AND t.period_key = p.period_key AND t.kind = 'tier'), '{}') AS tiers_reached
     FROM campaign_periods p
     WHERE p.campaign_id = $1 AND p.period_key <> 'total'
       AND (p.period_key BETWEEN $2 AND $3
            OR p.period_key = (SELECT max(period_key) FROM campaign_periods
                               WHERE campaign_id = $1 AND period_key < $2 AND period_key <> 'total'))
     ORDER BY p.period_key`,
    [campaignId, from, to],
  );
  return rows;
}

/** The earliest month that holds any money or donation for the campaign (null when none does). */
export async function earliestPeriodWithMoney(db: Queryable, campaignId: number): Promise<string | null> {
  const { rows } = await db.query<{ period_key: string | null }>(
    `SELECT min(period_key) AS period_key FROM campaign_periods
     WHERE campaign_id = $1 AND period_key <> 'total'
       AND (raised <> 0 OR refunded <> 0 OR disputed <> 0 OR donations_count <> 0)`,
    [campaignId],
  );
  return rows[0]?.period_key ?? null;
}
