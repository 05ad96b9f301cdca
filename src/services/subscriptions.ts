import { AppError } from '../errors.js';
import type { Queryable } from '../db/pool.js';
import { listSubscriptions as listSubscriptionRows, type AdminSubscriptionRow } from '../db/subscriptions.js';
import { monthlyPeriod, type PeriodKey } from '../domain/period.js';
import type { SubscriptionStatus } from '../domain/subscription.js';
import { requireCampaign } from './campaigns.js';

export interface AdminSubscriptionQuery {
  /** A campaign slug; unknown is not_found. */
  campaign?: string;
  status?: SubscriptionStatus;
  q?: string;
  /** Canceled in this month of the campaign's timezone. */
  canceledMonth?: PeriodKey;
}

/**
 * GET /v1/admin/subscriptions. `canceledMonth` is the month's span in the campaign's timezone,
 * the span the month rows count monthly_canceled over (services/months.ts), so the list of a
 * month's cancellations and its count agree. Without a campaign there is no timezone to read
 * the month in, so it needs one.
 */
export async function listSubscriptions(
  db: Queryable,
  query: AdminSubscriptionQuery,
  page: { limit: number; after?: { position: string; id: string } },
): Promise<AdminSubscriptionRow[]> {
  if (query.canceledMonth && !query.campaign) {
    throw new AppError('validation_failed', 'A month of cancellations is read in a campaign’s timezone: name the campaign.', [
      { field: 'campaign', message: 'required with canceled_month' },
    ]);
  }
  const campaign = query.campaign ? await requireCampaign(db, query.campaign) : undefined;
  const month = campaign && query.canceledMonth ? monthlyPeriod(query.canceledMonth, campaign.timezone) : undefined;
  return listSubscriptionRows(
    db,
    {
      campaignId: campaign?.id,
      status: query.status,
      q: query.q,
      canceledBetween: month && { from: new Date(month.starts_at), to: new Date(month.ends_at) },
    },
    page,
  );
}
