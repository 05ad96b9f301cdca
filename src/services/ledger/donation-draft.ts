import { CHANGEABLE_COLUMNS, newDonationId, type DonationFields, type DonationRow, type DonationWrite } from '../../db/donations.js';
import type { Attribution, DonationTerms } from '../../domain/donation.js';
import { nextDonationStatus, type DonationStatus } from '../../domain/ledger.js';

/** Stripe ids a donation learns over time: filled in once, never replaced. */
export type DonationLinks = Partial<Pick<DonationRow, 'payment_intent_id' | 'charge_id' | 'checkout_session_id'>>;

export interface NewDonationInput extends DonationTerms {
  campaign_id: number;
  status: DonationStatus;
  checkout_session_id: string | null;
  subscription_id: string | null;
  payment_intent_id: string | null;
  invoice_id: string | null;
  paid: { at: Date; periodKey: string } | null;
  /** What brought the donor (the checkout's source and utm_* fields), when known. */
  attribution?: Attribution;
}

/**
 * A donation as an event leaves it, in memory: the row read (and locked) before, or none for a
 * new one. Handlers and the ledger rules change the draft; `write()` is the one insert or
 * update the apply step runs for it.
 */
export class DonationDraft {
  private constructor(
    private readonly before: DonationRow | null,
    public row: DonationRow,
  ) {}

  static of(row: DonationRow): DonationDraft {
    return new DonationDraft(row, row);
  }

  static create(input: NewDonationInput): DonationDraft {
    const { paid, attribution, ...columns } = input;
    const now = new Date();
    return new DonationDraft(null, {
      ...columns,
      id: newDonationId(),
      origin: 'stripe',
      offline_method: null,
      offline_reference: null,
      voided_at: null,
      message_hidden: false,
      erased_at: null,
      erased_donor_key: null,
      source: attribution?.source ?? null,
      utm_source: attribution?.utm_source ?? null,
      utm_medium: attribution?.utm_medium ?? null,
      utm_campaign: attribution?.utm_campaign ?? null,
      refunds: {},
      charge_id: null,
      paid_at: paid?.at ?? null,
      period_key: paid?.periodKey ?? null,
      refunded_amount: 0,
      disputed_amount: 0,
      dispute_status: null,
      refunded_gross: 0,
      dispute_id: null,
      dispute_amount: 0,
      receipt_number: null,
      created_at: now,
      updated_at: now,
    });
  }

  get isNew(): boolean {
    return this.before === null;
  }

  set(fields: DonationFields): this {
    this.row = { ...this.row, ...fields };
    return this;
  }

  link(links: DonationLinks): this {
    for (const [column, value] of Object.entries(links) as [keyof DonationLinks, string | null | undefined][]) {
      if (value && !this.row[column]) this.row = { ...this.row, [column]: value };
    }
    return this;
  }

  /**
   * Moves the status towards `incoming` as far as the rules allow (domain/ledger.ts). The first
   * time it succeeds it gets its payment time and month, and `amounts` when given (an invoice
   * says what was actually paid); later events never move it to another month.
   */
  advance(incoming: DonationStatus, paid: { at: Date; periodKey: string }, amounts?: { amount: number; fee: number }): this {
    const status = nextDonationStatus(this.row.status, incoming);
    if (status === this.row.status) return this;
    const succeeding = status === 'succeeded';
    return this.set({
      status,
      ...(succeeding && { paid_at: paid.at, period_key: paid.periodKey }),
      ...(succeeding && amounts && { amount: amounts.amount, fee_amount: amounts.fee }),
    });
  }

  /** The insert or update this draft needs, or null when nothing changed. */
  write(): DonationWrite | null {
    if (!this.before) {
      const { receipt_number: _number, created_at: _created, updated_at: _updated, ...insert } = this.row;
      return { insert };
    }
    const fields: Record<string, unknown> = {};
    for (const column of CHANGEABLE_COLUMNS) {
      if (!sameValue(this.row[column], this.before[column])) fields[column] = this.row[column];
    }
    return Object.keys(fields).length ? { update: this.row.id, fields: fields as DonationFields } : null;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
