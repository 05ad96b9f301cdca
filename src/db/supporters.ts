import type { Queryable } from './pool.js';

export interface SupporterRow {
  id: string;
  donor_name: string | null;
  anonymous: boolean;
  message: string | null;
  message_hidden: boolean;
  net_amount: number;
  currency: string;
  paid_at: Date;
  /** paid_at with its microseconds, for the cursor. */
  position: string;
}

/**
 * A campaign's donations that count now (succeeded, not refunded in full, not voided, not
 * lost in a dispute), newest payment first, keyset-paginated on (paid_at, id).
 */
export async function listSupporters(
  db: Queryable,
  campaignId: number,
  page: { limit: number; after?: { position: string; id: string } },
): Promise<SupporterRow[]> {
  const { rows } = await db.query<SupporterRow>(
    `SELECT id, donor_name, anonymous, message, message_hidden, amount - refunded_amount - disputed_amount AS net_amount,
            currency, paid_at, paid_at::text AS position
     FROM donations
     WHERE campaign_id = $1 AND status = 'succeeded' AND voided_at IS NULL
       AND amount - refunded_amount - disputed_amount > 0
       AND ($2::timestamptz IS NULL OR (paid_at, id) < ($2::timestamptz, $3::text))
     ORDER BY paid_at DESC, id DESC
     LIMIT $4`,
    [campaignId, page.after?.position ?? null, page.after?.id ?? null, page.limit],
  );
  return rows;
}

/** Hides (or shows again) a donor's message on the supporters wall. Null when there is no such donation. */
export async function setMessageHidden(db: Queryable, donationId: string, hidden: boolean): Promise<{ campaign_id: number } | null> {
  const { rows } = await db.query<{ campaign_id: number }>(
    `UPDATE donations SET message_hidden = $2, updated_at = now() WHERE id = $1 RETURNING campaign_id`,
    [donationId, hidden],
  );
  return rows[0] ?? null;
}
