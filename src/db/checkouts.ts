import type { Queryable } from './pool.js';
import type { Attribution, DonationTerms } from '../domain/donation.js';
import type { Language } from '../domain/i18n/languages.js';

export type CheckoutStatus = 'open' | 'complete' | 'expired';

/** What the donor asked for, stored once Stripe created the session (never trusted from metadata). */
export interface CheckoutRow extends DonationTerms, Attribution {
  session_id: string;
  campaign_id: number;
  status: CheckoutStatus;
  url: string;
  expires_at: Date;
  created_at: Date;
  /** The donor's language as the checkout named it (`locale`); null when it did not. */
  locale: Language | null;
}

export type NewCheckout = Omit<CheckoutRow, 'status' | 'created_at'>;

/** A retried request may get the same session back from Stripe: the first row stays. */
export async function insertCheckout(db: Queryable, checkout: NewCheckout): Promise<void> {
  await db.query(
    `INSERT INTO checkouts (session_id, campaign_id, frequency, amount, fee_amount, currency, donor_email, donor_name,
       anonymous, message, url, expires_at, source, utm_source, utm_medium, utm_campaign, locale)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (session_id) DO NOTHING`,
    [
      checkout.session_id, checkout.campaign_id, checkout.frequency, checkout.amount, checkout.fee_amount,
      checkout.currency, checkout.donor_email, checkout.donor_name, checkout.anonymous, checkout.message,
      checkout.url, checkout.expires_at, checkout.source, checkout.utm_source, checkout.utm_medium, checkout.utm_campaign,
      checkout.locale,
    ],
  );
}

export interface CheckoutWithCampaign extends CheckoutRow {
  campaign_slug: string;
  campaign_name: string;
}

export async function findCheckout(db: Queryable, sessionId: string): Promise<CheckoutWithCampaign | null> {
  return (await findCheckouts(db, [sessionId]))[0] ?? null;
}

/** The checkouts of these sessions that exist (ids that name no session find nothing). */
export async function findCheckouts(db: Queryable, sessionIds: readonly string[]): Promise<CheckoutWithCampaign[]> {
  if (!sessionIds.length) return [];
  const { rows } = await db.query<CheckoutWithCampaign>(
    `SELECT k.session_id, k.campaign_id, k.frequency, k.amount, k.fee_amount, k.currency, k.donor_email, k.donor_name,
            k.anonymous, k.message, k.status, k.url, k.expires_at, k.created_at,
            k.source, k.utm_source, k.utm_medium, k.utm_campaign, k.locale, c.slug AS campaign_slug, c.name AS campaign_name
     FROM checkouts k JOIN campaigns c ON c.id = k.campaign_id
     WHERE k.session_id = ANY($1::text[])`,
    [sessionIds],
  );
  return rows;
}

/**
 * Only moves forward: open → complete | expired. A completion wins even over an expiry seen
 * first, since Stripe's events may arrive in any order and payment is the fact that matters.
 */
export async function advanceCheckoutStatus(db: Queryable, sessionId: string, status: 'complete' | 'expired'): Promise<void> {
  await advanceCheckoutStatuses(db, [{ sessionId, status }]);
}

/** `advanceCheckoutStatus` for many sessions: one statement per status. */
export async function advanceCheckoutStatuses(db: Queryable, changes: readonly { sessionId: string; status: 'complete' | 'expired' }[]): Promise<void> {
  const sessions = (status: 'complete' | 'expired') => changes.filter((c) => c.status === status).map((c) => c.sessionId);
  const completed = sessions('complete');
  const expired = sessions('expired');
  if (completed.length) {
    await db.query(
      `UPDATE checkouts SET status = 'complete' WHERE session_id = ANY($1::text[]) AND status <> 'complete'`,
      [completed],
    );
  }
  if (expired.length) {
    await db.query(
      `UPDATE checkouts SET status = 'expired' WHERE session_id = ANY($1::text[]) AND status = 'open'`,
      [expired],
    );
  }
}

/** The donation a session produced (one-time, or a monthly donation's first payment), as the thank-you page shows it. */
export interface SessionDonationRow {
  id: string;
  status: string;
  frequency: 'one_time' | 'monthly';
  amount: number;
  fee_amount: number;
  currency: string;
  donor_name: string | null;
  anonymous: boolean;
  receipt_number: string | null;
  paid_at: Date | null;
}

export async function findSessionDonation(db: Queryable, sessionId: string): Promise<SessionDonationRow | null> {
  const { rows } = await db.query<SessionDonationRow>(
    `SELECT id, status, frequency, amount, fee_amount, currency, donor_name, anonymous, receipt_number, paid_at
     FROM donations WHERE checkout_session_id = $1`,
    [sessionId],
  );
  return rows[0] ?? null;
}

/** The language a monthly donation's checkout named (its failed-payment mails speak it). */
export async function languageOfSubscription(db: Queryable, subscriptionId: string): Promise<Language | null> {
  const { rows } = await db.query<{ locale: Language | null }>(
    `SELECT k.locale FROM subscriptions s JOIN checkouts k ON k.session_id = s.checkout_session_id WHERE s.id = $1`,
    [subscriptionId],
  );
  return rows[0]?.locale ?? null;
}

/** The language of a donor's newest monthly donation (their manage-link mail speaks it). */
export async function languageOfDonor(db: Queryable, email: string): Promise<Language | null> {
  const { rows } = await db.query<{ locale: Language | null }>(
    `SELECT k.locale FROM subscriptions s JOIN checkouts k ON k.session_id = s.checkout_session_id
     WHERE lower(s.donor_email) = lower($1) AND k.locale IS NOT NULL
     ORDER BY s.created_at DESC LIMIT 1`,
    [email],
  );
  return rows[0]?.locale ?? null;
}
