import type { Queryable } from './pool.js';

export const ATTRIBUTION_DIMENSIONS = ['source', 'utm_source', 'utm_medium', 'utm_campaign'] as const;
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];

export interface SourceTotalsRow {
  value: string | null;
  raised: number;
  donations_count: number;
}

/**
 * A month's counted money grouped by one attribution field, largest first: what each donation
 * adds to the month now (refunds, disputes and voids taken off), and how many still count.
 * `dimension` is one of ATTRIBUTION_DIMENSIONS, never client text.
 */
export async function monthTotalsBy(
  db: Queryable,
  campaignId: number,
  periodKey: string,
  dimension: AttributionDimension,
): Promise<SourceTotalsRow[]> {
  if (!ATTRIBUTION_DIMENSIONS.includes(dimension)) throw new Error(`not an attribution field: ${dimension}`);
  const { rows } = await db.query<SourceTotalsRow>(
    `WITH counted AS (
       SELECT ${dimension} AS value,
              CASE WHEN voided_at IS NULL THEN amount - refunded_amount - disputed_amount ELSE 0 END AS net
       FROM donations
       WHERE campaign_id = $1 AND period_key = $2 AND status = 'succeeded'
     )
     SELECT value, sum(net)::bigint AS raised, count(*) FILTER (WHERE net > 0)::int AS donations_count
     FROM counted GROUP BY value
     ORDER BY raised DESC, value NULLS LAST`,
    [campaignId, periodKey],
  );
  return rows;
}
