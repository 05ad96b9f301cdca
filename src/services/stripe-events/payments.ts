import type { CampaignRow } from '../../db/campaigns.js';
import { periodKeyOf } from '../../domain/period.js';

/** The payment time decides the month, read in the campaign's timezone. */
export function paidIn(campaign: CampaignRow, at: Date): { at: Date; periodKey: string } {
  return { at, periodKey: periodKeyOf(at, campaign.timezone) };
}

export function assertCampaignCurrency(campaign: CampaignRow, currency: string, what: string): void {
  if (currency.toLowerCase() !== campaign.currency) {
    throw new Error(`${what} is in ${currency}, but campaign ${campaign.slug} counts ${campaign.currency}`);
  }
}
