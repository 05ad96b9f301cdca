import { findCampaignById, findCampaignBySlug, type CampaignRow } from '../db/campaigns.js';
import {
  findDonationById,
  findDonationWithCampaign,
  insertOfflineDonations,
  lockDonation,
  markDonationVoided,
  type DonationRow,
} from '../db/donations.js';
import { appendLedgerEntries, appendLedgerEntry } from '../db/ledger.js';
import type { Queryable } from '../db/pool.js';
import {
  planOfflineDonation,
  planOfflineVoid,
  type OfflineDonationInput,
  type OfflineDonationPlan,
} from '../domain/offline-donation.js';
import { yearOf } from '../domain/period.js';
import { AppError, conflict, notFound, validationFailed } from '../errors.js';
import { emitConsumerEvent } from './consumer-events.js';
import { donationSucceededData, donationVoidedData } from './consumer-payloads.js';
import { commitLedgerChange, type LedgerCommitDeps } from './ledger/admin-commit.js';
import { addDonationsToPeriods } from './ledger/period-batch.js';
import { applyToPeriods } from './ledger/period-totals.js';
import { donorKeyOf } from './ledger/settle.js';
import { queueLockedDonationReceipt } from './receipts.js';

/**
 * Writes what planOfflineDonation decided, in the caller's transaction, for one donation or an
 * import's chunk: the donations, their 'offline' ledger entries, their months and the all-time
 * row (tiers and goal crossed on the way, as for any donation), donation.succeeded when the plan
 * announces it, and a receipt number and mail only when asked. Donations whose reference the
 * campaign already has are skipped; returns those written, by reference.
 */
export async function writeOfflineDonations(
  db: Queryable,
  campaign: CampaignRow,
  plans: readonly OfflineDonationPlan[],
): Promise<Map<string, DonationRow>> {
  const inserted = await insertOfflineDonations(db, plans.map((plan) => plan.donation));
  const written = new Map(inserted.map((donation) => [donation.offline_reference!, donation]));
  const planOf = new Map(plans.map((plan) => [plan.donation.offline_reference, plan]));
  await appendLedgerEntries(
    db,
    inserted.map((donation) => {
      const { entry } = planOf.get(donation.offline_reference!)!;
      return {
        donation_id: donation.id,
        campaign_id: campaign.id,
        period_key: donation.period_key!,
        kind: entry.kind,
        amount: entry.amount,
        currency: campaign.currency,
        source_id: entry.sourceId(donation.id),
        stripe_event_id: null,
      };
    }),
  );
  await addDonationsToPeriods(
    db,
    campaign,
    inserted.map((donation) => ({ periodKey: donation.period_key!, amount: donation.amount, donorKey: donorKeyOf(donation), at: donation.paid_at! })),
  );
  for (const donation of inserted) {
    const plan = planOf.get(donation.offline_reference!)!;
    if (plan.sendReceipt) await queueLockedDonationReceipt(db, donation, yearOf(donation.paid_at!, campaign.timezone));
    if (plan.announce) {
      await emitConsumerEvent(db, {
        type: 'donation.succeeded',
        data: donationSucceededData(donation, campaign),
        dedupeKey: `donation.succeeded:${donation.id}`,
        at: donation.paid_at!,
      });
    }
  }
  return written;
}

async function campaignOf(db: Queryable, slug: string): Promise<CampaignRow> {
  const campaign = await findCampaignBySlug(db, slug);
  if (!campaign) throw notFound(`Campaign "${slug}"`);
  return campaign;
}

/** POST /v1/admin/campaigns/:slug/offline-donations. */
export async function recordOfflineDonation(deps: LedgerCommitDeps, slug: string, input: OfflineDonationInput, now = new Date()) {
  const campaign = await campaignOf(deps.db, slug);
  const decided = planOfflineDonation(campaign, input, now);
  if ('errors' in decided) throw validationFailed(decided.errors, 'The offline donation is not valid.');
  const written = await commitLedgerChange(deps, campaign.id, (client) => writeOfflineDonations(client, campaign, [decided.plan]));
  const donation = written.get(decided.plan.donation.offline_reference);
  if (!donation) {
    throw new AppError('conflict', `Campaign "${slug}" already has a donation with reference "${input.reference}".`, [
      { field: 'reference', message: 'already recorded for this campaign' },
    ]);
  }
  return (await findDonationWithCampaign(deps.db, donation.id))!;
}

/**
 * DELETE /v1/admin/donations/:id: voids an offline donation with a reversing entry (the
 * donation and its first entry stay). Stripe donations are refunded, never voided.
 */
export async function voidOfflineDonation(deps: LedgerCommitDeps, id: string, now = new Date()) {
  const found = await findDonationById(deps.db, id);
  if (!found) throw notFound(`Donation "${id}"`);
  const campaign = (await findCampaignById(deps.db, found.campaign_id))!;
  await commitLedgerChange(deps, campaign.id, async (client) => {
    const donation = await lockDonation(client, id);
    const decided = planOfflineVoid(donation);
    if ('refusal' in decided) throw conflict(decided.refusal);
    await appendLedgerEntry(client, {
      donation_id: donation.id,
      campaign_id: campaign.id,
      period_key: donation.period_key!,
      kind: decided.plan.entry.kind,
      amount: decided.plan.entry.amount,
      currency: donation.currency,
      source_id: decided.plan.entry.sourceId,
      stripe_event_id: null,
    });
    const voided = await markDonationVoided(client, donation.id, now);
    await applyToPeriods(client, campaign, donation.period_key!, decided.plan.change, donorKeyOf(donation), now);
    await emitConsumerEvent(client, {
      type: 'donation.voided',
      data: donationVoidedData(voided, campaign),
      dedupeKey: `donation.voided:${donation.id}`,
      at: now,
    });
  });
  return (await findDonationWithCampaign(deps.db, id))!;
}
