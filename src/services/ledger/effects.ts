import type { CampaignRow } from '../../db/campaigns.js';
import type { StripeIds } from '../../db/deferred-events.js';
import type { DonationRow, DonationWrite } from '../../db/donations.js';
import type { NewLedgerEntry } from '../../db/ledger.js';
import type { NewSubscription } from '../../db/subscriptions.js';
import type { ConsumerEventRequest } from '../consumer-events.js';
import type { MailRequest } from '../receipts.js';

/** How an event ended, with why it was ignored or deferred (for the admin list). */
export interface Outcome {
  status: 'processed' | 'ignored' | 'deferred';
  note: string | null;
}

/** One donation's money change in one period, as its ledger entries explain it. */
export interface MoneyChange {
  raised: number;
  refunded: number;
  disputed: number;
  /** +1 when the donation starts counting, -1 when it stops, else 0. */
  donations: -1 | 0 | 1;
}

/** A change to a campaign's period aggregates (its month and 'total'), folded once per batch. */
export interface PeriodChange {
  campaign: CampaignRow;
  periodKey: string;
  change: MoneyChange;
  /** Whose donation: donors_count counts lower-cased emails. */
  donorKey: string;
  /** When the change happened: a tier or goal it crosses is dated with it. */
  at: Date;
}

/**
 * Everything applying one Stripe event changes — the unit of work. A handler reads what it needs
 * and fills one of these; it never writes. `applyEffects` (ledger/apply.ts) writes it in a fixed
 * order inside the event's savepoint, and folds the campaign-wide parts (period aggregates,
 * receipt numbers) once for the whole batch right before the commit.
 */
export class EventEffects {
  outcome: Outcome = { status: 'processed', note: null };
  /** The checkout row's new status (the donor's thank-you page reads it). */
  checkout: { sessionId: string; status: 'complete' | 'expired' } | null = null;
  subscription: { upsert: NewSubscription } | { cancel: string; at: Date } | null = null;
  /** Donation inserts and updates, in the order they must be written (before their entries). */
  readonly donations: DonationWrite[] = [];
  readonly ledger: NewLedgerEntry[] = [];
  readonly periods: PeriodChange[] = [];
  /** Donations that need their receipt number (gap-free per year, numbered per batch). */
  readonly receiptNumbers: { donationId: string; year: number }[] = [];
  readonly mails: MailRequest[] = [];
  readonly consumerEvents: ConsumerEventRequest[] = [];
  /** Set when the event must wait: it is deferred until one of these ids arrives. */
  deferredUntil: StripeIds | null = null;
  /** Ids this event brought: events deferred until one of them run again after the commit. */
  readonly arrived: StripeIds[] = [];
  /** Donations that started counting (metrics, after the commit). */
  readonly succeeded: DonationRow[] = [];

  processed(note: string | null = null): this {
    this.outcome = { status: 'processed', note };
    return this;
  }

  ignored(note: string): this {
    this.outcome = { status: 'ignored', note };
    return this;
  }

  /** Nothing else of this event is written: it runs again once one of `until` arrives. */
  deferred(until: StripeIds, note: string): this {
    this.outcome = { status: 'deferred', note };
    this.deferredUntil = until;
    return this;
  }
}

export const ignored = (note: string) => new EventEffects().ignored(note);
export const processed = (note: string | null = null) => new EventEffects().processed(note);
