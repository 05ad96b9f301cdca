/**
 * The dashboard's "Monthly donors" section and the chart's committed monthly income, for
 * monthly donations driven through real signed Stripe events (active, renewal failed twice,
 * canceled this month, canceled last month, new this month), with more past due and canceled
 * this month than one page of the section shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { monthlyPeriod, periodKeyOf, periodLabel, previousPeriodKey } from '../../src/domain/period.js';
import { ADMIN_KEY, startTestService, type TestService } from '../helpers/service.js';
import {
  MonthlyPayment, deliver, ledgerCampaign, momentsSoFar, seconds, settled, someDonor, type LedgerCampaign, type StripeEventBody,
} from '../ledger/support.js';
import { collectPageErrors, launchBrowser } from './browser.js';

describe('the dashboard shows monthly donors', () => {
  let service: TestService;
  let browser: Browser;
  let campaign: LedgerCampaign;
  const thisMonth = periodKeyOf(new Date(), 'UTC');
  const lastMonth = previousPeriodKey(thisMonth);
  const lastMonthDay = (day: number) => new Date(Date.parse(monthlyPeriod(lastMonth, 'UTC').starts_at) + day * 24 * 3_600_000);
  /** More than the section's page of 10 in each list. */
  const EXTRA = 10;

  /** A cancellation as Stripe sends it, with the subscription's real start. */
  const deleted = (monthly: MonthlyPayment, started: Date, at: Date): StripeEventBody => {
    const event = monthly.deleted(at);
    (event.data.object as { start_date: number }).start_date = seconds(started);
    return event;
  };

  beforeAll(async () => {
    const thisMonthMoment = await momentsSoFar(new Date(monthlyPeriod(thisMonth, 'UTC').starts_at), 3);
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
    // $10 a month each, giving last month; this month one failed renewal each, or canceled.
    const extras = async (kind: string) => {
      const list: MonthlyPayment[] = [];
      for (let i = 1; i <= EXTRA; i++) list.push(await new MonthlyPayment(campaign, 1_000, 0, donor(`${kind} Donor${i}`)).record(service));
      return list;
    };
    const morePastDue = await extras('Failing');
    const moreCanceled = await extras('Leaving');
    const events = [
      ...[active, failing, leaving, leftBefore, ...morePastDue, ...moreCanceled].flatMap((monthly) => [monthly.completed(started), monthly.paid(0, started)]),
      failing.failed(1, 1, thisMonthMoment(1)),
      failing.failed(1, 2, thisMonthMoment(3)),
      deleted(leaving, started, thisMonthMoment(2)),
      deleted(leftBefore, started, lastMonthDay(20)),
      joining.completed(thisMonthMoment(2)),
      joining.paid(0, thisMonthMoment(2)),
      ...morePastDue.map((monthly) => monthly.failed(1, 1, thisMonthMoment(1))),
      ...moreCanceled.map((monthly) => deleted(monthly, started, thisMonthMoment(1))),
    ];
    await deliver(service, ...events);
    await settled(service, events.map((event) => event.id), 90_000);
    browser = await launchBrowser();
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('lists active, past due with failed attempts and canceled this month a page at a time, and charts committed monthly income', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    const errors = collectPageErrors(page);
    await page.goto(`${service.url}/admin#campaign=${campaign.slug}`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const section = page.getByRole('region', { name: 'Monthly donors' });
    await expect.poll(() => section.locator('.summary').textContent()).toBe(
      `2 active · $70 committed each month · 1 new and ${1 + EXTRA} canceled this month`,
    );

    // Past due: a page of 10 (newest first), "+" while more follow; "Show more" reads the next page.
    const pastDue = section.getByRole('table', { name: 'Monthly donations past due' });
    expect(await section.getByRole('heading', { name: 'Past due (10+)' }).isVisible()).toBe(true);
    expect(await pastDue.locator('tbody tr').count()).toBe(10);
    const morePastDue = section.getByRole('button', { name: 'Show more monthly donations past due' });
    await morePastDue.click();
    await expect.poll(() => pastDue.locator('tbody tr').count()).toBe(1 + EXTRA);
    expect(await section.getByRole('heading', { name: `Past due (${1 + EXTRA})` }).isVisible()).toBe(true);
    expect(await morePastDue.isVisible()).toBe(false);
    expect(await pastDue.getByRole('row', { name: /Grace Hopper/ }).locator('td').allTextContents()).toEqual(['Grace Hopper', '$30', '2', expect.any(String)]);
    expect(await pastDue.locator('tbody tr', { hasText: 'Failing Donor' }).count()).toBe(EXTRA);

    // Canceled this month: the month row's count in the heading, the rows a page at a time.
    const canceled = section.getByRole('table', { name: 'Monthly donations canceled this month' });
    expect(await section.getByRole('heading', { name: `Canceled this month (${1 + EXTRA})` }).isVisible()).toBe(true);
    expect(await canceled.locator('tbody tr').count()).toBe(10);
    await section.getByRole('button', { name: 'Show more monthly donations canceled this month' }).click();
    await expect.poll(() => canceled.locator('tbody tr').count()).toBe(1 + EXTRA);
    expect(await canceled.locator('tbody tr', { hasText: 'Alan Turing' }).count()).toBe(1);
    expect(await canceled.locator('tbody').textContent()).not.toContain('Dijkstra');

    // The chart: committed monthly income beside raised, for this month and as it stood at last month's end.
    const committedHeight = (month: string) =>
      page.locator(`svg.chart g.month[data-month="${month}"] rect.committed`).evaluate((rect) => Number(rect.getAttribute('height')));
    expect(await committedHeight(thisMonth)).toBeGreaterThan(0);
    expect(await committedHeight(lastMonth)).toBeGreaterThan(await committedHeight(thisMonth));
    expect(await page.locator(`svg.chart g.month[data-month="${thisMonth}"] title`).textContent()).toContain('$70 committed by monthly donors');
    await page.getByText('Show the figures').click();
    const figures = page.getByRole('table', { name: 'Monthly figures' });
    // Last month: Ada, Grace and Alan were still giving at its end ($20 + $30 + $40), and the twenty
    // at $10; Edsger had left.
    expect(await figures.getByRole('row', { name: new RegExp(periodLabel(lastMonth)) }).locator('td').nth(2).textContent()).toBe('$290');
    expect(await figures.getByRole('row', { name: new RegExp(periodLabel(thisMonth)) }).locator('td').nth(2).textContent()).toBe('$70');
    expect(errors).toEqual([]);
  });
});
