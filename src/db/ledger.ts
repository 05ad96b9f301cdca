import type { Queryable } from './pool.js';
import { NO_ENTRIES, type KindTotals, type LedgerKind } from '../domain/ledger.js';
import type { OfflineLedgerKind } from '../domain/offline-donation.js';

export interface LedgerEntryRow {
  id: number;
  donation_id: string;
  campaign_id: number;
  period_key: string;
  kind: LedgerKind | OfflineLedgerKind;
  amount: number;
  currency: string;
  source_id: string;
  stripe_event_id: string | null;
  created_at: Date;
}

export type NewLedgerEntry = Omit<LedgerEntryRow, 'id' | 'created_at'>;

export async function ledgerEntriesOf(db: Queryable, donationId: string): Promise<LedgerEntryRow[]> {
  return ledgerEntriesOfDonations(db, [donationId]);
}

/** The entries of many donations in one statement, each donation's in the order they were booked. */
export async function ledgerEntriesOfDonations(db: Queryable, donationIds: readonly string[]): Promise<LedgerEntryRow[]> {
  if (!donationIds.length) return [];
  // Unnamed, planned for the ids at hand: see Queryable in pool.ts.
  const { rows } = await db.query<LedgerEntryRow>(
    `SELECT id, donation_id, campaign_id, period_key, kind, amount, currency, source_id, stripe_event_id, created_at
     FROM ledger_entries WHERE donation_id = ANY($1::text[]) ORDER BY donation_id, id`,
    [donationIds],
  );
  return rows;
}

/** Stripe money's kinds; offline entries (never settled from Stripe facts) are not among them. */
export function totalsByKind(entries: readonly Pick<LedgerEntryRow, 'kind' | 'amount'>[]): KindTotals {
  const totals = { ...NO_ENTRIES };
  for (const entry of entries) if (entry.kind in totals) totals[entry.kind as LedgerKind] += entry.amount;
  return totals;
}

/**
 * Appends entries in one statement. The caller holds the donation's row lock and derived the
 * source ids from what the ledger already holds, so a clash means a bug: it throws rather than
 * losing money.
 */
export async function appendLedgerEntries(db: Queryable, entries: readonly NewLedgerEntry[]): Promise<void> {
  if (!entries.length) return;
  const column = <K extends keyof NewLedgerEntry>(key: K) => entries.map((entry) => entry[key]);
  await db.query({
    name: 'append-ledger-entries',
    text: `INSERT INTO ledger_entries (donation_id, campaign_id, period_key, kind, amount, currency, source_id, stripe_event_id)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[])`,
    values: [
      column('donation_id'), column('campaign_id'), column('period_key'), column('kind'), column('amount'),
      column('currency'), column('source_id'), column('stripe_event_id'),
    ],
  });
}
