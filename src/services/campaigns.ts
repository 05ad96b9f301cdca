import { AppError, notFound, validationFailed } from '../errors.js';
import {
  findCampaignBySlug,
  insertCampaign,
  updateCampaign,
  type CampaignFields,
  type CampaignRow,
} from '../db/campaigns.js';
import { recordPeriodGoal, TOTAL_PERIOD } from '../db/periods.js';
import { isUniqueViolation, withTransaction, type Db, type Queryable } from '../db/pool.js';
import { minimumCharge } from '../domain/money.js';
import { periodKeyOf } from '../domain/period.js';
import { campaignRuleErrors } from '../domain/campaign-rules.js';

/** The admin list of campaigns is a plain keyset read: no rule stands between it and the table. */
export { listCampaigns } from '../db/campaigns.js';

/** The campaign a request names by slug; an unknown slug is the typed not_found error (404). */
export async function requireCampaign(db: Queryable, slug: string): Promise<CampaignRow> {
  const campaign = await findCampaignBySlug(db, slug);
  if (!campaign) throw notFound(`Campaign "${slug}"`);
  return campaign;
}

/** The campaign id an admin list filters on (`?campaign=slug`), or undefined for all; an unknown slug is 404. */
export async function campaignIdOfFilter(db: Queryable, slug: string | undefined): Promise<number | undefined> {
  return slug ? (await requireCampaign(db, slug)).id : undefined;
}

/**
 * A new campaign as the HTTP layer's schema has validated and defaulted it (the service holds
 * the shape, so it does not depend on the transport that fills it).
 */
export type CampaignCreateInput = Omit<CampaignFields, 'goal_period' | 'goal_amount' | 'min_amount'> & {
  goal: { period: CampaignFields['goal_period']; amount: number };
  min_amount?: number;
};
/** Slug and currency are fixed once money may have been taken in them. */
export type CampaignPatchInput = Partial<Omit<CampaignCreateInput, 'slug' | 'currency'>>;

function assertRules(fields: CampaignFields): void {
  const errors = campaignRuleErrors(fields);
  if (errors.length) throw validationFailed(errors, 'The campaign is not valid.');
}

/** Records the goal the current period runs with: this month's row and the all-time row. */
async function recordCurrentGoal(db: Queryable, campaign: CampaignRow, now: Date): Promise<void> {
  const goal = { amount: campaign.goal_amount, tiers: campaign.tiers };
  await recordPeriodGoal(db, campaign.id, periodKeyOf(now, campaign.timezone), goal);
  await recordPeriodGoal(db, campaign.id, TOTAL_PERIOD, goal);
}

export async function createCampaign(db: Db, input: CampaignCreateInput, now = new Date()): Promise<CampaignRow> {
  const fields: CampaignFields = {
    slug: input.slug,
    name: input.name,
    description: input.description,
    currency: input.currency,
    timezone: input.timezone,
    goal_period: input.goal.period,
    goal_amount: input.goal.amount,
    tiers: input.tiers,
    amount_presets: input.amount_presets,
    min_amount: input.min_amount ?? minimumCharge(input.currency),
    max_amount: input.max_amount,
    allowed_redirect_origins: input.allowed_redirect_origins,
    status: input.status,
    receipt_settings: input.receipt_settings,
    show_amounts: input.show_amounts,
  };
  assertRules(fields);
  try {
    return await withTransaction(db, async (client) => {
      const campaign = await insertCampaign(client, fields);
      await recordCurrentGoal(client, campaign, now);
      return campaign;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `A campaign with slug "${input.slug}" already exists.`, [{ field: 'slug', message: 'already in use' }]);
    throw error;
  }
}

export async function patchCampaign(db: Db, slug: string, patch: CampaignPatchInput, now = new Date()): Promise<CampaignRow> {
  return withTransaction(db, async (client) => {
    const current = await findCampaignBySlug(client, slug, { forUpdate: true });
    if (!current) throw notFound(`Campaign "${slug}"`);
    const fields: CampaignFields = {
      ...current,
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.timezone !== undefined && { timezone: patch.timezone }),
      ...(patch.goal !== undefined && { goal_period: patch.goal.period, goal_amount: patch.goal.amount }),
      ...(patch.tiers !== undefined && { tiers: patch.tiers }),
      ...(patch.amount_presets !== undefined && { amount_presets: patch.amount_presets }),
      ...(patch.min_amount !== undefined && { min_amount: patch.min_amount }),
      ...(patch.max_amount !== undefined && { max_amount: patch.max_amount }),
      ...(patch.allowed_redirect_origins !== undefined && { allowed_redirect_origins: patch.allowed_redirect_origins }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.receipt_settings !== undefined && { receipt_settings: patch.receipt_settings }),
      ...(patch.show_amounts !== undefined && { show_amounts: patch.show_amounts }),
    };
    assertRules(fields);
    const updated = await updateCampaign(client, current.id, fields);
    if (patch.goal !== undefined || patch.tiers !== undefined) await recordCurrentGoal(client, updated, now);
    return updated;
  });
}
