import type { Queryable } from './pool.js';

export interface SubscriptionRow {
  id: string;
  campaign_id: number;
  checkout_session_id: string | null;
  first_invoice_id: string | null;
  amount: number;
  fee_amount: number;
  currency: string;
  donor_email: string | null;
  donor_name: string | null;
  anonymous: boolean;
  status: string;
  canceled_at: Date | null;
}

const COLUMNS = `id, campaign_id, checkout_session_id, first_invoice_id, amount, fee_amount, currency, donor_email,
  donor_name, anonymous, status, canceled_at`;

export type NewSubscription = Omit<SubscriptionRow, 'status' | 'canceled_at'>;

/** Records a monthly donation from its checkout; a second call only fills in what was missing. */
export async function upsertSubscription(db: Queryable, subscription: NewSubscription): Promise<SubscriptionRow> {
  const { rows } = await db.query<SubscriptionRow>(
    `INSERT INTO subscriptions (id, campaign_id, checkout_session_id, first_invoice_id, amount, fee_amount, currency,
       donor_email, donor_name, anonymous)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (id) DO UPDATE SET
       checkout_session_id = COALESCE(subscriptions.checkout_session_id, EXCLUDED.checkout_session_id),
       first_invoice_id = COALESCE(subscriptions.first_invoice_id, EXCLUDED.first_invoice_id),
       updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      subscription.id, subscription.campaign_id, subscription.checkout_session_id, subscription.first_invoice_id,
      subscription.amount, subscription.fee_amount, subscription.currency, subscription.donor_email,
      subscription.donor_name, subscription.anonymous,
    ],
  );
  return rows[0]!;
}

export async function findSubscription(db: Queryable, id: string): Promise<SubscriptionRow | null> {
  const { rows } = await db.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function cancelSubscription(db: Queryable, id: string, canceledAt: Date): Promise<void> {
  await db.query(
    `UPDATE subscriptions SET status = 'canceled', canceled_at = COALESCE(canceled_at, $2), updated_at = now() WHERE id = $1`,
    [id, canceledAt],
  );
}
