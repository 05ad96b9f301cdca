import type { SubscriptionRow } from '../../db/subscriptions.js';
import { shownStatus } from '../../domain/subscription.js';

/** A monthly donation as its donor sees it (GET /v1/donor/subscriptions). */
export function donorSubscriptionResource(subscription: SubscriptionRow & { campaign_slug: string }) {
  return {
    id: subscription.id,
    campaign: subscription.campaign_slug,
    amount: subscription.amount,
    currency: subscription.currency,
    // Stopped here a moment ago: canceled, even before Stripe's event confirms it.
    status: shownStatus({ status: subscription.status, canceledAt: subscription.canceled_at }),
    started_at: (subscription.started_at ?? subscription.created_at).toISOString(),
    next_payment_at: subscription.canceled_at || subscription.status === 'canceled' ? null : (subscription.next_payment_at?.toISOString() ?? null),
    canceled_at: subscription.canceled_at?.toISOString() ?? null,
  };
}
