import { findCampaignById, findCampaignBySlug, type CampaignRow } from '../db/campaigns.js';
import {
  findDonationById,
  findDonationWithCampaign,
  insertOfflineDonations,
  lockDonation,
  type DonationRow,
} from '../db/donations.js';
import type { Queryable } from '../db/pool.js';
import {
  planOfflineDonation,
  planOfflineVoid,
  type OfflineDonationInput,
  type OfflineDonationPlan,
} from '../domain/offline-donation.js';
import { yearOf } from '../domain/period.js';
import { AppError, conflict, notFound, validationFailed } from '../errors.js';
import { donationSucceededData, donationVoidedData } from './consumer-payloads.js';
import { commitLedgerChange, type LedgerCommitDeps } from './ledger/admin-commit.js';
import { EventEffects } from './ledger/effects.js';
import { donorKeyOf } from './ledger/settle.js';
import { donationReceiptMail } from './receipts.js';

/**
 * Records what planOfflineDonation decided, in the caller's transaction, for one donation or an
 * import's chunk: the donations are inserted at once (in one statement; those whose reference
 * the campaign already has are skipped), and the rest is returned as effects for the ledger's
 * apply step: their 'offline' ledger entries, their months and the all-time row (tiers and goal
 * crossed on the way, as for any donation), donation.succeeded when the plan announces it, and
 * a receipt number and mail only when asked. Returns the donations written, by reference.
 */
export async function writeOfflineDonations(
  db: Queryable,
  campaign: CampaignRow,
  plans: readonly OfflineDonationPlan[],
): Promise<{ result: Map<string, DonationRow>; effects: EventEffects }> {
  const inserted = await insertOfflineDonations(db, plans.map((plan) => plan.donation));
  const written = new Map(inserted.map((donation) => [donation.offline_reference!, donation]));
  const planOf = new Map(plans.map((plan) => [plan.donation.offline_reference, plan]));
  const fx = new EventEffects();
  for (const donation of inserted) {
    const plan = planOf.get(donation.offline_reference!)!;
    fx.ledger.push({
      donation_id: donation.id,
      campaign_id: campaign.id,
      period_key: donation.period_key!,
      kind: plan.entry.kind,
      amount: plan.entry.amount,
      currency: campaign.currency,
      source_id: plan.entry.sourceId(donation.id),
      stripe_event_id: null,
    });
    fx.periods.push({
      campaign,
      periodKey: donation.period_key!,
      change: plan.change,
      donorKey: donorKeyOf(donation),
      at: donation.paid_at!,
    });
    if (plan.sendReceipt) {
      fx.receiptNumbers.push({ donationId: donation.id, year: yearOf(donation.paid_at!, campaign.timezone) });
      const mail = donationReceiptMail(donation);
      if (mail) fx.mails.push(mail);
    }
    if (plan.announce) {
      fx.consumerEvents.push({
        type: 'donation.succeeded',
        data: donationSucceededData(donation, campaign),
        dedupeKey: `donation.succeeded:${donation.id}`,
        at: donation.paid_at!,
      });
    }
  }
  return { result: written, effects: fx };
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
    const fx = new EventEffects();
    fx.donations.push({ update: donation.id, fields: { voided_at: now } });
    fx.ledger.push({
      donation_id: donation.id,
      campaign_id: campaign.id,
      period_key: donation.period_key!,
      kind: decided.plan.entry.kind,
      amount: decided.plan.entry.amount,
      currency: donation.currency,
      source_id: decided.plan.entry.sourceId,
      stripe_event_id: null,
    });
    fx.periods.push({ campaign, periodKey: donation.period_key!, change: decided.plan.change, donorKey: donorKeyOf(donation), at: now });
    fx.consumerEvents.push({
      type: 'donation.voided',
      data: donationVoidedData({ ...donation, voided_at: now }, campaign),
      dedupeKey: `donation.voided:${donation.id}`,
      at: now,
    });
    return { result: undefined, effects: fx };
  });
  return (await findDonationWithCampaign(deps.db, id))!;
}
