import { fill, h } from '../shared/dom.js';
import { decimalString, formatAmount, parseAmount } from '../shared/money.js';
import { type Api, isMissingRoute } from './api.js';
import { confirmAction, row, showError, table, toast, when } from './ui.js';
import type { ResponseBody, Row } from '../shared/api.js';

/** One row of GET /v1/admin/donations. */
export type Donation = Row<'/v1/admin/donations'>;

const PAGE_SIZE = 25;

/** What is left to refund: the charge (donation plus covered fee) less earlier refunds; nothing while disputed. */
export function refundable(donation: Donation): number {
  if (donation.dispute && donation.dispute.status !== 'won') return 0;
  return Math.max(0, donation.amount + donation.fee_amount - donation.charge_refunded_amount);
}

/**
 * The donations table: search, month and status filters, cursor pagination, CSV export of
 * the same filters, and (admin keys) refund and resend-receipt with confirmation.
 */
export class DonationsPanel {
  readonly element: HTMLElement;
  private readonly results = h('div', { 'aria-live': 'polite', 'aria-busy': 'false' });
  private readonly search = h('input', { type: 'search', id: 'donation-search', name: 'q', autocomplete: 'off', placeholder: 'name or email' });
  private readonly month = h('input', { type: 'month', id: 'donation-month', name: 'month' });
  private readonly status = h(
    'select',
    { id: 'donation-status', name: 'status' },
    [['', 'Any status'], ['succeeded', 'Succeeded'], ['pending', 'Pending'], ['failed', 'Failed'], ['expired', 'Expired']].map(([value, label]) =>
      h('option', { value }, label),
    ),
  );
  private readonly pager = h('nav', { class: 'pager', 'aria-label': 'Donation pages' });
  /** Cursors of the pages before the current one; the first page has none. */
  private cursors: (string | undefined)[] = [undefined];
  private nextCursor: string | null = null;

  constructor(
    private readonly api: Api,
    private readonly campaign: string,
    private readonly canAct: boolean,
  ) {
    const filters = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filter donations' },
      h('div', { class: 'field' }, h('label', { for: this.search.id }, 'Search donors'), this.search),
      h('div', { class: 'field' }, h('label', { for: this.month.id }, 'Month'), this.month),
      h('div', { class: 'field' }, h('label', { for: this.status.id }, 'Status'), this.status),
      h('button', { type: 'submit' }, 'Apply'),
      h('button', { type: 'button', class: 'secondary', onclick: () => void this.export() }, 'Export CSV'),
    );
    filters.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.reload();
    });
    this.month.addEventListener('change', () => void this.reload());
    this.status.addEventListener('change', () => void this.reload());
    this.element = h('div', {}, filters, this.results, this.pager);
  }

  private filters(): Record<string, string | undefined> {
    return { campaign: this.campaign, q: this.search.value.trim() || undefined, month: this.month.value || undefined, status: this.status.value || undefined };
  }

  /** Back to the first page with the current filters. */
  reload(): Promise<void> {
    this.cursors = [undefined];
    return this.load();
  }

  /** Live updates refresh only the first page, so a person reading page 3 is not moved. */
  refreshIfFirstPage(): void {
    if (this.cursors.length === 1) void this.load();
  }

  private async load(): Promise<void> {
    this.results.setAttribute('aria-busy', 'true');
    try {
      const page = await this.api.get<ResponseBody<'/v1/admin/donations', 'get'>>('/v1/admin/donations', {
        ...this.filters(),
        limit: PAGE_SIZE,
        cursor: this.cursors.at(-1),
      });
      this.nextCursor = page.next_cursor;
      fill(this.results, table('Donations', ['Date', 'Donor', 'Amount', 'Status', 'Receipt', ...(this.canAct ? ['Actions'] : [])], page.data.map((donation) => this.row(donation)), 'No donations match.'));
      this.renderPager();
    } catch (error) {
      if (isMissingRoute(error)) fill(this.results, h('p', { class: 'empty' }, 'The donations list is not available on this server yet.'));
      else showError(this.results, error);
    } finally {
      this.results.setAttribute('aria-busy', 'false');
    }
  }

  private renderPager(): void {
    const pageNumber = this.cursors.length;
    fill(
      this.pager,
      h('button', { type: 'button', class: 'secondary', disabled: pageNumber === 1, onclick: () => this.turn(-1) }, 'Previous page'),
      h('span', {}, `Page ${pageNumber}`),
      h('button', { type: 'button', class: 'secondary', disabled: !this.nextCursor, onclick: () => this.turn(1) }, 'Next page'),
    );
  }

  private turn(direction: 1 | -1): void {
    if (direction === 1 && this.nextCursor) this.cursors.push(this.nextCursor);
    if (direction === -1 && this.cursors.length > 1) this.cursors.pop();
    void this.load();
  }

  private row(donation: Donation): HTMLTableRowElement {
    const money = (amount: number) => formatAmount(amount, donation.currency);
    const { donor } = donation;
    const who = h(
      'div',
      {},
      h('div', {}, donor.name || (donor.anonymous ? 'Anonymous' : '—'), donor.anonymous && donor.name ? ' (anonymous)' : ''),
      donor.email ? h('div', { class: 'muted' }, donor.email) : null,
    );
    const amount = h(
      'div',
      {},
      money(donation.amount),
      donation.frequency === 'monthly' ? h('span', { class: 'muted' }, ' monthly') : null,
      donation.fee_amount ? h('div', { class: 'muted' }, `+ ${money(donation.fee_amount)} fees`) : null,
    );
    const status = h(
      'div',
      {},
      h('span', { class: `badge ${donation.status}` }, donation.status),
      donation.refunded_amount ? h('div', { class: 'muted' }, `${money(donation.refunded_amount)} refunded`) : null,
      donation.disputed_amount ? h('div', { class: 'muted' }, `${money(donation.disputed_amount)} disputed`) : null,
      donation.offline ? h('div', { class: 'muted' }, `offline: ${donation.offline.method.replace('_', ' ')} ${donation.offline.reference}`) : null,
      donation.offline?.voided_at ? h('div', { class: 'muted' }, `voided ${when(donation.offline.voided_at)}`) : null,
    );
    const cells = [when(donation.paid_at ?? donation.created_at), who, amount, status, donation.receipt_number ?? '—'];
    if (!this.canAct) return row(...cells);
    const actions = h('div', { class: 'actions' });
    const isOffline = donation.origin === 'offline';
    if (!isOffline && donation.status === 'succeeded' && refundable(donation) > 0) {
      actions.append(h('button', { type: 'button', class: 'secondary', onclick: () => void this.refund(donation) }, 'Refund'));
    }
    if (donation.status === 'succeeded' && donor.email && !donation.offline?.voided_at) {
      actions.append(h('button', { type: 'button', class: 'secondary', onclick: () => void this.resendReceipt(donation) }, 'Resend receipt'));
    }
    if (isOffline && !donation.offline?.voided_at) {
      actions.append(h('button', { type: 'button', class: 'secondary', onclick: () => void this.void(donation) }, 'Void'));
    }
    return row(...cells, actions);
  }

  /** Offline money recorded by mistake is voided: a reversing entry takes it out of its month; nothing is deleted. */
  private async void(donation: Donation): Promise<void> {
    const values = await confirmAction({
      title: 'Void this offline donation?',
      body: [
        h('p', {}, `${formatAmount(donation.amount, donation.currency)} (${donation.offline?.reference ?? ''}) leaves the figures of the month it counted in.`),
        h('p', { class: 'muted' }, 'The donation stays listed as voided; this cannot be undone.'),
      ],
      confirmLabel: 'Void',
      danger: true,
    });
    if (!values) return;
    try {
      await this.api.delete(`/v1/admin/donations/${encodeURIComponent(donation.id)}`);
      toast('The donation has been voided.');
      await this.load();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  }

  private async refund(donation: Donation): Promise<void> {
    const { currency } = donation;
    const most = refundable(donation);
    const money = (amount: number) => formatAmount(amount, currency);
    const amountInput = h('input', { id: 'refund-amount', name: 'amount', type: 'text', inputmode: 'decimal', value: decimalString(most, currency) });
    const values = await confirmAction({
      title: 'Refund this donation?',
      body: [
        h('p', {}, `${donation.donor.name || donation.donor.email || 'The donor'} gave ${money(donation.amount + donation.fee_amount)}; up to ${money(most)} can be refunded.`),
        h('p', { class: 'muted' }, 'Stripe returns the money to the card. The figures change when Stripe confirms the refund.'),
      ],
      fields: [h('div', { class: 'field' }, h('label', { for: amountInput.id }, `Amount to refund (${currency.toUpperCase()})`), amountInput)],
      confirmLabel: 'Refund',
      danger: true,
    });
    if (!values) return;
    const amount = parseAmount(String(values.get('amount') ?? ''), currency);
    if (amount === null || amount <= 0 || amount > most) {
      toast(`Enter an amount up to ${money(most)}.`, 'error');
      return;
    }
    try {
      const refund = await this.api.post<{ id: string }>(`/v1/admin/donations/${encodeURIComponent(donation.id)}/refund`, amount === most ? {} : { amount });
      toast(`Refund ${refund.id} of ${money(amount)} requested. The donation updates when Stripe confirms it.`);
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  }

  private async resendReceipt(donation: Donation): Promise<void> {
    const values = await confirmAction({
      title: 'Send the receipt again?',
      body: [h('p', {}, `A copy of receipt ${donation.receipt_number ?? ''} goes to ${donation.donor.email}.`)],
      confirmLabel: 'Send receipt',
    });
    if (!values) return;
    try {
      await this.api.post(`/v1/admin/donations/${encodeURIComponent(donation.id)}/receipt`);
      toast(`The receipt is on its way to ${donation.donor.email}.`);
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  }

  private async export(): Promise<void> {
    try {
      await this.api.download('/v1/admin/donations/export.csv', this.filters(), `donations-${this.campaign}.csv`);
      toast('The CSV export has been downloaded.');
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  }
}
