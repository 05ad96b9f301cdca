import { listDonations, type DonationListFilter, type DonationRow } from '../db/donations.js';
import type { Queryable } from '../db/pool.js';
import { csvRow, type CsvValue } from '../domain/csv.js';
import { refundedGrossOf } from '../domain/refunds.js';

/** Rows fetched per query: big enough to keep round trips few, small enough to bound memory. */
export const EXPORT_PAGE_SIZE = 500;

type ExportRow = DonationRow & { campaign_slug: string };

/** Amounts stay in minor units (as the API has them) next to their currency, so nothing is rounded. */
const COLUMNS: [header: string, value: (row: ExportRow) => CsvValue][] = [
  ['id', (row) => row.id],
  ['created_at', (row) => row.created_at.toISOString()],
  ['paid_at', (row) => row.paid_at?.toISOString()],
  ['month', (row) => row.period_key],
  ['campaign', (row) => row.campaign_slug],
  ['status', (row) => row.status],
  ['frequency', (row) => row.frequency],
  ['currency', (row) => row.currency],
  ['amount', (row) => row.amount],
  ['fee_amount', (row) => row.fee_amount],
  ['refunded_amount', (row) => row.refunded_amount],
  ['charge_refunded_amount', (row) => refundedGrossOf(row.refunded_gross, row.refunds)],
  ['disputed_amount', (row) => row.disputed_amount],
  ['dispute_status', (row) => row.dispute_status],
  ['donor_name', (row) => row.donor_name],
  ['donor_email', (row) => row.donor_email],
  ['anonymous', (row) => row.anonymous],
  ['message', (row) => row.message],
  ['receipt_number', (row) => row.receipt_number],
  ['checkout_session_id', (row) => row.checkout_session_id],
  ['subscription_id', (row) => row.subscription_id],
  ['payment_intent_id', (row) => row.payment_intent_id],
  ['charge_id', (row) => row.charge_id],
  ['invoice_id', (row) => row.invoice_id],
  // Added later: after the original columns, so readers that count columns keep working.
  ['origin', (row) => row.origin],
  ['offline_method', (row) => row.offline_method],
  ['offline_reference', (row) => row.offline_reference],
  ['voided_at', (row) => row.voided_at?.toISOString()],
  ['source', (row) => row.source],
  ['utm_source', (row) => row.utm_source],
  ['utm_medium', (row) => row.utm_medium],
  ['utm_campaign', (row) => row.utm_campaign],
];

/**
 * The donations export as CSV text, one chunk per page of a keyset scan: the header row first,
 * then the rows newest first. Nothing is held between pages, and the caller writes each chunk
 * (waiting for the socket to drain) before the next page is read, so memory stays flat
 * however many donations there are.
 */
export async function* donationsCsv(
  db: Queryable,
  filter: DonationListFilter,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<string> {
  yield csvRow(COLUMNS.map(([header]) => header));
  let after: { position: string; id: string } | undefined;
  for (;;) {
    const rows = await listDonations(db, filter, { limit: pageSize, after });
    if (rows.length) yield rows.map((row) => csvRow(COLUMNS.map(([, value]) => value(row)))).join('');
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = { position: last.position, id: last.id };
  }
}
