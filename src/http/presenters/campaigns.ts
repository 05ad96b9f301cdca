import type { CampaignRow } from '../../db/campaigns.js';

/** A campaign as the public API shows it (GET /v1/campaigns/:slug, beside its progress). */
export function campaignResource(campaign: CampaignRow) {
  return {
    slug: campaign.slug,
    name: campaign.name,
    description: campaign.description,
    currency: campaign.currency,
    timezone: campaign.timezone,
    goal: { period: campaign.goal_period, amount: campaign.goal_amount },
    tiers: campaign.tiers.map(({ amount, label, description }) => ({ amount, label, description })),
    amount_presets: campaign.amount_presets,
    min_amount: campaign.min_amount,
    max_amount: campaign.max_amount,
    status: campaign.status,
    show_amounts: campaign.show_amounts,
  };
}

/** The admin API's campaign: the public fields plus redirect origins, receipt settings and times. */
export function adminCampaignResource(campaign: CampaignRow) {
  return {
    ...campaignResource(campaign),
    allowed_redirect_origins: campaign.allowed_redirect_origins,
    receipt_settings: campaign.receipt_settings,
    created_at: campaign.created_at.toISOString(),
    updated_at: campaign.updated_at.toISOString(),
  };
}
