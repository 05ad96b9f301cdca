import { findDonationWithCampaign, type AdminDonationRow } from '../db/donations.js';
import { ledgerEntriesOf, type LedgerEntryRow } from '../db/ledger.js';
import { listReceipts, type ReceiptListRow } from '../db/receipts.js';
import type { Queryable } from '../db/pool.js';
import { notFound } from '../errors.js';

/** The admin list of donations is a plain keyset read: its filters are resolved by the route's helpers. */
export { listDonations } from '../db/donations.js';

export type DonationWithCampaign = AdminDonationRow;

/** The donation a request names; an unknown id is the typed not_found error (404). */
export async function requireDonation(db: Queryable, id: string): Promise<DonationWithCampaign> {
  const donation = await findDonationWithCampaign(db, id);
  if (!donation) throw notFound(`Donation "${id}"`);
  return donation;
}

/** GET /v1/admin/donations/:id: the donation, every ledger entry it made, and its receipt if one was queued. */
export async function donationDetail(
  db: Queryable,
  id: string,
): Promise<{ donation: DonationWithCampaign; ledgerEntries: LedgerEntryRow[]; receipt: ReceiptListRow | undefined }> {
  const donation = await requireDonation(db, id);
  const [ledgerEntries, [receipt]] = await Promise.all([
    ledgerEntriesOf(db, donation.id),
    listReceipts(db, { donationId: donation.id, kind: 'receipt', limit: 1 }),
  ]);
  return { donation, ledgerEntries, receipt };
}
