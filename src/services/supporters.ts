import { setMessageHidden } from '../db/supporters.js';
import type { Queryable } from '../db/pool.js';
import { notFound } from '../errors.js';
import { requireDonation, type DonationWithCampaign } from './donations.js';

/** The supporters wall is a plain read of paid, public donations. */
export { listSupporters } from '../db/supporters.js';

/** PATCH /v1/admin/donations/:id: hides (or shows again) a donor's message on the wall; the message itself is kept. */
export async function hideMessage(db: Queryable, donationId: string, hidden: boolean): Promise<DonationWithCampaign> {
  if (!(await setMessageHidden(db, donationId, hidden))) throw notFound(`Donation "${donationId}"`);
  return requireDonation(db, donationId);
}
