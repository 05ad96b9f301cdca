import type { CampaignRow } from '../../db/campaigns.js';
import type { StripeIds } from '../../db/deferred-events.js';
import type { DonationRow, DonationWrite } from '../../db/donations.js';
import type { NewLedgerEntry } from '../../db/ledger.js';
import type { MailRequest } from '../../db/receipts.js';
import type { NewSubscription } from '../../db/subscriptions.js';
import type { EventFlag, Refusal } from '../../domain/foreign-money.js';
import type { FailedRenewal, SubscriptionSnapshot, SubscriptionStatus } from '../../domain/subscription.js';
import type { ConsumerEventRequest } from '../consumer-events.js';

/** How an event ended, with why it was ignored or deferred (for the admin list). */
export interface Outcome {
  status: 'processed' | 'ignored' | 'deferred';
  note: string | null;
  /** Set when an ignored event deserves an operator's look (domain/foreign-money.ts). */
  flag?: EventFlag;
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
 * One write to a monthly donation's row, as the statements of db/subscriptions.ts make it (each
 * keeps only what moves its facts forward, so writing it again changes nothing).
 */
export type SubscriptionWrite =
  | { insert: NewSubscription }
  | { snapshot: SubscriptionSnapshot; at: Date }
  | { cancel: Date }
  | { paid: Date }
  | { failure: FailedRenewal }
  | { status: SubscriptionStatus };

/** A monthly donation's writes, in order; its campaign's cached progress (pledged) is dropped after the commit. */
export interface SubscriptionChange {
  id: string;
  currency: string;
  campaignId: number;
  writes: SubscriptionWrite[];
}

/**
 * Everything applying one event changes — the unit of work. A handler reads what it needs and
 * fills one of these; it never writes. `LedgerBatch.applyEffects` (ledger/apply.ts) takes it:
 * the donations and entries into the batch's state (read by later events, written for the
 * whole batch at once), and folds the campaign-wide parts (period aggregates, receipt numbers)
 * once for the whole batch right before the commit.
 */
export class EventEffects {
  outcome: Outcome = { status: 'processed', note: null };
  /** The checkout row's new status (the donor's thank-you page reads it). */
  checkout: { sessionId: string; status: 'complete' | 'expired' } | null = null;
  /** Monthly donations' rows, written before the donations (a donation references its subscription). */
  readonly subscriptions: SubscriptionChange[] = [];
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

  /** Not counted because it is not ours, not in our mode or not in our currency: ignored and flagged. */
  refused(refusal: Refusal): this {
    this.outcome = { status: 'ignored', note: refusal.note, flag: refusal.flag };
    return this;
  }

  /** Nothing else of this event is written: it runs again once one of `until` arrives. */
  deferred(until: StripeIds, note: string): this {
    this.outcome = { status: 'deferred', note };
    this.deferredUntil = until;
    return this;
  }

  /** A donation's insert or update, when the draft changed it. */
  write(draft: { write(): DonationWrite | null }): this {
    const write = draft.write();
    if (write) this.donations.push(write);
    return this;
  }
}

export const ignored = (note: string) => new EventEffects().ignored(note);
export const processed = (note: string | null = null) => new EventEffects().processed(note);
export const refused = (refusal: Refusal) => new EventEffects().refused(refusal);
export const deferred = (until: StripeIds, note: string) => new EventEffects().deferred(until, note);
