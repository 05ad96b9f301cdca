import type { Row } from '../shared/api.js';
import { h, svg } from '../shared/dom.js';
import { formatAmount } from '../shared/money.js';

/** One row of GET /v1/admin/campaigns/:slug/months, as /openapi.json describes it. */
export type MonthFigures = Row<'/v1/admin/campaigns/{slug}/months'>;

const WIDTH = 720;
const HEIGHT = 260;
const PLOT = { top: 28, bottom: 40, left: 8, right: 8 };
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function describe(month: MonthFigures, currency: string): string {
  const money = (amount: number) => formatAmount(amount, currency);
  const tiers = month.tiers_reached.length;
  return `${month.label}: ${money(month.raised)} raised of ${money(month.goal)} goal, ${money(month.monthly_committed)} committed by monthly donors, ${tiers} ${tiers === 1 ? 'tier' : 'tiers'} reached`;
}

/**
 * Raised (bar) against goal (dashed line) per month, oldest on the left, with committed monthly
 * income (a narrow bar beside raised) and a dot per tier reached. Each month carries a <title> for pointer users; the same figures follow as a table
 * for screen readers and for anyone who wants the numbers.
 */
export function monthsChart(monthsNewestFirst: MonthFigures[], currency: string): HTMLElement {
  const months = [...monthsNewestFirst].reverse();
  const top = Math.max(1, ...months.map((month) => Math.max(month.goal, month.raised, month.monthly_committed)));
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = (WIDTH - PLOT.left - PLOT.right) / Math.max(months.length, 1);
  const y = (amount: number) => PLOT.top + plotHeight - (Math.min(amount, top) / top) * plotHeight;

  const groups = months.map((month, index) => {
    const x = PLOT.left + index * slot;
    const barWidth = slot * 0.46;
    const committedWidth = slot * 0.18;
    const barX = x + (slot - barWidth - committedWidth) / 2;
    const committedX = barX + barWidth + 1;
    const [year, monthNumber] = month.month.split('-');
    const reachedGoal = month.raised >= month.goal;
    return svg(
      'g',
      { class: reachedGoal ? 'month goal-reached' : 'month', 'data-month': month.month },
      svg('title', {}, describe(month, currency)),
      svg('rect', { class: 'raised', x: barX, y: y(month.raised), width: barWidth, height: Math.max(0, y(0) - y(month.raised)) }),
      svg('rect', {
        class: 'committed',
        x: committedX,
        y: y(month.monthly_committed),
        width: committedWidth,
        height: Math.max(0, y(0) - y(month.monthly_committed)),
      }),
      svg('line', { class: 'goal', x1: x + 3, x2: x + slot - 3, y1: y(month.goal), y2: y(month.goal) }),
      month.tiers_reached.map((_amount, tier) =>
        svg('circle', { class: 'tier', cx: barX + barWidth / 2 + (tier - (month.tiers_reached.length - 1) / 2) * 9, cy: PLOT.top - 12, r: 3.5 }),
      ),
      svg('text', { class: 'axis', x: x + slot / 2, y: HEIGHT - PLOT.bottom + 16, 'text-anchor': 'middle' }, SHORT_MONTHS[Number(monthNumber) - 1] ?? ''),
      index === 0 || monthNumber === '01'
        ? svg('text', { class: 'axis year', x: x + slot / 2, y: HEIGHT - PLOT.bottom + 32, 'text-anchor': 'middle' }, year ?? '')
        : null,
    );
  });

  const chart = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': 'months-chart-title', class: 'chart' },
    svg('title', { id: 'months-chart-title' }, `Raised against goal for the last ${months.length} months`),
    svg('line', { class: 'baseline', x1: PLOT.left, x2: WIDTH - PLOT.right, y1: y(0), y2: y(0) }),
    groups,
  );

  const legend = h(
    'p',
    { class: 'legend', 'aria-hidden': 'true' },
    h('span', { class: 'key raised' }), 'Raised ',
    h('span', { class: 'key committed' }), 'Committed monthly ',
    h('span', { class: 'key goal' }), 'Goal ',
    h('span', { class: 'key tier' }), 'Tier reached',
  );

  const money = (amount: number) => formatAmount(amount, currency);
  const figures = h(
    'details',
    {},
    h('summary', {}, 'Show the figures'),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Monthly figures'),
      h('thead', {}, h('tr', {}, ['Month', 'Raised', 'Goal', 'Committed monthly', 'Refunded', 'Donations', 'Donors', 'Tiers reached'].map((text) => h('th', { scope: 'col' }, text)))),
      h(
        'tbody',
        {},
        monthsNewestFirst.map((month) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, month.label),
            h('td', {}, money(month.raised)),
            h('td', {}, money(month.goal)),
            h('td', {}, money(month.monthly_committed)),
            h('td', {}, money(month.refunded)),
            h('td', {}, month.donations_count),
            h('td', {}, month.donors_count),
            h('td', {}, month.tiers_reached.map(money).join(', ') || '—'),
          ),
        ),
      ),
    ),
  );
  return h('figure', { class: 'months' }, chart, legend, figures);
}
