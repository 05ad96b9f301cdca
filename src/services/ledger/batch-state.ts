import { findCampaignById, findCampaignsByIds, type CampaignRow } from '../../db/campaigns.js';
import { findCheckout, findCheckouts, type CheckoutWithCampaign } from '../../db/checkouts.js';
import {
  insertDonations,
  lockDonationBy,
  lockDonationsByStripeIds,
  updateDonations,
  type DonationFields,
  type DonationInsert,
  type DonationKey,
  type DonationRow,
} from '../../db/donations.js';
import { appendLedgerEntries, ledgerEntriesOf, ledgerEntriesOfDonations, type LedgerEntryRow, type NewLedgerEntry } from '../../db/ledger.js';
import type { Queryable } from '../../db/pool.js';
import type { EventEffects } from './effects.js';
import { SubscriptionDraft } from './subscription-draft.js';

/** What settling needs of a donation's entries. */
export type BookedEntry = Pick<LedgerEntryRow, 'kind' | 'amount' | 'source_id'>;

/** What a handler reads of the ledger to decide: each as the events applied before it left it. */
export interface LedgerReads {
  /** The donation a Stripe id belongs to, locked for the rest of the transaction (as db/donations.ts lockDonationBy finds it). */
  donation(key: DonationKey): Promise<DonationRow | null>;
  /** What the donor asked for at checkout. */
  checkout(sessionId: string): Promise<CheckoutWithCampaign | null>;
  /** A donation's ledger entries. */
  ledgerEntries(donationId: string): Promise<BookedEntry[]>;
  /** A monthly donation with its unpaid failures (rows read from the database: subscriptions are written at once). */
  subscription(id: string): Promise<SubscriptionDraft | null>;
  /** A campaign, read once per batch. */
  campaign(id: number): Promise<CampaignRow | null>;
}

/** The ledger as a batch reads it, and the donation and ledger writes it has taken but not written yet. */
export interface LedgerState extends LedgerReads {
  /** Takes one event's donation writes and ledger entries: later reads see them. */
  record(fx: EventEffects): void;
  /** Writes what was recorded since the last flush: a few statements however many events. */
  flush(): Promise<void>;
}

/**
 * Donation and ledger writes waiting for their flush: one insert per new donation in its final
 * state (a donation inserted and then updated is inserted once), the final value of each changed
 * column of the others, and the entries in the order they were booked.
 */
class PendingWrites {
  private inserts = new Map<string, DonationInsert>();
  private updates = new Map<string, DonationFields>();
  private entries: NewLedgerEntry[] = [];

  add(fx: EventEffects): void {
    for (const write of fx.donations) {
      if ('insert' in write) {
        this.inserts.set(write.insert.id, write.insert);
        continue;
      }
      const inserted = this.inserts.get(write.update);
      if (inserted) this.inserts.set(write.update, { ...inserted, ...write.fields });
      else this.updates.set(write.update, { ...this.updates.get(write.update), ...write.fields });
    }
    this.entries.push(...fx.ledger);
  }

  entriesOf(donationId: string): NewLedgerEntry[] {
    return this.entries.filter((entry) => entry.donation_id === donationId);
  }

  /** Donations before their entries (which reference them). Taken off first: a failed flush leaves nothing to write twice. */
  async write(db: Queryable): Promise<void> {
    const { inserts, updates, entries } = this;
    this.inserts = new Map();
    this.updates = new Map();
    this.entries = [];
    await insertDonations(db, [...inserts.values()]);
    await updateDonations(db, [...updates].map(([id, fields]) => ({ id, fields })));
    await appendLedgerEntries(db, entries);
  }
}

/**
 * Reads straight from the database, one statement per read: for an admin's money change, and
 * for a batch applied one event at a time (each event's writes are flushed before the next reads).
 */
export class DirectLedgerState implements LedgerState {
  private readonly pending = new PendingWrites();
  private readonly campaigns = new CampaignCache();

  constructor(private readonly db: Queryable) {}

  donation(key: DonationKey) {
    return lockDonationBy(this.db, key);
  }

  checkout(sessionId: string) {
    return findCheckout(this.db, sessionId);
  }

  ledgerEntries(donationId: string): Promise<BookedEntry[]> {
    return ledgerEntriesOf(this.db, donationId);
  }

  subscription(id: string) {
    return SubscriptionDraft.read(this.db, id);
  }

  campaign(id: number) {
    return this.campaigns.get(this.db, id);
  }

  record(fx: EventEffects): void {
    this.pending.add(fx);
  }

  flush(): Promise<void> {
    return this.pending.write(this.db);
  }
}

/** Campaigns by id, a miss included: what is not in it yet is read alone. */
class CampaignCache {
  private readonly rows = new Map<number, CampaignRow | null>();

  /** Reads the campaigns of these ids not read yet, in one statement. */
  async load(db: Queryable, ids: Iterable<number>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.rows.has(id));
    if (!missing.length) return;
    for (const id of missing) this.rows.set(id, null);
    for (const row of await findCampaignsByIds(db, missing)) this.rows.set(row.id, row);
  }

  async get(db: Queryable, id: number): Promise<CampaignRow | null> {
    if (!this.rows.has(id)) this.rows.set(id, await findCampaignById(db, id));
    return this.rows.get(id)!;
  }
}

/** The Stripe ids a donation key looks up (none for a key without any). */
function idsOf(key: DonationKey): string[] {
  if ('checkoutSessionId' in key) return [key.checkoutSessionId];
  if ('invoiceId' in key) return [key.invoiceId];
  return [key.paymentIntentId, key.chargeId].filter((id): id is string => Boolean(id));
}

/** lockDonationBy's choice among rows: by session, by invoice, or by payment intent before charge. */
function matchOf(rows: Iterable<DonationRow>, key: DonationKey): DonationRow | null {
  const all = [...rows];
  const by = (column: 'checkout_session_id' | 'invoice_id' | 'payment_intent_id' | 'charge_id', id: string | null | undefined) =>
    id ? all.find((row) => row[column] === id) : undefined;
  if ('checkoutSessionId' in key) return by('checkout_session_id', key.checkoutSessionId) ?? null;
  if ('invoiceId' in key) return by('invoice_id', key.invoiceId) ?? null;
  return by('payment_intent_id', key.paymentIntentId) ?? by('charge_id', key.chargeId) ?? null;
}

/**
 * A batch's identity map of the ledger. `load` reads, for every Stripe id the batch's events
 * name, the donations holding it (locked, like lockDonationBy), the checkouts, the donations'
 * entries and the campaigns of those donations and checkouts, in four statements. A read by an
 * id loaded answers from memory, a miss included; a read by an id (or of a campaign) not loaded
 * loads it first (correct, one more round trip). `record` applies an event's writes to the rows
 * in memory, so the next event of the batch reads them, and keeps them for one `flush`.
 */
export class BatchLedgerState implements LedgerState {
  /** Donations as the batch has left them so far, by id. */
  private readonly donations = new Map<string, DonationRow>();
  /** Stripe ids every donation holding one of is in `donations`. */
  private readonly loaded = new Set<string>();
  private readonly checkouts = new Map<string, CheckoutWithCampaign | null>();
  /** The entries in the database of each donation in `donations` (none for one the batch inserts). */
  private readonly booked = new Map<string, BookedEntry[]>();
  private readonly pending = new PendingWrites();
  private readonly campaigns = new CampaignCache();

  constructor(private readonly db: Queryable) {}

  async load(ids: readonly (string | null | undefined)[]): Promise<void> {
    const missing = [...new Set(ids.filter((id): id is string => Boolean(id) && !this.loaded.has(id!)))];
    if (!missing.length) return;
    // A row read before keeps its version in memory: it holds this batch's changes.
    const fresh = (await lockDonationsByStripeIds(this.db, missing)).filter((row) => !this.donations.has(row.id));
    for (const row of fresh) {
      this.donations.set(row.id, row);
      this.booked.set(row.id, []);
    }
    for (const id of missing) {
      this.loaded.add(id);
      if (!this.checkouts.has(id)) this.checkouts.set(id, null);
    }
    const checkouts = await findCheckouts(this.db, missing);
    for (const checkout of checkouts) this.checkouts.set(checkout.session_id, checkout);
    for (const entry of await ledgerEntriesOfDonations(this.db, fresh.map((row) => row.id))) this.booked.get(entry.donation_id)!.push(entry);
    await this.campaigns.load(this.db, [...fresh, ...checkouts].map((row) => row.campaign_id));
  }

  async donation(key: DonationKey): Promise<DonationRow | null> {
    const ids = idsOf(key);
    if (!ids.length) return null;
    await this.load(ids);
    return matchOf(this.donations.values(), key);
  }

  /** A checkout not loaded is read alone: loading its session id would lock donations no event of the batch names. */
  async checkout(sessionId: string): Promise<CheckoutWithCampaign | null> {
    if (!this.checkouts.has(sessionId)) this.checkouts.set(sessionId, await findCheckout(this.db, sessionId));
    return this.checkouts.get(sessionId)!;
  }

  async ledgerEntries(donationId: string): Promise<BookedEntry[]> {
    let booked = this.booked.get(donationId);
    if (!booked) {
      booked = await ledgerEntriesOf(this.db, donationId);
      this.booked.set(donationId, booked);
    }
    return [...booked, ...this.pending.entriesOf(donationId)];
  }

  /** Its unpaid failures leave out invoices whose donation this batch counted (not written yet). */
  subscription(id: string) {
    return SubscriptionDraft.read(this.db, id, (invoiceId) =>
      [...this.donations.values()].some((row) => row.invoice_id === invoiceId && row.status === 'succeeded'),
    );
  }

  campaign(id: number) {
    return this.campaigns.get(this.db, id);
  }

  record(fx: EventEffects): void {
    for (const write of fx.donations) {
      if ('insert' in write) {
        const now = new Date();
        this.donations.set(write.insert.id, { ...write.insert, receipt_number: null, created_at: now, updated_at: now });
        this.booked.set(write.insert.id, []);
        continue;
      }
      const row = this.donations.get(write.update);
      if (row) this.donations.set(row.id, { ...row, ...write.fields });
    }
    this.pending.add(fx);
  }

  flush(): Promise<void> {
    return this.pending.write(this.db);
  }
}
