import { minimumCharge } from './money.js';

/** Rules across fields, checked on the whole campaign after a create or a merged patch. */
export function campaignRuleErrors(campaign: {
  currency: string;
  tiers: { amount: number }[];
  amount_presets: number[];
  min_amount: number;
  max_amount: number;
}): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  campaign.tiers.forEach((tier, index) => {
    const previous = campaign.tiers[index - 1];
    if (previous && tier.amount <= previous.amount) {
      errors.push({ field: `tiers.${index}.amount`, message: 'tiers must be strictly ascending' });
    }
  });
  const minimum = minimumCharge(campaign.currency);
  if (campaign.min_amount < minimum) {
    errors.push({ field: 'min_amount', message: `must be at least Stripe's minimum charge (${minimum})` });
  }
  if (campaign.min_amount > campaign.max_amount) {
    errors.push({ field: 'min_amount', message: 'must not be greater than max_amount' });
  }
  campaign.amount_presets.forEach((preset, index) => {
    if (preset < campaign.min_amount || preset > campaign.max_amount) {
      errors.push({ field: `amount_presets.${index}`, message: 'must lie within min_amount..max_amount' });
    }
  });
  return errors;
}
