import type { ReceiptSettings } from './campaigns.js';
import type { Language } from '../domain/i18n/languages.js';
import type { OutboxRow } from './outbox.js';
import type { JobPayloads } from '../queue/jobs.js';
import type { Queryable } from './pool.js';
import type { DonationTerms } from '../domain/donation.js';

export type ReceiptKind = 'receipt' | 'copy' | 'refund' | 'statement' | 'payment_failed' | 'manage_link';
export type ReceiptStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** One mail Goalpost sends or tries to send (table `receipts`). */
export interface ReceiptRow {
  id: number;
  kind: ReceiptKind;
  donation_id: string | null;
  dedupe_key: string;
  to_email: string;
  payload: Record<string, unknown>;
  status: ReceiptStatus;
  attempts: number;
  message_id: string | null;
  last_error: string | null;
  created_at: Date;
  claimed_at: Date | null;
  sent_at: Date | null;
}

/** A row as the admin API lists it: with the donation's receipt number. */
export interface ReceiptListRow extends ReceiptRow {
  receipt_number: string | null;
}

const COLUMN_NAMES = [
  'id', 'kind', 'donation_id', 'dedupe_key', 'to_email', 'payload', 'status', 'attempts', 'message_id', 'last_error',
  'created_at', 'claimed_at', 'sent_at',
];

/** A mail to record: the dedupe key names the logical mail, so recording it twice is a no-op. */
export interface MailRequest {
  kind: ReceiptKind;
  donationId: string | null;
  dedupeKey: string;
  toEmail: string;
  payload?: object;
}

/** The `receipt.send` job that sends the mails one insert recorded. */
export interface ReceiptJob {
  outbox: OutboxRow;
  receiptIds: number[];
}

/**
 * Inserts mails and ONE `receipt.send` outbox row for all the new ones, in one statement (a
 * ledger batch's mails, or a single mail). The outbox id is taken first, so every row records
 * the job that sends it (`outbox_id`: the sweeper gives a stranded row's job back under it).
 * Mails whose dedupe key exists are skipped; null when none was new (no job either).
 */
export async function insertReceiptsWithJob(db: Queryable, receipts: readonly MailRequest[]): Promise<ReceiptJob | null> {
  if (!receipts.length) return null;
  const { rows } = await db.query<{ id: number; receipt_ids: number[] }>({
    name: 'insert-receipts-with-job',
    text: `WITH job AS (SELECT nextval('outbox_id_seq') AS id),
     inserted AS (
       INSERT INTO receipts (kind, donation_id, dedupe_key, to_email, payload, outbox_id)
       SELECT m.kind, m.donation_id, m.dedupe_key, m.to_email, m.payload::jsonb, job.id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS m(kind, donation_id, dedupe_key, to_email, payload, n), job
       ORDER BY m.n
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id
     ),
     -- No group, so no outbox row, when every mail existed.
     queued AS (
       INSERT INTO outbox (id, job_name, payload)
       SELECT job.id, 'receipt.send', jsonb_build_object('receiptIds', jsonb_agg(inserted.id ORDER BY inserted.id))
       FROM job, inserted GROUP BY job.id
       RETURNING id, payload->'receiptIds' AS receipt_ids
     )
     SELECT id, receipt_ids FROM queued`,
    values: [
      receipts.map((r) => r.kind), receipts.map((r) => r.donationId), receipts.map((r) => r.dedupeKey),
      receipts.map((r) => r.toEmail), receipts.map((r) => JSON.stringify(r.payload ?? {})),
    ],
  });
  const row = rows[0];
  if (!row) return null;
  const payload: JobPayloads['receipt.send'] = { receiptIds: row.receipt_ids };
  return { outbox: { id: row.id, job_name: 'receipt.send', payload }, receiptIds: row.receipt_ids };
}

/** Where each of these rows stands (those that exist), for a job that could not claim them. */
export async function receiptStates(
  db: Queryable,
  ids: readonly number[],
): Promise<Pick<ReceiptRow, 'id' | 'status' | 'claimed_at'>[]> {
  const { rows } = await db.query<Pick<ReceiptRow, 'id' | 'status' | 'claimed_at'>>(
    'SELECT id, status, claimed_at FROM receipts WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return rows;
}

/**
 * Takes a job's receipts for sending, in one statement: those pending, those left 'sending'
 * longer than `abandonedAfterMs` by a worker that died, and those `claimant` itself claimed
 * before, whose answer it may never have read (the database went away as it committed); the
 * rest (sent, failed, being sent by another run) are left out. Autocommitted, so the attempts
 * are on record before any SMTP traffic. Rows are locked in id order, so jobs with overlapping
 * rows never deadlock; two workers racing for a row serialise on its lock, and the second finds
 * it no longer claimable (the lock re-checks the condition).
 * The same statement reads what each mail shows (MAIL_CONTEXT), so composing needs no further read.
 */
export async function claimReceipts(
  db: Queryable,
  ids: readonly number[],
  claim: { claimant: string; abandonedAfterMs: number },
): Promise<ReceiptForMail[]> {
  const { rows } = await db.query<Record<string, unknown>>({
    name: 'claim-receipts',
    text: `WITH claimable AS (
       SELECT id FROM receipts
       WHERE id = ANY($1::bigint[])
         AND (status = 'pending' OR (status = 'sending' AND (claimed_by = $3 OR claimed_at < now() - make_interval(secs => $2::float8 / 1000))))
       ORDER BY id FOR UPDATE
     ),
     r AS (
       UPDATE receipts u SET status = 'sending', attempts = u.attempts + 1, claimed_at = now(), claimed_by = $3
       FROM claimable WHERE u.id = claimable.id
       RETURNING ${COLUMN_NAMES.map((name) => `u.${name}`).join(', ')}
     )
     SELECT r.*, ${MAIL_CONTEXT_COLUMNS} FROM r ${MAIL_CONTEXT} ORDER BY r.id`,
    values: [ids, claim.abandonedAfterMs, claim.claimant],
  });
  return rows.map(withMailContext);
}

/** A receipts row with what its mail shows, read as claimReceipts reads it (to compose a mail without claiming it). */
export async function findReceiptForMail(db: Queryable, id: number): Promise<ReceiptForMail | null> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${COLUMN_NAMES.map((name) => `r.${name}`).join(', ')}, ${MAIL_CONTEXT_COLUMNS} FROM receipts r ${MAIL_CONTEXT} WHERE r.id = $1`,
    [id],
  );
  return rows[0] ? withMailContext(rows[0]) : null;
}

/**
 * Delivered mails are sent whoever holds their claims now: success always wins. Ids in
 * ascending order, the order the claim locks rows in.
 */
export async function markReceiptsSent(db: Queryable, sent: readonly { id: number; messageId: string }[]): Promise<void> {
  const ordered = [...sent].sort((a, b) => a.id - b.id);
  await db.query(
    `UPDATE receipts r SET status = 'sent', message_id = m.message_id, sent_at = now(), last_error = NULL
     FROM unnest($1::bigint[], $2::text[]) AS m(id, message_id)
     WHERE r.id = m.id AND r.status <> 'sent'`,
    [ordered.map((row) => row.id), ordered.map((row) => row.messageId)],
  );
}

/** A claimed row handed back: 'pending' for a retry, 'failed' for good. */
export interface ReceiptRelease {
  id: number;
  /** The claim's attempt number: only the claim that made it may hand the row back. */
  attempt: number;
  status: 'pending' | 'failed';
  /** Why the send failed; null for a row handed back untried, which keeps its last error and gets its attempt back. */
  error: string | null;
}

/**
 * Hands claimed rows back, each only if its claim is still the one that made `attempt`, never
 * one another worker has since taken over. Ids in ascending order, as the claim locks them.
 */
export async function releaseReceipts(db: Queryable, releases: readonly ReceiptRelease[]): Promise<void> {
  if (!releases.length) return;
  const ordered = [...releases].sort((a, b) => a.id - b.id);
  await db.query(
    `UPDATE receipts r SET status = f.status, last_error = COALESCE(f.error, r.last_error), attempts = r.attempts - (f.error IS NULL)::int
     FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[]) AS f(id, attempt, status, error)
     WHERE r.id = f.id AND r.status = 'sending' AND r.attempts = f.attempt`,
    [ordered.map((f) => f.id), ordered.map((f) => f.attempt), ordered.map((f) => f.status), ordered.map((f) => f.error)],
  );
}

/** Newest first, keyset-paged by id. */
export async function listReceipts(
  db: Queryable,
  filter: { id?: number; donationId?: string; status?: ReceiptStatus; kind?: ReceiptKind; beforeId?: number; limit: number },
): Promise<ReceiptListRow[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (sql: string, value: unknown) => {
    values.push(value);
    conditions.push(sql.replace('?', `$${values.length}`));
  };
  if (filter.id !== undefined) where('r.id = ?', filter.id);
  if (filter.donationId !== undefined) where('r.donation_id = ?', filter.donationId);
  if (filter.status !== undefined) where('r.status = ?', filter.status);
  if (filter.kind !== undefined) where('r.kind = ?', filter.kind);
  if (filter.beforeId !== undefined) where('r.id < ?', filter.beforeId);
  values.push(filter.limit);
  const { rows } = await db.query<ReceiptListRow>(
    `SELECT ${COLUMN_NAMES.map((name) => `r.${name}`).join(', ')}, d.receipt_number
     FROM receipts r LEFT JOIN donations d ON d.id = r.donation_id
     ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY r.id DESC LIMIT $${values.length}`,
    values,
  );
  return rows;
}

/** What a receipt or refund mail shows about its donation and campaign. */
export interface DonationForMail extends DonationTerms {
  id: string;
  status: string;
  paid_at: Date | null;
  created_at: Date;
  receipt_number: string | null;
  campaign_name: string;
  timezone: string;
  receipt_settings: ReceiptSettings;
  /** The donor's language, from the checkout that started the donation (or its monthly donation). */
  locale: Language | null;
}

/** A receipts row and what its mail shows, read in the statement that reads (or claims) the row. */
export interface ReceiptForMail extends ReceiptRow {
  /** The row's donation (receipts, copies and refund confirmations name one); null when it names none. */
  donation: DonationForMail | null;
  /** For a refund confirmation: the Message-ID of the donation's sent receipt, to thread under. */
  in_reply_to: string | null;
}

const DONATION_FOR_MAIL: [column: string, name: keyof DonationForMail][] = [
  ['d.id', 'id'], ['d.status', 'status'], ['d.frequency', 'frequency'], ['d.amount', 'amount'], ['d.fee_amount', 'fee_amount'],
  ['d.currency', 'currency'], ['d.donor_email', 'donor_email'], ['d.donor_name', 'donor_name'], ['d.anonymous', 'anonymous'],
  ['d.message', 'message'], ['d.paid_at', 'paid_at'], ['d.created_at', 'created_at'], ['d.receipt_number', 'receipt_number'],
  ['c.name', 'campaign_name'], ['c.timezone', 'timezone'], ['c.receipt_settings', 'receipt_settings'], ['k.locale', 'locale'],
];
const DONATION_PREFIX = 'donation.';
const MAIL_CONTEXT_COLUMNS = `${DONATION_FOR_MAIL.map(([, name]) => `m."${DONATION_PREFIX}${name}"`).join(', ')}, t.in_reply_to`;
/**
 * Joined to a receipts row (or CTE) named `r`: its donation's columns, prefixed, and a refund's
 * thread. The language comes from the checkout row, found through the donation's own session or,
 * for a monthly renewal, its subscription's: read here rather than copied onto the ledger's rows.
 */
const MAIL_CONTEXT = `LEFT JOIN LATERAL (
    SELECT ${DONATION_FOR_MAIL.map(([column, name]) => `${column} AS "${DONATION_PREFIX}${name}"`).join(', ')}
    FROM donations d JOIN campaigns c ON c.id = d.campaign_id
    LEFT JOIN subscriptions s ON s.id = d.subscription_id
    LEFT JOIN checkouts k ON k.session_id = COALESCE(d.checkout_session_id, s.checkout_session_id)
    WHERE d.id = r.donation_id
  ) m ON true
  LEFT JOIN LATERAL (
    SELECT sent.message_id AS in_reply_to FROM receipts sent
    WHERE r.kind = 'refund' AND sent.donation_id = r.donation_id AND sent.kind = 'receipt' AND sent.status = 'sent'
    LIMIT 1
  ) t ON true`;

function withMailContext(row: Record<string, unknown>): ReceiptForMail {
  const receipt: Record<string, unknown> = {};
  const donation: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith(DONATION_PREFIX)) donation[key.slice(DONATION_PREFIX.length)] = value;
    else receipt[key] = value;
  }
  const found = donation.id == null ? null : (donation as unknown as DonationForMail);
  return { ...(receipt as unknown as Omit<ReceiptForMail, 'donation'>), donation: found };
}

/**
 * Receipts still to send whose job was relayed a while ago, by job: pending ones, and ones whose
 * claim was abandoned mid-send. The caller checks whether each job is still alive.
 */
export async function strandedReceipts(
  db: Queryable,
  options: { olderThanMs: number; abandonedAfterMs: number; limit: number },
): Promise<{ job_id: string; receipt_ids: number[] }[]> {
  const { rows } = await db.query<{ job_id: string; receipt_ids: number[] }>(
    `SELECT 'outbox-' || o.id AS job_id, array_agg(r.id ORDER BY r.id) AS receipt_ids
     FROM receipts r JOIN outbox o ON o.id = r.outbox_id
     WHERE o.dispatched_at < now() - make_interval(secs => $1 / 1000.0)
       AND (r.status = 'pending'
            OR (r.status = 'sending' AND r.claimed_at < now() - make_interval(secs => $2 / 1000.0)))
     GROUP BY o.id ORDER BY o.id LIMIT $3`,
    [options.olderThanMs, options.abandonedAfterMs, options.limit],
  );
  return rows;
}

export interface DonationReceiptState {
  status: string;
  receipt_number: string | null;
  donor_email: string | null;
}

/** What deciding on a donation's receipt needs; `forUpdate` locks the row for the caller's transaction. */
export async function donationReceiptState(
  db: Queryable,
  donationId: string,
  options: { forUpdate?: boolean } = {},
): Promise<DonationReceiptState | null> {
  const { rows } = await db.query<DonationReceiptState>(
    `SELECT status, receipt_number, donor_email FROM donations WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [donationId],
  );
  return rows[0] ?? null;
}

/**
 * Gives donations the next receipt numbers of their year, in the order given: one counter
 * update per year for the whole batch, years in ascending order (every writer takes them so).
 * The counter rows stay locked until the caller's transaction ends and a rollback returns the
 * numbers, so numbers are unique and gap-free. The caller passes donations without a number.
 */
export async function numberReceipts(db: Queryable, requests: readonly { donationId: string; year: number }[]): Promise<void> {
  const byYear = new Map<number, string[]>();
  for (const { donationId, year } of requests) byYear.set(year, [...(byYear.get(year) ?? []), donationId]);
  for (const year of [...byYear.keys()].sort((a, b) => a - b)) {
    const donationIds = [...new Set(byYear.get(year))];
    await db.query(
      `WITH counter AS (
         INSERT INTO receipt_counters (year, last_number) VALUES ($2, $3)
         ON CONFLICT (year) DO UPDATE SET last_number = receipt_counters.last_number + $3
         RETURNING last_number - $3 AS before
       )
       UPDATE donations d SET receipt_number = $2::int || '-' || lpad(n.number::text, greatest(6, length(n.number::text)), '0')
       FROM counter, LATERAL (SELECT counter.before + numbered.ordinality AS number, numbered.id
                              FROM unnest($1::text[]) WITH ORDINALITY AS numbered(id, ordinality)) n
       WHERE d.id = n.id`,
      [donationIds, year, donationIds.length],
    );
  }
}
