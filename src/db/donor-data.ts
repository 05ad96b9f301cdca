import type { Queryable } from './pool.js';

/**
 * All SQL of a donor's data requests (erasure and export), keyed by email, case-insensitively.
 * Erasure blanks personal fields in place: rows, amounts and ids stay, so the ledger, receipt
 * numbers and every total are unchanged.
 */

export interface ErasedDonations {
  count: number;
  /** The names and messages the donor gave, to find them in stored payloads. */
  texts: string[];
  sessionIds: string[];
}

export async function eraseDonations(db: Queryable, email: string, donorKey: string): Promise<ErasedDonations> {
  const { rows } = await db.query<{ donor_name: string | null; message: string | null; checkout_session_id: string | null }>(
    `WITH target AS (
       SELECT id, donor_name, message, checkout_session_id FROM donations WHERE lower(donor_email) = lower($1) FOR UPDATE
     )
     UPDATE donations d SET donor_email = NULL, donor_name = NULL, message = NULL, erased_at = now(),
       erased_donor_key = $2, updated_at = now()
     FROM target WHERE d.id = target.id
     RETURNING target.donor_name, target.message, target.checkout_session_id`,
    [email, donorKey],
  );
  return {
    count: rows.length,
    texts: rows.flatMap((row) => [row.donor_name, row.message].filter((text): text is string => Boolean(text))),
    sessionIds: rows.flatMap((row) => (row.checkout_session_id ? [row.checkout_session_id] : [])),
  };
}

/** Donors are counted per period under their email: the count moves to the anonymous key. */
export async function renameDonorInPeriods(db: Queryable, email: string, donorKey: string): Promise<void> {
  await db.query(`UPDATE period_donors SET donor_email = $2 WHERE donor_email = lower(trim($1))`, [email, donorKey]);
}

export async function eraseCheckouts(db: Queryable, email: string, sessionIds: readonly string[]): Promise<{ count: number; texts: string[] }> {
  const { rows } = await db.query<{ donor_name: string | null; message: string | null }>(
    `WITH target AS (
       SELECT session_id, donor_name, message FROM checkouts
       WHERE lower(donor_email) = lower($1) OR session_id = ANY($2::text[]) FOR UPDATE
     )
     UPDATE checkouts k SET donor_email = NULL, donor_name = NULL, message = NULL
     FROM target WHERE k.session_id = target.session_id
     RETURNING target.donor_name, target.message`,
    [email, sessionIds],
  );
  return { count: rows.length, texts: rows.flatMap((row) => [row.donor_name, row.message].filter((text): text is string => Boolean(text))) };
}

export async function eraseSubscriptions(db: Queryable, email: string): Promise<{ count: number; texts: string[] }> {
  const { rows } = await db.query<{ donor_name: string | null }>(
    `WITH target AS (SELECT id, donor_name FROM subscriptions WHERE lower(donor_email) = lower($1) FOR UPDATE)
     UPDATE subscriptions s SET donor_email = NULL, donor_name = NULL, updated_at = now()
     FROM target WHERE s.id = target.id
     RETURNING target.donor_name`,
    [email],
  );
  return { count: rows.length, texts: rows.flatMap((row) => (row.donor_name ? [row.donor_name] : [])) };
}

/**
 * Mails to the donor keep their row (a receipt's number and status are records) without the
 * address; one not sent yet is never sent.
 */
export async function eraseReceipts(db: Queryable, email: string, erasedAddress: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE receipts SET to_email = $2, payload = '{}',
       status = CASE WHEN status IN ('pending', 'sending') THEN 'failed' ELSE status END,
       last_error = CASE WHEN status IN ('pending', 'sending') THEN 'not sent: the donor''s data was erased' ELSE last_error END
     WHERE lower(to_email) = lower($1)`,
    [email, erasedAddress],
  );
  return rowCount ?? 0;
}

/**
 * A text as a JSON encoder that escapes every non-ASCII character writes it. Stripe's events are
 * stored as the text Stripe sent (json), so a name may be there as `\u00e9` rather than `é`
 * (ILIKE takes the hex digits in either case).
 */
function asciiEscaped(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Stored JSON that mentions one of these texts anywhere, for scrubbing row by row. */
export async function jsonMentioning(
  db: Queryable,
  table: 'stripe_events' | 'webhook_events',
  texts: readonly string[],
): Promise<{ id: string; payload: unknown }[]> {
  if (!texts.length) return [];
  const spellings = new Set(texts.flatMap((text) => [text, asciiEscaped(text)]));
  const patterns = [...spellings].map((identifier) => `%${identifier.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const { rows } = await db.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM ${table} WHERE payload::text ILIKE ANY($1::text[]) FOR UPDATE`,
    [patterns],
  );
  return rows;
}

export async function replacePayload(db: Queryable, table: 'stripe_events' | 'webhook_events', id: string, payload: unknown): Promise<void> {
  await db.query(`UPDATE ${table} SET payload = $2 WHERE id = $1`, [id, JSON.stringify(payload)]);
}

/** A donor's subscriptions and mails, for an access request. */
export async function donorSubscriptions(db: Queryable, email: string) {
  const { rows } = await db.query(
    `SELECT s.id, c.slug AS campaign, s.amount, s.fee_amount, s.currency, s.donor_name, s.donor_email, s.anonymous,
            s.status, s.created_at, s.canceled_at
     FROM subscriptions s JOIN campaigns c ON c.id = s.campaign_id
     WHERE lower(s.donor_email) = lower($1) ORDER BY s.created_at`,
    [email],
  );
  return rows;
}

export async function donorMails(db: Queryable, email: string) {
  const { rows } = await db.query(
    `SELECT r.kind, r.donation_id, d.receipt_number, r.to_email, r.status, r.created_at, r.sent_at
     FROM receipts r LEFT JOIN donations d ON d.id = r.donation_id
     WHERE lower(r.to_email) = lower($1) ORDER BY r.id`,
    [email],
  );
  return rows;
}
