/**
 * The widget's pledged segment: what monthly donors are still due to give this month, drawn
 * after raised only when the page asks (`show-pledged`), with its sentence for screen readers,
 * and moving live when a monthly donation changes (signed Stripe events on the webhook route).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { monthlyPeriod, periodKeyOf, previousPeriodKey } from '../../src/domain/period.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { MonthlyPayment, deliverAndSettle, ledgerCampaign, type LedgerCampaign } from '../ledger/support.js';
import { collectPageErrors, launchBrowser, startPublisherSite } from './browser.js';

describe('the widget shows what monthly donors have pledged when the page asks', () => {
  let service: TestService;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startPublisherSite>>;
  let page: Page;
  let errors: string[];
  let campaign: LedgerCampaign;
  let monthly: MonthlyPayment;
  const thisMonth = periodKeyOf(new Date(), 'UTC');
  const lastMonthStart = new Date(monthlyPeriod(previousPeriodKey(thisMonth), 'UTC').starts_at);
  const thisMonthStart = new Date(monthlyPeriod(thisMonth, 'UTC').starts_at);

  beforeAll(async () => {
    service = await startTestService();
    service.startWorkers();
    await service.ctx.progressHub.start();
    campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    // A monthly donor who gave $1,000 last month: this month's $1,000 is pledged, not raised.
    monthly = await new MonthlyPayment(campaign, 100_000).record(service);
    const started = new Date(lastMonthStart.getTime() + 3 * 24 * 3_600_000);
    await deliverAndSettle(service, monthly.completed(started), monthly.paid(0, started));
    site = await startPublisherSite(() => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An article</title>
<script src="${service.url}/widget.js" async></script></head>
<body>
<section id="with"><goalpost-progress campaign="${campaign.slug}" hide-donate show-pledged></goalpost-progress></section>
<section id="without"><goalpost-progress campaign="${campaign.slug}" hide-donate></goalpost-progress></section>
</body></html>`);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 480, height: 700 } });
    page.setDefaultTimeout(5_000);
    errors = collectPageErrors(page);
    await page.goto(site.url);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await service?.close();
  });

  const widget = (which: 'with' | 'without') => page.locator(`#${which} goalpost-progress`);
  const segmentWidth = (which: 'with' | 'without') =>
    widget(which).locator('.pledged-fill').evaluate((element) => ((element as HTMLElement).hidden ? 0 : element.getBoundingClientRect().width));
  const barWidth = () => widget('with').locator('.bar').evaluate((element) => element.getBoundingClientRect().width);

  it('draws the pledged amount as a lighter segment after raised, with a sentence screen readers hear', async () => {
    const bar = widget('with').getByRole('progressbar');
    await expect.poll(() => bar.getAttribute('aria-valuetext')).toBe(
      '$0 raised of $5,000 (0%); $1,000 more pledged by monthly donors this month',
    );
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    expect(await widget('with').locator('.pledged').textContent()).toBe('+ $1,000 more pledged by monthly donors this month');
    // $1,000 of a $5,000 scale: a fifth of the bar, lighter than the raised part.
    expect((await segmentWidth('with')) / (await barWidth())).toBeCloseTo(0.2, 2);
    const [fill, pledged] = await Promise.all(
      ['.fill', '.pledged-fill'].map((selector) => widget('with').locator(selector).evaluate((element) => getComputedStyle(element).backgroundColor)),
    );
    expect(pledged).not.toBe(fill);
  });

  it('draws nothing pledged when the page does not ask', async () => {
    await expect.poll(() => widget('without').getByRole('progressbar').getAttribute('aria-valuetext')).toBe('$0 raised of $5,000 (0%)');
    expect(await segmentWidth('without')).toBe(0);
    expect(await widget('without').locator('.pledged').isVisible()).toBe(false);
  });

  it('follows an amount change live, and moves the renewal from pledged to raised when it is paid', async () => {
    monthly.changeAmount(150_000);
    await deliverAndSettle(service, monthly.updated(new Date(thisMonthStart.getTime() + 60_000)));
    const bar = widget('with').getByRole('progressbar');
    await expect.poll(() => bar.getAttribute('aria-valuetext'), { timeout: 5_000 }).toBe(
      '$0 raised of $5,000 (0%); $1,500 more pledged by monthly donors this month',
    );

    await deliverAndSettle(service, monthly.paid(1, new Date(thisMonthStart.getTime() + 120_000)));
    await expect.poll(() => bar.getAttribute('aria-valuetext'), { timeout: 5_000 }).toBe('$1,500 raised of $5,000 (30%)');
    expect(await segmentWidth('with')).toBe(0);
    expect(await widget('with').locator('.pledged').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });
});
