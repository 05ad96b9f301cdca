/** The admin API's donation reads, as the database returns them. */
export { findDonationWithCampaign, listDonations } from '../db/donations.js';
export { ledgerEntriesOf } from '../db/ledger.js';
