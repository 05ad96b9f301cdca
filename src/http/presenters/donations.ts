import type { AdminDonationRow } from '../../db/donations.js';
import type { LedgerEntryRow } from '../../db/ledger.js';
import type { ReceiptRow } from '../../db/receipts.js';
import { attributionOf, donationMoney, offlineOf } from '../../domain/donation.js';
import { refundedGrossOf } from '../../domain/refunds.js';

/** A donation as the admin API shows it: money, donor, the donor's language, month, and every Stripe id behind it. */
export function adminDonationResource(donation: AdminDonationRow) {
  return {
    id: donation.id,
    campaign: donation.campaign_slug,
    ...donationMoney(donation),
    charge_refunded_amount: refundedGrossOf(donation.refunded_gross, donation.refunds),
    dispute: donation.dispute_id
      ? { id: donation.dispute_id, status: donation.dispute_status, amount: donation.dispute_amount }
      : null,
    donor: { email: donation.donor_email, name: donation.donor_name, anonymous: donation.anonymous },
    message: donation.message,
    message_hidden: donation.message_hidden,
    origin: donation.origin,
    offline: offlineOf(donation),
    attribution: attributionOf(donation),
    locale: donation.locale,
    month: donation.period_key,
    paid_at: donation.paid_at?.toISOString() ?? null,
    receipt_number: donation.receipt_number,
    stripe: {
      checkout_session_id: donation.checkout_session_id,
      payment_intent_id: donation.payment_intent_id,
      charge_id: donation.charge_id,
      invoice_id: donation.invoice_id,
      subscription_id: donation.subscription_id,
    },
    created_at: donation.created_at.toISOString(),
    updated_at: donation.updated_at.toISOString(),
  };
}

export function ledgerEntryResource(entry: LedgerEntryRow) {
  return {
    id: entry.id,
    kind: entry.kind,
    amount: entry.amount,
    currency: entry.currency,
    month: entry.period_key,
    source_id: entry.source_id,
    stripe_event_id: entry.stripe_event_id,
    created_at: entry.created_at.toISOString(),
  };
}

export function receiptStatusResource(receipt: Pick<ReceiptRow, 'status' | 'to_email' | 'attempts' | 'sent_at' | 'last_error'> | undefined) {
  if (!receipt) return null;
  return {
    status: receipt.status,
    to_email: receipt.to_email,
    attempts: receipt.attempts,
    sent_at: receipt.sent_at?.toISOString() ?? null,
    last_error: receipt.last_error,
  };
}
