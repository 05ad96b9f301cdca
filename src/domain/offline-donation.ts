import type { FieldError } from '../errors.js';
import { periodKeyOf, startOfLocalDay } from './period.js';

/**
 * Money received outside Stripe (a cheque, a bank transfer, cash), recorded by an admin or
 * imported from another tool. These are the decisions about it, as pure functions: what a
 * recorded donation is, which ledger entry it makes and how it changes its month; the services
 * only write what these return (services/offline-donations.ts).
 *
 * Decisions (documented for admins in the README):
 * - It counts in the month it was received, read in the campaign's timezone; a date without a
 *   time ("2024-11-03") is that day in the campaign's timezone. A date in the future is refused.
 * - It has ledger kinds of its own ('offline', and 'offline_void' when voided), so Stripe money
 *   and offline money can always be told apart and summed separately.
 * - Its reference (cheque number, transfer reference, the other tool's id) is unique per
 *   campaign: recording or importing the same reference again never counts it twice.
 * - Imported rows are history (often thousands): they count and reach tiers like any donation,
 *   but send no receipt and no donation.succeeded; tier.reached/goal.reached fire once as usual.
 * - Voiding never deletes: it appends an entry of the opposite amount and takes the donation out
 *   of its month's counts, like a full refund.
 */
export const OFFLINE_METHODS = ['check', 'bank_transfer', 'cash', 'other'] as const;
export type OfflineMethod = (typeof OFFLINE_METHODS)[number];
export type OfflineLedgerKind = 'offline' | 'offline_void';

export interface OfflineDonationInput {
  amount: number;
  /** When given, it must be the campaign's (an import names it on every row). */
  currency?: string;
  /** An ISO 8601 date-time with an offset or Z, or a calendar date YYYY-MM-DD. */
  received_at: string;
  method: OfflineMethod;
  reference: string;
  donor?: { name?: string | null; email?: string | null } | null;
  /** Number the donation and mail the donor a receipt (only when asked). */
  send_receipt?: boolean;
}

export interface OfflineCampaign {
  id: number;
  currency: string;
  timezone: string;
}

/** Everything the write step needs, decided up front. */
export interface OfflineDonationPlan {
  donation: {
    campaign_id: number;
    amount: number;
    currency: string;
    donor_email: string | null;
    donor_name: string | null;
    offline_method: OfflineMethod;
    offline_reference: string;
    paid_at: Date;
    period_key: string;
  };
  /** The entry, named from the donation id once it has one. */
  entry: { kind: 'offline'; amount: number; sourceId: (donationId: string) => string };
  /** raised +amount and one more counted donation in its month (and in the all-time row). */
  change: { raised: number; refunded: 0; disputed: 0; donations: 1 };
  sendReceipt: boolean;
  /** donation.succeeded for consumers: yes when an admin records it, no for imported history. */
  announce: boolean;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** When the money arrived, or why the value is not a date we can place in a month. */
export function receivedInstant(value: string, timeZone: string, now: Date): { at: Date } | { problem: string } {
  const at = ISO_DATE_TIME.test(value) ? new Date(value) : startOfLocalDay(value, timeZone);
  if (!at || Number.isNaN(at.getTime())) {
    return { problem: 'must be a date (YYYY-MM-DD, in the campaign timezone) or an ISO 8601 date-time with an offset' };
  }
  if (at.getTime() > now.getTime()) return { problem: 'must not be in the future' };
  return { at };
}

/** The donation and its ledger entry, or the field errors that make the input unusable. */
export function planOfflineDonation(
  campaign: OfflineCampaign,
  input: OfflineDonationInput,
  now: Date,
  origin: 'recorded' | 'imported' = 'recorded',
): { plan: OfflineDonationPlan } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.currency !== undefined && input.currency.toLowerCase() !== campaign.currency) {
    errors.push({ field: 'currency', message: `must be ${campaign.currency}, the campaign's currency` });
  }
  const received = receivedInstant(input.received_at, campaign.timezone, now);
  if ('problem' in received) errors.push({ field: 'received_at', message: received.problem });
  if (errors.length || 'problem' in received) return { errors };
  const email = input.donor?.email?.trim() || null;
  return {
    plan: {
      donation: {
        campaign_id: campaign.id,
        amount: input.amount,
        currency: campaign.currency,
        donor_email: email,
        donor_name: input.donor?.name?.trim() || null,
        offline_method: input.method,
        offline_reference: input.reference,
        paid_at: received.at,
        period_key: periodKeyOf(received.at, campaign.timezone),
      },
      entry: { kind: 'offline', amount: input.amount, sourceId: (donationId) => `offline:${donationId}` },
      change: { raised: input.amount, refunded: 0, disputed: 0, donations: 1 },
      sendReceipt: input.send_receipt === true,
      announce: origin === 'recorded',
    },
  };
}

export interface VoidableDonation {
  id: string;
  origin: 'stripe' | 'offline';
  status: string;
  amount: number;
  voided_at: Date | null;
}

export interface OfflineVoidPlan {
  entry: { kind: 'offline_void'; amount: number; sourceId: string };
  change: { raised: number; refunded: 0; disputed: 0; donations: -1 };
}

/** The reversing entry that voids an offline donation, or why it cannot be voided. */
export function planOfflineVoid(donation: VoidableDonation): { plan: OfflineVoidPlan } | { refusal: string } {
  if (donation.origin !== 'offline') {
    return { refusal: `Donation "${donation.id}" was paid through Stripe; refund it instead (POST /v1/admin/donations/${donation.id}/refund).` };
  }
  if (donation.voided_at) return { refusal: `Donation "${donation.id}" was already voided on ${donation.voided_at.toISOString()}.` };
  return {
    plan: {
      entry: { kind: 'offline_void', amount: 0 - donation.amount, sourceId: `offline_void:${donation.id}` },
      change: { raised: 0 - donation.amount, refunded: 0, disputed: 0, donations: -1 },
    },
  };
}
