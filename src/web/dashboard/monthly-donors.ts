import { periodKeyOf } from '../../domain/period.js';
import { fill, h, type Child } from '../shared/dom.js';
import { formatAmount } from '../shared/money.js';
import type { ResponseBody, Row } from '../shared/api.js';
import type { Api } from './api.js';
import type { MonthFigures } from './chart.js';
import { row, showError, table, toast, when } from './ui.js';

type Subscription = Row<'/v1/admin/subscriptions'>;
type SubscriptionPage = ResponseBody<'/v1/admin/subscriptions', 'get'>;
type ListFilter = { campaign: string; status?: 'past_due'; canceled_month?: string };

/** Rows per "Show more": the section is an overview between the chart and the donations table. */
const PAGE_SIZE = 10;
/** The admin list's largest page, for reading again the rows already shown. */
const LARGEST_PAGE = 100;

interface ListView {
  /** The heading, from what is shown and whether more follows. */
  title: (shown: number, more: boolean) => string;
  caption: string;
  headers: string[];
  cells: (subscription: Subscription) => Child[];
  empty: string;
}

/**
 * One list of the section, read page by page from GET /v1/admin/subscriptions with its cursor:
 * "Show more" adds the next page. A reload (a live update) reads again as many rows as are
 * shown, so what a person opened stays open and stays current.
 */
class SubscriptionList {
  readonly element: HTMLElement;
  private readonly heading = h('h3', { tabindex: -1 });
  private readonly rows = h('div', {});
  private readonly more: HTMLButtonElement;
  private shown: Subscription[] = [];
  private nextCursor: string | null = null;
  private filter: ListFilter | undefined;
  /**
   * Reads one after another: a live reload that overlapped "Show more" replaced the page it had
   * just added (or the other way round), so the list showed the wrong rows and count.
   */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: Api,
    private readonly view: ListView,
  ) {
    this.more = h('button', { type: 'button', class: 'secondary', 'aria-label': `Show more ${view.caption.toLowerCase()}`, onclick: () => void this.showMore() }, 'Show more');
    this.element = h('div', { 'aria-busy': 'false' }, this.heading, this.rows, this.more);
  }

  load(filter: ListFilter): Promise<void> {
    return this.inTurn(() => this.read(filter));
  }

  private showMore(): Promise<void> {
    return this.inTurn(() => this.readMore());
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const turn = this.queue.then(work);
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async read(filter: ListFilter): Promise<void> {
    const wanted = Math.max(this.shown.length, PAGE_SIZE);
    const rows: Subscription[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.page(filter, Math.min(LARGEST_PAGE, wanted - rows.length), cursor);
      rows.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor && rows.length < wanted);
    this.filter = filter;
    this.shown = rows;
    this.nextCursor = cursor ?? null;
    this.render();
  }

  private async readMore(): Promise<void> {
    if (!this.filter || !this.nextCursor) return;
    this.more.disabled = true;
    this.element.setAttribute('aria-busy', 'true');
    try {
      const page = await this.page(this.filter, PAGE_SIZE, this.nextCursor);
      this.shown = [...this.shown, ...page.data];
      this.nextCursor = page.next_cursor;
      this.render();
      // The button goes once the list is whole; focus stays in the list rather than on nothing.
      if (!this.nextCursor) this.heading.focus();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    } finally {
      this.more.disabled = false;
      this.element.setAttribute('aria-busy', 'false');
    }
  }

  private page(filter: ListFilter, limit: number, cursor: string | undefined): Promise<SubscriptionPage> {
    return this.api.get<SubscriptionPage>('/v1/admin/subscriptions', { ...filter, limit, cursor });
  }

  private render(): void {
    const more = this.nextCursor !== null;
    this.heading.textContent = this.view.title(this.shown.length, more);
    fill(this.rows, table(this.view.caption, this.view.headers, this.shown.map((sub) => row(...this.view.cells(sub))), this.view.empty));
    this.more.hidden = !more;
  }
}

const donor = (sub: Subscription) => sub.donor.name || sub.donor.email || 'Anonymous';

/**
 * "Monthly donors" for a campaign: this month's active donations and what they commit each
 * month, new and canceled this month (the month row), the ones past due with their failed
 * attempts and the ones canceled this month (GET /v1/admin/subscriptions, the latter with
 * canceled_month: the same donations the month row counts in monthly_canceled).
 */
export class MonthlyDonorsPanel {
  readonly element = h('div', { class: 'monthly-donors', 'aria-live': 'polite' }, 'Loading…');
  private readonly pastDue: SubscriptionList;
  private readonly canceled: SubscriptionList;
  /** This month's canceled count, from the month row the list is read for. */
  private canceledCount: number | undefined;

  constructor(
    api: Api,
    private readonly campaign: { slug: string; timezone: string; currency: string },
  ) {
    const money = (amount: number) => formatAmount(amount, campaign.currency);
    this.pastDue = new SubscriptionList(api, {
      // No figure counts them all; the count shown is what is listed, "+" while more follow.
      title: (shown, more) => `Past due (${shown}${more ? '+' : ''})`,
      caption: 'Monthly donations past due',
      headers: ['Donor', 'Amount', 'Failed attempts', 'Last payment'],
      cells: (sub) => [donor(sub), money(sub.amount), sub.failed_attempts, when(sub.last_payment_at)],
      empty: 'No monthly donation is past due.',
    });
    this.canceled = new SubscriptionList(api, {
      title: (shown, more) => `Canceled this month (${this.canceledCount ?? `${shown}${more ? '+' : ''}`})`,
      caption: 'Monthly donations canceled this month',
      headers: ['Donor', 'Amount', 'Started', 'Canceled'],
      cells: (sub) => [donor(sub), money(sub.amount), when(sub.started_at), when(sub.canceled_at)],
      empty: 'None canceled this month.',
    });
  }

  /** `thisMonthRow`: the current month's row of the months read the chart makes too. */
  async load(thisMonthRow: Promise<MonthFigures | undefined>): Promise<void> {
    const money = (amount: number) => formatAmount(amount, this.campaign.currency);
    try {
      const canceledThisMonth = thisMonthRow.then(async (thisMonth) => {
        this.canceledCount = thisMonth?.monthly_canceled;
        // The row's own month (the server's clock), so the list and the row's count are of one month.
        const month = thisMonth?.month ?? periodKeyOf(new Date(), this.campaign.timezone);
        await this.canceled.load({ campaign: this.campaign.slug, canceled_month: month });
        return thisMonth;
      });
      const [thisMonth] = await Promise.all([canceledThisMonth, this.pastDue.load({ campaign: this.campaign.slug, status: 'past_due' })]);
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
        this.pastDue.element,
        this.canceled.element,
      );
    } catch (error) {
      showError(this.element, error);
    }
  }
}
