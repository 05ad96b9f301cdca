import { periodKeyOf } from '../../domain/period.js';
import { fill, h } from '../shared/dom.js';
import { formatAmount } from '../shared/money.js';
import type { Row } from '../shared/api.js';
import type { Api } from './api.js';
import type { MonthFigures } from './chart.js';
import { row, showError, table, when } from './ui.js';

type Subscription = Row<'/v1/admin/subscriptions'>;

/** One page of the admin list is what the section shows of each group; the counts come from the month row. */
const LISTED = 100;

/**
 * "Monthly donors" for a campaign: this month's active donations and what they commit each
 * month (the month row), the ones past due with their failed attempts, and the ones canceled
 * this month (GET /v1/admin/subscriptions).
 */
export class MonthlyDonorsPanel {
  readonly element = h('div', { class: 'monthly-donors', 'aria-live': 'polite' }, 'Loading…');

  constructor(
    private readonly api: Api,
    private readonly campaign: { slug: string; timezone: string; currency: string },
  ) {}

  /** `thisMonthRow`: the current month's row of the months read the chart makes too. */
  async load(thisMonthRow: Promise<MonthFigures | undefined>): Promise<void> {
    const money = (amount: number) => formatAmount(amount, this.campaign.currency);
    try {
      const [thisMonth, pastDue, canceled] = await Promise.all([thisMonthRow, this.list('past_due'), this.list('canceled')]);
      const month = periodKeyOf(new Date(), this.campaign.timezone);
      const canceledThisMonth = canceled.filter((sub) => sub.canceled_at && periodKeyOf(new Date(sub.canceled_at), this.campaign.timezone) === month);
      const donor = (sub: Subscription) => sub.donor.name || sub.donor.email || 'Anonymous';
      fill(
        this.element,
        thisMonth
          ? h(
              'p',
              { class: 'summary' },
              h('strong', {}, `${thisMonth.monthly_active} active`),
              ` · ${money(thisMonth.monthly_committed)} committed each month · ${thisMonth.monthly_new} new and ${thisMonth.monthly_canceled} canceled this month`,
            )
          : null,
        h('h3', {}, `Past due (${pastDue.length})`),
        table(
          'Monthly donations past due',
          ['Donor', 'Amount', 'Failed attempts', 'Last payment'],
          pastDue.map((sub) => row(donor(sub), money(sub.amount), sub.failed_attempts, when(sub.last_payment_at))),
          'No monthly donation is past due.',
        ),
        h('h3', {}, `Canceled this month (${canceledThisMonth.length})`),
        table(
          'Monthly donations canceled this month',
          ['Donor', 'Amount', 'Started', 'Canceled'],
          canceledThisMonth.map((sub) => row(donor(sub), money(sub.amount), when(sub.started_at), when(sub.canceled_at))),
          'None canceled this month.',
        ),
      );
    } catch (error) {
      showError(this.element, error);
    }
  }

  private async list(status: 'past_due' | 'canceled'): Promise<Subscription[]> {
    const page = await this.api.get<{ data: Subscription[] }>('/v1/admin/subscriptions', { campaign: this.campaign.slug, status, limit: LISTED });
    return page.data;
  }
}
