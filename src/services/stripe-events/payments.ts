import type { CampaignRow } from '../../db/campaigns.js';
import type { RefundRef } from '../../domain/ledger.js';
import { periodKeyOf } from '../../domain/period.js';
import type { DonationDraft } from '../ledger/donation-draft.js';
import type { EventEffects } from '../ledger/effects.js';
import { settle } from '../ledger/settle.js';
import type { EventInput, LedgerRead } from './types.js';

/** The payment time decides the month, read in the campaign's timezone. */
export function paidIn(campaign: CampaignRow, at: Date): { at: Date; periodKey: string } {
  return { at, periodKey: periodKeyOf(at, campaign.timezone) };
}

/**
 * Settles the donation's ledger as the event leaves it (services/ledger/settle.ts), then adds
 * the donation's own write: what settling adds is decided on the draft's final facts.
 */
export async function settleDraft(
  read: LedgerRead,
  fx: EventEffects,
  draft: DonationDraft,
  event: EventInput,
  campaign: CampaignRow,
  refunds?: readonly RefundRef[],
): Promise<void> {
  await settle(read, fx, draft, { campaign, stripeEventId: event.id, at: event.created, refunds });
  fx.write(draft);
}
