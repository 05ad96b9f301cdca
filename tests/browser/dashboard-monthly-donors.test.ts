/**
 * The dashboard's "Monthly donors" section and the chart's committed monthly income, for
 * monthly donations driven through real signed Stripe events (active, renewal failed twice,
 * canceled this month, canceled last month, new this month).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { monthlyPeriod, periodKeyOf, periodLabel, previousPeriodKey } from '../../src/domain/period.js';
import { ADMIN_KEY, startTestService, type TestService } from '../helpers/service.js';
import { MonthlyPayment, deliverAndSettle, ledgerCampaign, seconds, someDonor, type LedgerCampaign, type StripeEventBody } from '../ledger/support.js';
import { collectPageErrors, launchBrowser } from './browser.js';

describe('the dashboard shows monthly donors', () => {
  let service: TestService;
  let browser: Browser;
  let campaign: LedgerCampaign;
  const thisMonth = periodKeyOf(new Date(), 'UTC');
  const lastMonth = previousPeriodKey(thisMonth);
  const lastMonthDay = (day: number) => new Date(Date.parse(monthlyPeriod(lastMonth, 'UTC').starts_at) + day * 24 * 3_600_000);
  const thisMonthMinute = (minute: number) => new Date(Date.parse(monthlyPeriod(thisMonth, 'UTC').starts_at) + minute * 60_000);

  /** A cancellation as Stripe sends it, with the subscription's real start. */
  const deleted = (monthly: MonthlyPayment, started: Date, at: Date): StripeEventBody => {
    const event = monthly.deleted(at);
    (event.data.object as { start_date: number }).start_date = seconds(started);
    return event;
  };

  beforeAll(async () => {
    service = await startTestService();
    service.startWorkers();
    await service.ctx.progressHub.start();
    campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const donor = (name: string) => someDonor({ name, email: `${name.split(' ')[0]!.toLowerCase()}@example.org` });
    const active = await new MonthlyPayment(campaign, 2_000, 0, donor('Ada Lovelace')).record(service);
    const failing = await new MonthlyPayment(campaign, 3_000, 0, donor('Grace Hopper')).record(service);
    const leaving = await new MonthlyPayment(campaign, 4_000, 0, donor('Alan Turing')).record(service);
    const leftBefore = await new MonthlyPayment(campaign, 6_000, 0, donor('Edsger Dijkstra')).record(service);
    const joining = await new MonthlyPayment(campaign, 5_000, 0, donor('Barbara Liskov')).record(service);
    const started = lastMonthDay(2);
    await deliverAndSettle(
      service,
      ...[active, failing, leaving, leftBefore].flatMap((monthly) => [monthly.completed(started), monthly.paid(0, started)]),
      failing.failed(1, 1, thisMonthMinute(1)),
      failing.failed(1, 2, thisMonthMinute(3)),
      deleted(leaving, started, thisMonthMinute(2)),
      deleted(leftBefore, started, lastMonthDay(20)),
      joining.completed(thisMonthMinute(2)),
      joining.paid(0, thisMonthMinute(2)),
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('lists active, past due with failed attempts and canceled this month, and charts committed monthly income', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    const errors = collectPageErrors(page);
    await page.goto(`${service.url}/admin#campaign=${campaign.slug}`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const section = page.getByRole('region', { name: 'Monthly donors' });
    await expect.poll(() => section.locator('.summary').textContent()).toBe(
      '2 active · $70 committed each month · 1 new and 1 canceled this month',
    );
    expect(await section.getByRole('heading', { name: 'Past due (1)' }).isVisible()).toBe(true);
    const pastDue = section.getByRole('table', { name: 'Monthly donations past due' });
    expect(await pastDue.locator('tbody tr').count()).toBe(1);
    expect(await pastDue.locator('tbody td').allTextContents()).toEqual(['Grace Hopper', '$30', '2', expect.any(String)]);
    const canceled = section.getByRole('table', { name: 'Monthly donations canceled this month' });
    expect(await canceled.locator('tbody tr').count()).toBe(1);
    expect(await canceled.locator('tbody tr').textContent()).toContain('Alan Turing');
    expect(await canceled.locator('tbody tr').textContent()).not.toContain('Dijkstra');

    // The chart: committed monthly income beside raised, for this month and as it stood at last month's end.
    const committedHeight = (month: string) =>
      page.locator(`svg.chart g.month[data-month="${month}"] rect.committed`).evaluate((rect) => Number(rect.getAttribute('height')));
    expect(await committedHeight(thisMonth)).toBeGreaterThan(0);
    expect(await committedHeight(lastMonth)).toBeGreaterThan(await committedHeight(thisMonth));
    expect(await page.locator(`svg.chart g.month[data-month="${thisMonth}"] title`).textContent()).toContain('$70 committed by monthly donors');
    await page.getByText('Show the figures').click();
    const figures = page.getByRole('table', { name: 'Monthly figures' });
    // Last month: Ada, Grace and Alan were still giving at its end ($20 + $30 + $40); Edsger had left.
    expect(await figures.getByRole('row', { name: new RegExp(periodLabel(lastMonth)) }).locator('td').nth(2).textContent()).toBe('$90');
    expect(await figures.getByRole('row', { name: new RegExp(periodLabel(thisMonth)) }).locator('td').nth(2).textContent()).toBe('$70');
    expect(errors).toEqual([]);
  });
});
