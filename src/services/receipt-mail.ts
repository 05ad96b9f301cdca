import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { ReceiptSettings } from '../db/campaigns.js';
import type { Queryable } from '../db/pool.js';
import type { DonationForMail, ReceiptForMail, ReceiptRow } from '../db/receipts.js';
import { findCampaignById } from '../db/campaigns.js';
import { findSubscription } from '../db/subscriptions.js';
import { languageOfDonor, languageOfSubscription } from '../db/checkouts.js';
import { manageLink, type DonorLinkConfig } from './donor-links.js';
import {
  renderFailedRenewal,
  renderManageLink,
  renderReceipt,
  renderRefund,
  renderStatement,
  type Organisation,
  type RenderedMail,
} from '../domain/receipt-content.js';
import type { OutgoingMail } from '../integrations/mail.js';
import type { StatementSnapshot } from './statements.js';

type OrganisationConfig = Pick<
  Config,
  'RECEIPT_FROM' | 'RECEIPT_REPLY_TO' | 'ORG_NAME' | 'ORG_ADDRESS' | 'ORG_TAX_ID' | 'RECEIPT_TAX_SENTENCE'
>;
type MailConfig = OrganisationConfig & DonorLinkConfig;

/**
 * The same receipts row always gets the same Message-ID, so a mail sent twice (a worker died
 * between the SMTP answer and recording it) is recognisable as one message, and mailbox
 * providers that deduplicate on Message-ID show it once. The digest of the row's dedupe key and
 * creation time keeps ids unique across databases that reuse row ids (a reset dev database).
 */
export function receiptMessageId(receipt: Pick<ReceiptRow, 'id' | 'kind' | 'dedupe_key' | 'created_at'>, from: string): string {
  const digest = createHash('sha256')
    .update(`${receipt.dedupe_key}\n${receipt.created_at.toISOString()}`)
    .digest('hex')
    .slice(0, 16);
  return `<${receipt.kind}.${receipt.id}.${digest}@${domainOf(from)}>`;
}

function addressOf(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}

function domainOf(from: string): string {
  const domain = addressOf(from).split('@')[1]?.replace(/[^\w.-]/g, '');
  return domain || 'goalpost.invalid';
}

/** The organisation a campaign's mails speak for: the configured one, with the campaign's overrides. */
export function organisationFor(config: OrganisationConfig, overrides: ReceiptSettings = {}): Organisation {
  return {
    name: overrides.org_name || config.ORG_NAME,
    address: overrides.org_address || config.ORG_ADDRESS,
    taxId: overrides.org_tax_id || config.ORG_TAX_ID,
    taxSentence: overrides.tax_sentence || config.RECEIPT_TAX_SENTENCE,
  };
}

/**
 * Renders a receipts row into a mail ready to send. The donation it shows came with the row
 * (claimReceipt); only monthly donations' and donor mails read more (their manage link).
 */
export async function composeReceiptMail(db: Queryable, config: MailConfig, receipt: ReceiptForMail): Promise<OutgoingMail> {
  const contact = config.RECEIPT_REPLY_TO ?? addressOf(config.RECEIPT_FROM);
  const base = { to: receipt.to_email, messageId: receiptMessageId(receipt, config.RECEIPT_FROM) };
  if (receipt.kind === 'statement') {
    return { ...base, ...statementMail(config, receipt, contact) };
  }
  // Links are signed when the mail is composed, so a retried mail carries a link valid for the full time.
  if (receipt.kind === 'manage_link') {
    const language = await languageOfDonor(db, receipt.to_email);
    const manageUrl = await manageLink(db, config, receipt.to_email, { language });
    return {
      ...base,
      ...renderManageLink({
        organisation: organisationFor(config),
        email: receipt.to_email,
        manageUrl,
        validDays: config.DONOR_LINK_TTL_DAYS,
        contact,
        language: language ?? undefined,
      }),
    };
  }
  if (receipt.kind === 'payment_failed') return { ...base, ...(await failedRenewalMail(db, config, receipt, contact)) };
  const donation = donationOf(receipt);
  if (receipt.kind === 'refund') {
    const inReplyTo = receipt.in_reply_to;
    return { ...base, ...refundMail(config, receipt, donation, contact), ...(inReplyTo ? { inReplyTo } : {}) };
  }
  const manageUrl = donation.frequency === 'monthly' ? await manageLink(db, config, receipt.to_email, { language: donation.locale }) : null;
  return { ...base, ...receiptMail(config, receipt, donation, contact, manageUrl) };
}

async function failedRenewalMail(db: Queryable, config: MailConfig, receipt: ReceiptRow, contact: string): Promise<RenderedMail> {
  const subscriptionId = String(receipt.payload.subscription_id ?? '');
  const subscription = await findSubscription(db, subscriptionId);
  const campaign = subscription ? await findCampaignById(db, subscription.campaign_id) : null;
  if (!subscription || !campaign) throw new Error(`receipt ${receipt.id}: subscription ${subscriptionId} not found`);
  const language = await languageOfSubscription(db, subscriptionId);
  return renderFailedRenewal({
    language: language ?? undefined,
    organisation: organisationFor(config, campaign.receipt_settings),
    donor: { name: subscription.donor_name, email: receipt.to_email },
    campaignName: campaign.name,
    amount: { amount: Number(receipt.payload.amount), currency: String(receipt.payload.currency) },
    manageUrl: await manageLink(db, config, receipt.to_email, { language }),
    contact,
  });
}

function donationOf(receipt: ReceiptForMail): DonationForMail & { receipt_number: string } {
  const { donation } = receipt;
  if (!donation) throw new Error(`receipt ${receipt.id}: donation ${receipt.donation_id} not found`);
  if (!donation.receipt_number) throw new Error(`receipt ${receipt.id}: donation ${donation.id} has no receipt number`);
  return { ...donation, receipt_number: donation.receipt_number };
}

function receiptMail(
  config: MailConfig,
  receipt: ReceiptRow,
  donation: DonationForMail & { receipt_number: string },
  contact: string,
  manageUrl: string | null,
): RenderedMail {
  return renderReceipt({
    language: donation.locale ?? undefined,
    organisation: organisationFor(config, donation.receipt_settings),
    receiptNumber: donation.receipt_number,
    donor: { name: donation.donor_name, email: receipt.to_email, anonymous: donation.anonymous },
    campaignName: donation.campaign_name,
    frequency: donation.frequency,
    donation: { amount: donation.amount, currency: donation.currency },
    coveredFee: donation.fee_amount,
    paidAt: donation.paid_at ?? donation.created_at,
    timezone: donation.timezone,
    message: donation.message,
    contact,
    copy: receipt.kind === 'copy' ? { issuedAt: receipt.created_at } : null,
    manageUrl,
  });
}

function refundMail(
  config: MailConfig,
  receipt: ReceiptRow,
  donation: DonationForMail & { receipt_number: string },
  contact: string,
): RenderedMail {
  const refunded = Number(receipt.payload.amount);
  if (!Number.isInteger(refunded)) throw new Error(`receipt ${receipt.id}: refund payload without an amount`);
  return renderRefund({
    language: donation.locale ?? undefined,
    organisation: organisationFor(config, donation.receipt_settings),
    receiptNumber: donation.receipt_number,
    donor: { name: donation.donor_name, email: receipt.to_email },
    campaignName: donation.campaign_name,
    refunded: { amount: refunded, currency: donation.currency },
    charged: { amount: donation.amount + donation.fee_amount, currency: donation.currency },
    paidAt: donation.paid_at ?? donation.created_at,
    // Queued in the refund's own transaction, so the row's creation is when the refund was booked.
    refundedAt: receipt.created_at,
    timezone: donation.timezone,
    contact,
  });
}

/** Statements span campaigns, so they speak for the configured organisation, without overrides. */
function statementMail(config: MailConfig, receipt: ReceiptRow, contact: string): RenderedMail {
  const snapshot = receipt.payload as unknown as StatementSnapshot;
  const line = (entry: StatementSnapshot['donations'][number]) => ({
    at: new Date(entry.at),
    timezone: entry.timezone,
    receiptNumber: entry.receipt_number,
    campaignName: entry.campaign,
    frequency: entry.frequency,
    amount: { amount: entry.amount, currency: entry.currency },
  });
  return renderStatement({
    organisation: organisationFor(config),
    year: snapshot.year,
    donor: { name: snapshot.donor_name, email: receipt.to_email },
    donations: snapshot.donations.map(line),
    refunds: snapshot.refunds.map(line),
    contact,
  });
}
