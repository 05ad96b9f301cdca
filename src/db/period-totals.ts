import type { Queryable } from './pool.js';
import type { Tier } from '../domain/progress.js';
import type { PeriodKey } from './periods.js';

/**
 * Running aggregates per campaign period (campaign_periods), changed only together with the
 * ledger entries that explain them, in one transaction.
 */
export interface PeriodDelta {
  raised: number;
  refunded: number;
  disputed: number;
  donations: number;
  donors: number;
}

export interface DonorChange {
  campaignId: number;
  periodKey: string;
  donorKey: string;
  /** Counted donations of this donor there gained (+) or lost (-). */
  change: number;
}

const donorOrder = (a: DonorChange, b: DonorChange) =>
  a.campaignId - b.campaignId || a.periodKey.localeCompare(b.periodKey) || a.donorKey.localeCompare(b.donorKey);

/**
 * Applies the counted-donation changes of a batch to the donors' rows (`period_donors`), in key
 * order, and returns for each one how donors_count changes: +1 for a donor's first counted
 * donation in the period, -1 when their last one stops counting, else 0. Gains go in one
 * statement; losses (refunds, disputes) one row at a time, deleting rows that reach zero.
 */
export async function changePeriodDonors(db: Queryable, changes: readonly DonorChange[]): Promise<number[]> {
  const sorted = changes.map((change, index) => ({ change, index })).sort((a, b) => donorOrder(a.change, b.change));
  const deltas = changes.map(() => 0);
  const gains = sorted.filter(({ change }) => change.change > 0);
  if (gains.length) {
    const { rows } = await db.query<{ campaign_id: number; period_key: string; donor_email: string; donations: number }>({
      name: 'gain-period-donors',
      text: `INSERT INTO period_donors (campaign_id, period_key, donor_email, donations)
       SELECT c, p, d, n FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS g(c, p, d, n, o)
       ORDER BY o
       ON CONFLICT (campaign_id, period_key, donor_email) DO UPDATE SET donations = period_donors.donations + EXCLUDED.donations
       RETURNING campaign_id, period_key, donor_email, donations`,
      values: [
        gains.map(({ change }) => change.campaignId), gains.map(({ change }) => change.periodKey),
        gains.map(({ change }) => change.donorKey), gains.map(({ change }) => change.change),
      ],
    });
    const after = new Map(rows.map((row) => [`${row.campaign_id}\u0000${row.period_key}\u0000${row.donor_email}`, row.donations]));
    for (const { change, index } of gains) {
      // Only as many as this batch added: the donor had none there before.
      if (after.get(`${change.campaignId}\u0000${change.periodKey}\u0000${change.donorKey}`) === change.change) deltas[index] = 1;
    }
  }
  for (const { change, index } of sorted.filter(({ change }) => change.change < 0)) {
    const key = [change.campaignId, change.periodKey, change.donorKey];
    const { rows } = await db.query({
      name: 'drop-period-donor',
      text: `DELETE FROM period_donors WHERE campaign_id = $1 AND period_key = $2 AND donor_email = $3 AND donations + $4 <= 0
       RETURNING 1`,
      values: [...key, change.change],
    });
    if (rows.length) {
      deltas[index] = -1;
      continue;
    }
    await db.query({
      name: 'lessen-period-donor',
      text: `UPDATE period_donors SET donations = donations + $4 WHERE campaign_id = $1 AND period_key = $2 AND donor_email = $3`,
      values: [...key, change.change],
    });
  }
  return deltas;
}

export interface PeriodAfterChange {
  raisedBefore: number;
  raised: number;
  goal: number;
  tiers: Tier[];
  /** Set when the month was closed already: this change is its n-th restatement. */
  restatement: number | null;
}

export interface PeriodAddition extends PeriodKey {
  delta: PeriodDelta;
  /** The change moves a figure (domain/period-closing.ts): on a closed month, that is a restatement. */
  movesFigures: boolean;
}

/**
 * Adds each change to its period's aggregate row, all in one statement, locking the rows until
 * the transaction ends; returns each row's figures in the order of `additions`. Throws when a
 * row does not exist (ensurePeriods creates them first).
 *
 * Lock order: the rows are locked first by a SELECT … ORDER BY … FOR NO KEY UPDATE (the row
 * lock an UPDATE of non-key columns takes, so donor rows referencing a period still only wait on
 * its creation), which locks in the sorted order — its LockRows node sits above the Sort — and
 * the UPDATE then only changes rows it locked. An UPDATE … FROM unnest alone locks in whatever
 * order its join plan visits the rows, which two batches could take in opposite orders. The
 * order is every writer's: campaign, then period key in byte order (months before 'total').
 */
export async function addToPeriods(db: Queryable, additions: readonly PeriodAddition[]): Promise<PeriodAfterChange[]> {
  if (!additions.length) return [];
  const { rows } = await db.query<{ o: number; raised: number; goal_amount: number; tiers: Tier[]; restatement: number | null }>({
    name: 'add-to-periods',
    text: `WITH d AS (
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::int[], $7::int[], $8::boolean[])
         WITH ORDINALITY AS d(c, p, raised, refunded, disputed, donations, donors, moves, o)
     ), locked AS MATERIALIZED (
       SELECT p.campaign_id, p.period_key FROM campaign_periods p JOIN d ON p.campaign_id = d.c AND p.period_key = d.p
       ORDER BY p.campaign_id, p.period_key COLLATE "C"
       FOR NO KEY UPDATE OF p
     )
     UPDATE campaign_periods p SET raised = p.raised + d.raised, refunded = p.refunded + d.refunded,
       disputed = p.disputed + d.disputed, donations_count = p.donations_count + d.donations,
       donors_count = p.donors_count + d.donors, updated_at = now(),
       restatements = p.restatements + CASE WHEN p.closed_at IS NOT NULL AND d.moves THEN 1 ELSE 0 END
     FROM d JOIN locked l ON l.campaign_id = d.c AND l.period_key = d.p
     WHERE p.campaign_id = d.c AND p.period_key = d.p
     RETURNING d.o, p.raised, p.goal_amount, p.tiers, CASE WHEN p.closed_at IS NOT NULL AND d.moves THEN p.restatements END AS restatement`,
    values: [
      additions.map((a) => a.campaignId), additions.map((a) => a.periodKey), additions.map((a) => a.delta.raised),
      additions.map((a) => a.delta.refunded), additions.map((a) => a.delta.disputed), additions.map((a) => a.delta.donations),
      additions.map((a) => a.delta.donors), additions.map((a) => a.movesFigures),
    ],
  });
  const byOrdinal = new Map(rows.map((row) => [row.o, row]));
  return additions.map((addition, index) => {
    const row = byOrdinal.get(index + 1);
    if (!row) throw new Error(`period ${addition.campaignId}/${addition.periodKey} has no aggregate row`);
    return {
      raisedBefore: row.raised - addition.delta.raised,
      raised: row.raised,
      goal: row.goal_amount,
      tiers: row.tiers,
      restatement: row.restatement,
    };
  });
}

export interface Crossing extends PeriodKey {
  kind: 'tier' | 'goal';
  amount: number;
  at: Date;
}

const crossingKey = (c: Pick<Crossing, 'campaignId' | 'periodKey' | 'kind' | 'amount'>) =>
  `${c.campaignId}\u0000${c.periodKey}\u0000${c.kind}\u0000${c.amount}`;

/**
 * Records that tiers (or goals) were reached, in one statement; returns those recorded now, the
 * first time ever. A crossing named twice counts from its first mention (the date it keeps).
 */
export async function recordCrossings(db: Queryable, crossings: readonly Crossing[]): Promise<Set<Crossing>> {
  const firstMentions = new Map<string, Crossing>();
  for (const crossing of crossings) if (!firstMentions.has(crossingKey(crossing))) firstMentions.set(crossingKey(crossing), crossing);
  const unique = [...firstMentions.values()];
  if (!unique.length) return new Set();
  const { rows } = await db.query<{ campaign_id: number; period_key: string; kind: 'tier' | 'goal'; amount: number }>({
    name: 'record-crossings',
    text: `INSERT INTO tier_crossings (campaign_id, period_key, kind, amount, reached_at)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[])
     ON CONFLICT DO NOTHING
     RETURNING campaign_id, period_key, kind, amount`,
    values: [unique.map((c) => c.campaignId), unique.map((c) => c.periodKey), unique.map((c) => c.kind), unique.map((c) => c.amount), unique.map((c) => c.at)],
  });
  return new Set(rows.map((row) => firstMentions.get(crossingKey({ campaignId: row.campaign_id, periodKey: row.period_key, kind: row.kind, amount: row.amount }))!));
}
