import type { TestService } from './service.js';
import { uniqueSlug } from './service.js';

/** The seed's bar: $0 · $1,000 · $2,500 · $5,000 monthly. */
export function campaignBody(overrides: Record<string, unknown> = {}) {
  return {
    slug: uniqueSlug('support'),
    name: 'Support independent journalism',
    description: 'Keep the newsroom going.',
    currency: 'usd',
    timezone: 'America/New_York',
    goal: { period: 'monthly', amount: 500_000 },
    tiers: [
      { amount: 100_000, label: 'Keep the lights on', description: '' },
      { amount: 250_000, label: 'Fund a reporter', description: '' },
      { amount: 500_000, label: 'Open a bureau', description: '' },
    ],
    amount_presets: [500, 1_000, 2_500, 5_000],
    min_amount: 100,
    max_amount: 1_000_000,
    allowed_redirect_origins: ['https://news.example'],
    ...overrides,
  };
}

export async function newCampaign(service: TestService, overrides: Record<string, unknown> = {}) {
  const response = await service.api.post('/v1/admin/campaigns').set(service.admin).send(campaignBody(overrides));
  if (response.status !== 201) throw new Error(`campaign not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { slug: string; currency: string; timezone: string } & Record<string, unknown>;
}
