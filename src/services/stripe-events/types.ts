import type { CampaignRow } from '../../db/campaigns.js';
import type { WaitingFor } from '../../db/deferred-events.js';
import type { DbClient, LockedWork } from '../../db/pool.js';
import type { EventFlag, Refusal } from '../../domain/foreign-money.js';

/** One Stripe event as a handler sees it. */
export interface EventInput {
  id: string;
  type: string;
  /** When Stripe created the event: the payment time when the object carries none. */
  created: Date;
  /** Stripe's mode of the event: it counts only in a deployment of the same mode. */
  livemode: boolean;
  object: unknown;
}

export interface Outcome {
  status: 'processed' | 'ignored' | 'deferred';
  /** Why an event was ignored or is waiting, for the admin list. */
  note: string | null;
  /** Set when an ignored event deserves an operator's look (domain/foreign-money.ts). */
  flag?: EventFlag;
}

/** The transaction an event (and every waiting event it releases) is applied in. */
export interface LedgerTx {
  client: DbClient;
  /** Campaigns whose money changed: caches are dropped and listeners told after the commit. */
  touched: Set<number>;
  /** Waiting events released by this transaction: queued again after the commit. */
  released: { id: string; reruns: number }[];
  campaign(id: number): Promise<CampaignRow | null>;
  /** Queues work taking campaign-wide locks to run right before the commit (LockedWork). */
  locked: LockedWork;
  /** Parks an event until one of these ids lands (see `landed`). */
  defer(event: EventInput, waitingFor: WaitingFor, note: string): Promise<Outcome>;
  /** These ids now lead to a payment: events waiting for one of them run again (after the commit). */
  landed(ids: WaitingFor): Promise<void>;
}

export type EventHandler = (tx: LedgerTx, event: EventInput) => Promise<Outcome>;

export const processed = (note: string | null = null): Outcome => ({ status: 'processed', note });
export const ignored = (note: string): Outcome => ({ status: 'ignored', note });
/** Not counted because it is not ours, not in our mode or not in our currency: ignored and flagged. */
export const refused = (refusal: Refusal): Outcome => ({ status: 'ignored', note: refusal.note, flag: refusal.flag });

/** Stripe fields that hold an id, or the object when expanded. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

export async function requireCampaign(tx: LedgerTx, id: number): Promise<CampaignRow> {
  const campaign = await tx.campaign(id);
  if (!campaign) throw new Error(`campaign ${id} not found`);
  return campaign;
}
