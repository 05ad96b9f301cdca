import type { Queryable } from './pool.js';
import type { FailedRenewal, SubscriptionFacts, SubscriptionSnapshot, SubscriptionStatus } from '../domain/subscription.js';

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
  status: SubscriptionStatus;
  canceled_at: Date | null;
  started_at: Date | null;
  next_payment_at: Date | null;
  snapshot_at: Date | null;
  stripe_status: string | null;
  paused: boolean;
  last_paid_at: Date | null;
  created_at: Date;
}

const COLUMNS = `id, campaign_id, checkout_session_id, first_invoice_id, amount, fee_amount, currency, donor_email,
  donor_name, anonymous, status, canceled_at, started_at, next_payment_at, snapshot_at, stripe_status, paused,
  last_paid_at, created_at`;

export type NewSubscription = Pick<
  SubscriptionRow,
  | 'id' | 'campaign_id' | 'checkout_session_id' | 'first_invoice_id' | 'amount' | 'fee_amount' | 'currency'
  | 'donor_email' | 'donor_name' | 'anonymous' | 'started_at'
>;

/**
 * Records a monthly donation from its checkout; a second call only fills in what was missing.
 * `inserted` tells the first call apart (subscription.created is announced once).
 */
export async function upsertSubscription(
  db: Queryable,
  subscription: NewSubscription,
): Promise<{ row: SubscriptionRow; inserted: boolean }> {
  const { rows } = await db.query<SubscriptionRow & { inserted: boolean }>(
    `INSERT INTO subscriptions (id, campaign_id, checkout_session_id, first_invoice_id, amount, fee_amount, currency,
       donor_email, donor_name, anonymous, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO UPDATE SET
       checkout_session_id = COALESCE(subscriptions.checkout_session_id, EXCLUDED.checkout_session_id),
       first_invoice_id = COALESCE(subscriptions.first_invoice_id, EXCLUDED.first_invoice_id),
       started_at = LEAST(subscriptions.started_at, EXCLUDED.started_at),
       updated_at = now()
     RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
    [
      subscription.id, subscription.campaign_id, subscription.checkout_session_id, subscription.first_invoice_id,
      subscription.amount, subscription.fee_amount, subscription.currency, subscription.donor_email,
      subscription.donor_name, subscription.anonymous, subscription.started_at,
    ],
  );
  const { inserted, ...row } = rows[0]!;
  return { row, inserted };
}

export async function findSubscription(db: Queryable, id: string): Promise<SubscriptionRow | null> {
  const { rows } = await db.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The donor's monthly donations, newest first (emails compared lower-cased). */
export async function subscriptionsOfDonor(db: Queryable, email: string): Promise<(SubscriptionRow & { campaign_slug: string })[]> {
  const { rows } = await db.query<SubscriptionRow & { campaign_slug: string }>(
    `SELECT ${COLUMNS.split(',').map((c) => `s.${c.trim()}`).join(', ')}, c.slug AS campaign_slug
     FROM subscriptions s JOIN campaigns c ON c.id = s.campaign_id
     WHERE lower(s.donor_email) = lower($1) ORDER BY s.created_at DESC, s.id DESC`,
    [email],
  );
  return rows;
}

export async function donorHasSubscriptions(db: Queryable, email: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM subscriptions WHERE lower(donor_email) = lower($1) LIMIT 1', [email]);
  return rows.length > 0;
}

/** A cancellation is final; the first time seen is kept. */
export async function cancelSubscription(db: Queryable, id: string, canceledAt: Date): Promise<void> {
  await db.query(
    `UPDATE subscriptions SET canceled_at = COALESCE(canceled_at, $2), next_payment_at = NULL, updated_at = now() WHERE id = $1`,
    [id, canceledAt],
  );
}

/**
 * Applies a snapshot unless a newer one was applied already (its event time is kept). A
 * cancellation it carries is kept whatever its age: it is final.
 */
export async function applySubscriptionSnapshot(db: Queryable, id: string, snapshot: SubscriptionSnapshot, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE subscriptions SET
       amount = $2, fee_amount = $3, stripe_status = $4, paused = $5,
       started_at = LEAST(started_at, $6), next_payment_at = CASE WHEN canceled_at IS NULL AND $8::timestamptz IS NULL THEN $7::timestamptz END,
       canceled_at = COALESCE(canceled_at, $8), snapshot_at = $9, updated_at = now()
     WHERE id = $1 AND (snapshot_at IS NULL OR snapshot_at <= $9)`,
    [id, snapshot.amount, snapshot.fee, snapshot.stripeStatus, snapshot.paused, snapshot.startedAt, snapshot.nextPaymentAt,
      snapshot.canceledAt, at],
  );
  if (!rowCount && snapshot.canceledAt) await cancelSubscription(db, id, snapshot.canceledAt);
  return rowCount === 1;
}

/** Goalpost changed the amount itself (donor's request, Stripe answered): shown at once. */
export async function setSubscriptionAmount(db: Queryable, id: string, amounts: { amount: number; fee: number }): Promise<void> {
  await db.query(`UPDATE subscriptions SET amount = $2, fee_amount = $3, updated_at = now() WHERE id = $1`, [
    id, amounts.amount, amounts.fee,
  ]);
}

export async function recordSubscriptionPaid(db: Queryable, id: string, paidAt: Date): Promise<void> {
  await db.query(
    `UPDATE subscriptions SET last_paid_at = GREATEST(last_paid_at, $2), updated_at = now() WHERE id = $1`,
    [id, paidAt],
  );
}

/** Records a failed renewal; Stripe's retries of the same invoice raise its attempt count. Returns true the first time. */
export async function recordPaymentFailure(
  db: Queryable,
  subscription: Pick<SubscriptionRow, 'id' | 'currency'>,
  failure: FailedRenewal,
): Promise<boolean> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `INSERT INTO subscription_payment_failures
       (invoice_id, subscription_id, amount, currency, attempts, first_failed_at, last_failed_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
     ON CONFLICT (invoice_id) DO UPDATE SET
       attempts = GREATEST(subscription_payment_failures.attempts, EXCLUDED.attempts),
       first_failed_at = LEAST(subscription_payment_failures.first_failed_at, EXCLUDED.first_failed_at),
       last_failed_at = GREATEST(subscription_payment_failures.last_failed_at, EXCLUDED.last_failed_at),
       next_attempt_at = CASE WHEN EXCLUDED.last_failed_at >= subscription_payment_failures.last_failed_at
                              THEN EXCLUDED.next_attempt_at ELSE subscription_payment_failures.next_attempt_at END
     RETURNING (xmax = 0) AS inserted`,
    [failure.invoiceId, subscription.id, failure.amount, subscription.currency, failure.attempts, failure.failedAt, failure.nextAttemptAt],
  );
  return rows[0]!.inserted;
}

export interface PaymentFailureRow {
  invoice_id: string;
  amount: number;
  currency: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  next_attempt_at: Date | null;
}

/** Failed invoices not paid since (no succeeded donation for them), newest first. */
export async function unpaidFailuresOf(db: Queryable, subscriptionId: string): Promise<PaymentFailureRow[]> {
  const { rows } = await db.query<PaymentFailureRow>(
    `SELECT f.invoice_id, f.amount, f.currency, f.attempts, f.first_failed_at, f.last_failed_at, f.next_attempt_at
     FROM subscription_payment_failures f
     WHERE f.subscription_id = $1
       AND NOT EXISTS (SELECT 1 FROM donations d WHERE d.invoice_id = f.invoice_id AND d.status = 'succeeded')
     ORDER BY f.last_failed_at DESC`,
    [subscriptionId],
  );
  return rows;
}

export async function subscriptionFacts(db: Queryable, row: SubscriptionRow): Promise<SubscriptionFacts> {
  const failures = await unpaidFailuresOf(db, row.id);
  return {
    canceledAt: row.canceled_at,
    stripeStatus: row.stripe_status,
    paused: row.paused,
    lastPaidAt: row.last_paid_at,
    unpaidFailures: failures.map((failure) => ({ lastFailedAt: failure.last_failed_at })),
  };
}

export async function setSubscriptionStatus(db: Queryable, id: string, status: SubscriptionStatus): Promise<void> {
  await db.query(`UPDATE subscriptions SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
}

/** Locks the row for a read-modify-write of its derived status (events of one subscription serialise here). */
export async function lockSubscription(db: Queryable, id: string): Promise<SubscriptionRow | null> {
  const { rows } = await db.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

/** The donor email of a monthly checkout's subscription, once it exists. */
export async function donorEmailOfMonthlyCheckout(db: Queryable, sessionId: string): Promise<string | null> {
  const { rows } = await db.query<{ donor_email: string | null }>('SELECT donor_email FROM subscriptions WHERE checkout_session_id = $1', [sessionId]);
  return rows[0]?.donor_email ?? null;
}

export interface AdminSubscriptionRow extends SubscriptionRow {
  campaign_slug: string;
  /** Failed tries of invoices still unpaid (0 once recovered). */
  failed_attempts: number;
  position: string;
}

export interface SubscriptionListFilter {
  campaignId?: number;
  /** The status as shown (domain shownStatus): a recorded cancellation is `canceled` whatever the stored status. */
  status?: SubscriptionStatus;
  /** Matched, case-insensitively, anywhere in the donor's email or name. */
  q?: string;
  /** Canceled within [from, to): the same test as the month rows' monthly_canceled. */
  canceledBetween?: { from: Date; to: Date };
}

/** The admin list: newest first, by campaign, status, cancellation time and a donor search (email or name). */
export async function listSubscriptions(
  db: Queryable,
  filter: SubscriptionListFilter,
  page: { limit: number; after?: { position: string; id: string } },
): Promise<AdminSubscriptionRow[]> {
  const { rows } = await db.query<AdminSubscriptionRow>(
    `SELECT ${COLUMNS.split(',').map((c) => `s.${c.trim()}`).join(', ')}, c.slug AS campaign_slug, s.created_at::text AS position,
       COALESCE((SELECT sum(f.attempts) FROM subscription_payment_failures f
                 WHERE f.subscription_id = s.id
                   AND NOT EXISTS (SELECT 1 FROM donations d WHERE d.invoice_id = f.invoice_id AND d.status = 'succeeded')), 0)::int
         AS failed_attempts
     FROM subscriptions s JOIN campaigns c ON c.id = s.campaign_id
     WHERE ($1::bigint IS NULL OR s.campaign_id = $1)
       AND ($2::text IS NULL OR (CASE WHEN s.canceled_at IS NOT NULL THEN 'canceled' ELSE s.status END) = $2)
       AND ($3::text IS NULL OR s.donor_email ILIKE $3 OR s.donor_name ILIKE $3)
       AND ($4::timestamptz IS NULL OR (s.canceled_at >= $4 AND s.canceled_at < $5::timestamptz))
       AND ($6::timestamptz IS NULL OR (s.created_at, s.id) < ($6::timestamptz, $7::text))
     ORDER BY s.created_at DESC, s.id DESC
     LIMIT $8`,
    [
      filter.campaignId ?? null, filter.status ?? null, filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
      filter.canceledBetween?.from ?? null, filter.canceledBetween?.to ?? null,
      page.after?.position ?? null, page.after?.id ?? null, page.limit,
    ],
  );
  return rows;
}
