import { periodKeyOf } from '../../domain/period.js';
import { fill, h } from '../shared/dom.js';
import { formatAmount } from '../shared/money.js';
import { newestOnly } from '../shared/newest.js';
import type { Api } from './api.js';
import { row, showError, table } from './ui.js';

type Dimension = 'source' | 'utm_source' | 'utm_medium' | 'utm_campaign';

interface SourceTotals {
  label: string;
  currency: string;
  data: { value: string | null; raised: number; donations_count: number }[];
}

const DIMENSIONS: [Dimension, string][] = [
  ['source', 'Source'],
  ['utm_source', 'UTM source'],
  ['utm_medium', 'UTM medium'],
  ['utm_campaign', 'UTM campaign'],
];

/** This month's money by attribution (GET …/months/:month/sources), one field at a time. */
export class SourcesPanel {
  readonly element: HTMLElement;
  private readonly picker = h('select', { id: 'sources-by' }, DIMENSIONS.map(([value, label]) => h('option', { value }, label)));
  private readonly result = h('div', { class: 'sources' });
  /** A live redraw's answer for the old grouping must not replace the grouping just picked. */
  private readonly startLoad = newestOnly();

  constructor(
    private readonly api: Api,
    private readonly campaign: { slug: string; timezone: string },
  ) {
    this.picker.addEventListener('change', () => void this.load());
    this.element = h('div', {}, h('div', { class: 'field inline' }, h('label', { for: this.picker.id }, 'Group by'), this.picker), this.result);
  }

  async load(): Promise<void> {
    const isNewest = this.startLoad();
    const month = periodKeyOf(new Date(), this.campaign.timezone);
    const by = this.picker.value as Dimension;
    const label = DIMENSIONS.find(([value]) => value === by)![1];
    try {
      const totals = await this.api.get<SourceTotals>(`/v1/admin/campaigns/${encodeURIComponent(this.campaign.slug)}/months/${month}/sources`, { by });
      if (!isNewest()) return;
      const rows = totals.data.map((entry) => row(entry.value ?? '(none)', formatAmount(entry.raised, totals.currency), entry.donations_count));
      fill(this.result, table(`${totals.label} by ${label.toLowerCase()}`, [label, 'Raised', 'Donations'], rows, 'No donations this month yet.'));
    } catch (error) {
      if (isNewest()) showError(this.result, error);
    }
  }
}
