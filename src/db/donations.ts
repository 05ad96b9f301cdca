import { randomBytes } from 'node:crypto';
import type { Queryable } from './pool.js';
import type { DisputeStatus, DonationStatus } from '../domain/ledger.js';
import type { Attribution, DonationTerms } from '../domain/donation.js';
import type { Language } from '../domain/i18n/languages.js';
import type { OfflineDonationPlan, OfflineMethod } from '../domain/offline-donation.js';
import type { KnownRefunds } from '../domain/refunds.js';

export interface DonationRow extends DonationTerms, Attribution {
  id: string;
  origin: 'stripe' | 'offline';
  offline_method: OfflineMethod | null;
  offline_reference: string | null;
  voided_at: Date | null;
  message_hidden: boolean;
  erased_at: Date | null;
  /** After erasure: the random key the donor's donations are counted under (see settle.ts donorKeyOf). */
  erased_donor_key: string | null;
  campaign_id: number;
  status: DonationStatus;
  checkout_session_id: string | null;
  subscription_id: string | null;
  payment_intent_id: string | null;
  charge_id: string | null;
  invoice_id: string | null;
  period_key: string | null;
  paid_at: Date | null;
  refunded_amount: number;
  disputed_amount: number;
  dispute_status: DisputeStatus | null;
  /** The largest cumulative amount_refunded Stripe reported for the charge. */
  refunded_gross: number;
  /** Refunds Stripe named, by id, with their latest status (domain/refunds.ts). */
  refunds: KnownRefunds;
  dispute_id: string | null;
  dispute_amount: number;
  receipt_number: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMN_NAMES = [
  'id', 'campaign_id', 'status', 'frequency', 'amount', 'fee_amount', 'currency', 'donor_email', 'donor_name',
  'anonymous', 'message', 'checkout_session_id', 'subscription_id', 'payment_intent_id', 'charge_id', 'invoice_id',
  'period_key', 'paid_at', 'refunded_amount', 'disputed_amount', 'dispute_status', 'refunded_gross', 'dispute_id',
  'dispute_amount', 'receipt_number', 'created_at', 'updated_at', 'origin', 'offline_method', 'offline_reference',
  'voided_at', 'source', 'utm_source', 'utm_medium', 'utm_campaign', 'message_hidden', 'erased_at', 'erased_donor_key', 'refunds',
];
const columns = (alias?: string) => COLUMN_NAMES.map((name) => (alias ? `${alias}.${name}` : name)).join(', ');
const COLUMNS = columns();

export function newDonationId(): string {
  return `don_${randomBytes(12).toString('hex')}`;
}

/** The columns an event (or an admin's void) may change on a donation (ids are filled in, never replaced). */
export const CHANGEABLE_COLUMNS = [
  'status', 'amount', 'fee_amount', 'paid_at', 'period_key', 'refunded_gross', 'dispute_id', 'dispute_amount',
  'dispute_status', 'refunded_amount', 'disputed_amount', 'refunds', 'payment_intent_id', 'charge_id', 'checkout_session_id',
  'voided_at',
] as const satisfies readonly (keyof DonationRow)[];
export type DonationFields = Partial<Pick<DonationRow, (typeof CHANGEABLE_COLUMNS)[number]>>;

/** A new donation (every column an event decides), or the changed columns of an existing one. */
export type DonationInsert = Omit<DonationRow, 'receipt_number' | 'created_at' | 'updated_at'>;
export type DonationWrite = { insert: DonationInsert } | { update: string; fields: DonationFields };

const INSERTED_COLUMNS = COLUMN_NAMES.filter((name) => !['receipt_number', 'created_at', 'updated_at'].includes(name));

/**
 * Inserts the donations a batch of events decided on, in one statement. An insert that meets a
 * donation already holding one of its Stripe ids (the unique constraints are the second line of
 * idempotency) throws: the events' Stripe-id locks make that a bug, and the batch rolls back
 * rather than count twice.
 */
export async function insertDonations(db: Queryable, inserts: readonly DonationInsert[]): Promise<void> {
  if (!inserts.length) return;
  const { rows } = await db.query<{ id: string }>({
    name: 'insert-donations',
    text: `INSERT INTO donations (${INSERTED_COLUMNS.join(', ')})
     SELECT ${INSERTED_COLUMNS.join(', ')} FROM jsonb_populate_recordset(NULL::donations, $1::jsonb)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    values: [JSON.stringify(inserts)],
  });
  if (rows.length === inserts.length) return;
  const inserted = new Set(rows.map((row) => row.id));
  const clash = inserts.find((insert) => !inserted.has(insert.id))!;
  throw new Error(`a donation for ${clash.checkout_session_id ?? clash.invoice_id} appeared concurrently`);
}

/**
 * Writes the changed columns of many donations in one statement: each row gets only the columns
 * its `fields` name (the others keep their value), and `updated_at` moves.
 *
 * The ids are given twice on purpose. The planner counts any set-returning function as 100 rows,
 * so with the ids only in the JSON it joined a batch's few changes to a hash of the whole
 * donations table (read in full, each row's whole record built for jsonb_populate_record) until
 * the table outgrew that guess. `id = ANY($2)` is counted as the ids it is given: the rows are
 * fetched through the primary key.
 */
export async function updateDonations(db: Queryable, updates: readonly { id: string; fields: DonationFields }[]): Promise<void> {
  if (!updates.length) return;
  await db.query(
    `UPDATE donations d
     SET (${CHANGEABLE_COLUMNS.join(', ')}) =
         (SELECT ${CHANGEABLE_COLUMNS.map((column) => `r.${column}`).join(', ')} FROM jsonb_populate_record(d, u.fields) r),
         updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS u(id text, fields jsonb)
     WHERE d.id = u.id AND d.id = ANY($2::text[])`,
    [JSON.stringify(updates), updates.map((update) => update.id)],
  );
}

export type DonationKey =
  | { checkoutSessionId: string }
  | { invoiceId: string }
  | { paymentIntentId?: string | null; chargeId?: string | null };

/**
 * The donation a Stripe id belongs to, if we know one, locked for the rest of the transaction:
 * an event reads it to decide what changes, and nothing else changes it meanwhile.
 */
export async function lockDonationBy(db: Queryable, key: DonationKey): Promise<DonationRow | null> {
  if ('checkoutSessionId' in key) {
    const { rows } = await db.query<DonationRow>(`SELECT ${COLUMNS} FROM donations WHERE checkout_session_id = $1 FOR UPDATE`, [key.checkoutSessionId]);
    return rows[0] ?? null;
  }
  if ('invoiceId' in key) {
    const { rows } = await db.query<DonationRow>(`SELECT ${COLUMNS} FROM donations WHERE invoice_id = $1 FOR UPDATE`, [key.invoiceId]);
    return rows[0] ?? null;
  }
  if (!key.paymentIntentId && !key.chargeId) return null;
  const { rows } = await db.query<DonationRow>(
    `SELECT ${COLUMNS} FROM donations WHERE payment_intent_id = $1 OR charge_id = $2
     ORDER BY (payment_intent_id = $1) DESC NULLS LAST LIMIT 1 FOR UPDATE`,
    [key.paymentIntentId ?? null, key.chargeId ?? null],
  );
  return rows[0] ?? null;
}

/**
 * Every donation any of these Stripe ids belongs to (by session, invoice, payment intent or
 * charge), locked for the rest of the transaction like lockDonationBy's, in id order so two
 * batches never lock in a circle: a batch reads all of its events' donations at once.
 */
export async function lockDonationsByStripeIds(db: Queryable, ids: readonly string[]): Promise<DonationRow[]> {
  if (!ids.length) return [];
  // Unnamed, planned for each batch's ids (see Queryable in pool.ts): prepared, its plan made
  // while the table was small scanned all of it as it grew (≈ 11 ms a batch instead of 2 in P3).
  // Each id column's unique index is probed for the batch's ids, then the rows are read by their
  // key. Written as one OR of the four columns, the planner estimated testing every row's four
  // columns against the ids as cheaper than the probes on a table of thousands of donations (a
  // young deployment's, and every P3 run's), with fresh statistics too: 2.4–2.8 ms a batch of
  // 33 ids on 7,000 donations against 0.8–1.1 ms for this (pgbench, with BEGIN and ROLLBACK).
  // After a lock wait PostgreSQL re-checks only `id = ANY(…)`, not the Stripe ids; that is the
  // same thing here, as a donation's Stripe ids are filled in once and never replaced.
  const { rows } = await db.query<DonationRow>(
    `SELECT ${COLUMNS} FROM donations
     WHERE id = ANY(ARRAY(
       SELECT id FROM donations WHERE checkout_session_id = ANY($1::text[])
       UNION ALL SELECT id FROM donations WHERE invoice_id = ANY($1::text[])
       UNION ALL SELECT id FROM donations WHERE payment_intent_id = ANY($1::text[])
       UNION ALL SELECT id FROM donations WHERE charge_id = ANY($1::text[])))
     ORDER BY id FOR UPDATE`,
    [ids],
  );
  return rows;
}

export async function findDonationById(db: Queryable, id: string): Promise<DonationRow | null> {
  const { rows } = await db.query<DonationRow>(`SELECT ${COLUMNS} FROM donations WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Locks the donation row for the rest of the transaction: every change to its money goes through here. */
export async function lockDonation(db: Queryable, id: string): Promise<DonationRow> {
  const { rows } = await db.query<DonationRow>(`SELECT ${COLUMNS} FROM donations WHERE id = $1 FOR UPDATE`, [id]);
  if (!rows[0]) throw new Error(`donation ${id} not found`);
  return rows[0];
}

export interface DonationListFilter {
  campaignId?: number;
  month?: string;
  status?: DonationStatus;
  /** Matched, case-insensitively, anywhere in the donor's email or name. */
  q?: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Newest first, keyset-paginated on (created_at, id); `position` keeps created_at's microseconds. */
/**
 * A donation as the admin reads show it: its campaign's slug and the donor's language. The
 * language is kept on the checkout row, found through the donation's own session or, for a
 * monthly renewal, its subscription's (as the receipt mail finds it); offline and imported
 * donations have none. Read here rather than copied onto the ledger's rows.
 */
export type AdminDonationRow = DonationRow & { campaign_slug: string; locale: Language | null };

const adminRead = (moreColumns = '') => `SELECT ${columns('d')}, c.slug AS campaign_slug, k.locale${moreColumns}
     FROM donations d JOIN campaigns c ON c.id = d.campaign_id
     LEFT JOIN subscriptions s ON s.id = d.subscription_id
     LEFT JOIN checkouts k ON k.session_id = COALESCE(d.checkout_session_id, s.checkout_session_id)`;

export async function listDonations(
  db: Queryable,
  filter: DonationListFilter,
  page: { limit: number; after?: { position: string; id: string } },
): Promise<(AdminDonationRow & { position: string })[]> {
  const { rows } = await db.query<AdminDonationRow & { position: string }>(
    `${adminRead(', d.created_at::text AS position')}
     WHERE ($1::bigint IS NULL OR d.campaign_id = $1)
       AND ($2::text IS NULL OR d.period_key = $2)
       AND ($3::text IS NULL OR d.status = $3)
       AND ($4::text IS NULL OR d.donor_email ILIKE $4 OR d.donor_name ILIKE $4)
       AND ($5::timestamptz IS NULL OR (d.created_at, d.id) < ($5::timestamptz, $6::text))
     ORDER BY d.created_at DESC, d.id DESC
     LIMIT $7`,
    [
      filter.campaignId ?? null, filter.month ?? null, filter.status ?? null,
      filter.q ? `%${escapeLike(filter.q)}%` : null, page.after?.position ?? null, page.after?.id ?? null, page.limit,
    ],
  );
  return rows;
}

export async function findDonationWithCampaign(db: Queryable, id: string): Promise<AdminDonationRow | null> {
  const { rows } = await db.query<AdminDonationRow>(
    `${adminRead()} WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Records offline donations as succeeded, in one statement, skipping those whose reference the
 * campaign already has. Returns the rows inserted (the others were there before).
 */
export async function insertOfflineDonations(
  db: Queryable,
  donations: readonly OfflineDonationPlan['donation'][],
): Promise<DonationRow[]> {
  if (!donations.length) return [];
  const column = <K extends keyof OfflineDonationPlan['donation']>(key: K) => donations.map((donation) => donation[key]);
  const { rows } = await db.query<DonationRow>(
    `INSERT INTO donations (id, campaign_id, status, frequency, amount, currency, donor_email, donor_name,
       origin, offline_method, offline_reference, paid_at, period_key)
     SELECT id, campaign_id, 'succeeded', 'one_time', amount, currency, donor_email, donor_name,
       'offline', offline_method, offline_reference, paid_at, period_key
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::timestamptz[], $10::text[])
       AS incoming(id, campaign_id, amount, currency, donor_email, donor_name, offline_method, offline_reference, paid_at, period_key)
     ON CONFLICT (campaign_id, offline_reference) WHERE offline_reference IS NOT NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      donations.map(() => newDonationId()), column('campaign_id'), column('amount'), column('currency'),
      column('donor_email'), column('donor_name'), column('offline_method'), column('offline_reference'),
      column('paid_at'), column('period_key'),
    ],
  );
  return rows;
}

/** Which of these references a campaign already has offline donations for. */
export async function existingOfflineReferences(db: Queryable, campaignId: number, references: readonly string[]): Promise<Set<string>> {
  if (!references.length) return new Set();
  const { rows } = await db.query<{ offline_reference: string }>(
    `SELECT offline_reference FROM donations WHERE campaign_id = $1 AND offline_reference = ANY($2::text[])`,
    [campaignId, references],
  );
  return new Set(rows.map((row) => row.offline_reference));
}

/** Every donation given with this email (case-insensitive), oldest first, for an access request. */
export async function donationsOfDonor(db: Queryable, email: string): Promise<AdminDonationRow[]> {
  const { rows } = await db.query<AdminDonationRow>(
    `${adminRead()}
     WHERE lower(d.donor_email) = lower($1) ORDER BY d.created_at, d.id`,
    [email],
  );
  return rows;
}
