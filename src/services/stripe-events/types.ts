import type { CampaignRow } from '../../db/campaigns.js';
import type { LedgerReads } from '../ledger/batch-state.js';
import type { EventEffects } from '../ledger/effects.js';

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

/**
 * What a handler may do with the ledger: read (donations are locked as they are read), through
 * its batch, which answers from memory what it read before and what earlier events of the
 * batch changed. Never write.
 */
export interface LedgerRead extends LedgerReads {
  /** This deployment's id (in the metadata of every Stripe object it creates), read once per process. */
  deploymentId(): Promise<string>;
}

/**
 * How one Stripe event type changes the ledger. `lockIds` names the Stripe objects the event is
 * about, read straight from its payload: the batch locks all of its events' ids up front, in
 * sorted order, so two events about one payment never run side by side and two batches never
 * wait on each other in a circle. `decide` reads and returns the event's effects.
 */
export interface EventHandler<T = unknown> {
  lockIds(object: T): (string | null | undefined)[];
  decide(read: LedgerRead, event: EventInput & { object: T }): Promise<EventEffects>;
}

/** Declares a handler for the Stripe object type its events carry. */
export function handler<T>(definition: EventHandler<T>): EventHandler {
  return definition as EventHandler;
}

/** Stripe fields that hold an id, or the object when expanded. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

export async function requireCampaign(read: LedgerRead, id: number): Promise<CampaignRow> {
  const campaign = await read.campaign(id);
  if (!campaign) throw new Error(`campaign ${id} not found`);
  return campaign;
}
