import { randomBytes } from 'node:crypto';
import { donationsOfDonor } from '../db/donations.js';
import {
  donorMails,
  donorSubscriptions,
  eraseCheckouts,
  eraseDonations,
  eraseReceipts,
  eraseSubscriptions,
  jsonMentioning,
  renameDonorInPeriods,
  replacePayload,
} from '../db/donor-data.js';
import { withTransaction, type Db, type Queryable } from '../db/pool.js';
import { scrubber } from '../domain/erasure.js';

/** Where erased receipts point: an address that can never receive mail (RFC 2606 .invalid). */
export const ERASED_ADDRESS = 'erased@erased.invalid';

export interface ErasureCounts {
  donations: number;
  checkouts: number;
  subscriptions: number;
  receipts: number;
  stripe_events: number;
  webhook_events: number;
}

async function scrubStored(db: Queryable, table: 'stripe_events' | 'webhook_events', donor: { email: string; texts: string[] }): Promise<number> {
  const scrub = scrubber(donor);
  let changed = 0;
  for (const row of await jsonMentioning(db, table, [donor.email, ...donor.texts])) {
    const result = scrub(row.payload);
    if (!result.changed) continue;
    await replacePayload(db, table, row.id, result.value);
    changed += 1;
  }
  return changed;
}

/**
 * POST /v1/admin/donors/erase: removes a donor's email, name and messages from donations,
 * checkouts, subscriptions, receipts (a mail not sent yet never is), Stripe's stored events and
 * the consumer events we keep, in one transaction. Amounts, receipt numbers, the ledger and
 * every total stay; the donor keeps counting as one donor under a random key.
 */
export async function eraseDonor(db: Db, email: string): Promise<ErasureCounts> {
  return withTransaction(db, async (client) => {
    const donorKey = `erased:${randomBytes(12).toString('hex')}`;
    const donations = await eraseDonations(client, email, donorKey);
    await renameDonorInPeriods(client, email, donorKey);
    const checkouts = await eraseCheckouts(client, email, donations.sessionIds);
    const subscriptions = await eraseSubscriptions(client, email);
    const receipts = await eraseReceipts(client, email, ERASED_ADDRESS);
    const donor = { email, texts: [...new Set([...donations.texts, ...checkouts.texts, ...subscriptions.texts])] };
    return {
      donations: donations.count,
      checkouts: checkouts.count,
      subscriptions: subscriptions.count,
      receipts,
      stripe_events: await scrubStored(client, 'stripe_events', donor),
      webhook_events: await scrubStored(client, 'webhook_events', donor),
    };
  });
}

/** GET /v1/admin/donors/export: everything kept about a donor, for an access request (donation rows; the route presents them). */
export async function exportDonor(db: Db, email: string) {
  const [donations, subscriptions, mails] = await Promise.all([donationsOfDonor(db, email), donorSubscriptions(db, email), donorMails(db, email)]);
  return {
    email,
    exported_at: new Date().toISOString(),
    donations,
    subscriptions,
    mails,
  };
}
