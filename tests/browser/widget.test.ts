import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { periodKeyOf, periodLabel } from '../../src/domain/period.js';
import { newCampaign } from '../helpers/builders.js';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { addToThisMonth } from '../helpers/progress-stream.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { collectPageErrors, launchBrowser, screenshot, startPublisherSite, startStreamBlockingProxy } from './browser.js';

describe('the embeddable widget on a publisher page (another origin)', () => {
  let emulator: TestStripeEmulator;
  let service: TestService;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startPublisherSite>>;
  let page: Page;
  let errors: string[];
  let slug: string;

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    service = await startTestService(emulator.env);
    emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
    service.startWorkers();
    await service.ctx.progressHub.start();
    slug = (await newCampaign(service)).slug;
    site = await startPublisherSite(() => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>An article</title>
<style>goalpost-progress { --goalpost-accent: rgb(10, 125, 68); }</style>
<script src="${service.url}/widget.js" async></script></head>
<body><h1>An article worth paying for</h1>
<goalpost-progress campaign="${slug}" success-url="${site.url}?thanks=1" cancel-url="${site.url}"></goalpost-progress>
</body></html>`);
    // The publisher lets Stripe send donors back to its own pages.
    await service.api.patch(`/v1/admin/campaigns/${slug}`).set(service.admin).send({ allowed_redirect_origins: [new URL(site.url).origin] }).expect(200);
    browser = await launchBrowser();
    // 320 px: the narrowest phone the widget has to stay readable on.
    page = await browser.newPage({ viewport: { width: 320, height: 900 } });
    page.setDefaultTimeout(5_000);
    errors = collectPageErrors(page);
    await page.goto(site.url);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await service?.close();
    await emulator?.close();
  });

  it('draws the month, the amount raised and the bar with its tier labels', async () => {
    const label = periodLabel(periodKeyOf(new Date(), 'America/New_York'));
    const widget = page.locator('goalpost-progress');
    await expect.poll(() => widget.getByText(label, { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => widget.locator('.raised').textContent()).toBe('$0 raised of $5,000');
    const bar = page.getByRole('progressbar', { name: 'Support independent journalism' });
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    expect(await bar.getAttribute('aria-valuemax')).toBe('5000');
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    expect(await bar.getAttribute('aria-valuetext')).toBe('$0 raised of $5,000 (0%)');
    expect(await widget.locator('.ticks li').allTextContents()).toEqual(['$0', '$1,000', '$2,500', '$5,000']);
    expect(await widget.locator('.next').textContent()).toBe('Next: Keep the lights on at $1,000 — $1,000 to go');
    // Themed through the custom property the page set.
    expect(await widget.locator('.fill').evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(10, 125, 68)');
  });

  it('moves when a donation lands, without a reload', async () => {
    await addToThisMonth(service, slug, 150_000);
    const bar = page.getByRole('progressbar');
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 3_000 }).toBe('1500');
    expect(await bar.getAttribute('aria-valuetext')).toBe('$1,500 raised of $5,000 (30%)');
    expect(await page.locator('goalpost-progress .raised').textContent()).toBe('$1,500 raised of $5,000');
    expect(await page.locator('goalpost-progress .next').textContent()).toBe('Next: Fund a reporter at $2,500 — $1,000 to go');
    expect(await page.locator('goalpost-progress .tiers li.reached').allTextContents()).toEqual(['$1,000 · Keep the lights on (reached)']);
  });

  it('offers a labelled donate form that works from the keyboard and fits 320 px', async () => {
    const widget = page.locator('goalpost-progress');
    expect(await page.getByRole('radio', { name: '$10' }).isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: 'Donate $10' }).isVisible()).toBe(true);
    await page.getByRole('radio', { name: '$10' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: '$25' }).isChecked()).toBe(true);
    // A person clicks the visible choice (the radio itself is visually hidden behind it).
    await page.locator('goalpost-progress .choice', { hasText: 'Monthly' }).click();
    expect(await page.getByRole('radio', { name: 'Monthly' }).isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: 'Donate $25 monthly' }).isVisible()).toBe(true);

    await page.getByLabel('Other amount (USD)').fill('0.50');
    await page.getByRole('button', { name: 'Donate', exact: true }).click();
    expect(await page.getByRole('alert').textContent()).toBe('The smallest donation is $1.');
    await page.getByLabel('Other amount (USD)').fill('12.50');
    expect(await page.getByRole('radio', { name: 'Other' }).isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: 'Donate $12.50 monthly' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Email for your receipt (optional)').getAttribute('type')).toBe('email');

    const overflow = await widget.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'widget-320px');
    expect(errors).toEqual([]);
  });

  it('takes the donor to the Stripe Checkout page, and the bar moves once they pay', async () => {
    const donor = await browser.newPage({ viewport: { width: 390, height: 900 } });
    donor.setDefaultTimeout(5_000);
    await donor.goto(site.url);
    await donor.locator('goalpost-progress .choice', { hasText: '$50' }).click();
    await donor.getByLabel('Email for your receipt (optional)').fill('reader@example.org');
    await donor.getByRole('button', { name: 'Donate $50' }).click();

    // The emulator's hosted page stands in for Stripe's.
    await donor.waitForURL(`${emulator.url}/**`);
    expect(await donor.getByText('$50.00').isVisible()).toBe(true);
    expect(await donor.getByLabel('Email').inputValue()).toBe('reader@example.org');
    await screenshot(donor, 'widget-checkout-page');
    await donor.getByRole('button', { name: /^(Pay|Donate)$/ }).click();
    await donor.waitForURL(`${site.url}?thanks=1&session_id=cs_*`);

    // The reader's page, still open on the article, moves by itself.
    await expect.poll(() => page.getByRole('progressbar').getAttribute('aria-valuenow'), { timeout: 5_000 }).toBe('1550');
    await donor.close();
  });

  it('polls with If-None-Match where EventSource is missing, and shows the same bar and the same changes', async () => {
    const polling = await browser.newPage({ viewport: { width: 320, height: 900 } });
    polling.setDefaultTimeout(5_000);
    const pollingErrors = collectPageErrors(polling);
    // As in a browser (or behind a proxy) without Server-Sent Events.
    await polling.addInitScript(() => {
      delete (window as { EventSource?: unknown }).EventSource;
    });
    const streamsBefore = service.ctx.progressHub.size;
    await polling.goto(site.url);
    const shown = (p: Page) => p.locator('goalpost-progress .raised').textContent();
    await expect.poll(() => shown(polling)).toBe(await shown(page));
    expect(await polling.locator('goalpost-progress .next').textContent()).toBe(await page.locator('goalpost-progress .next').textContent());

    const notModifiedBefore = await progressReads(service, 304);
    const before = await shown(page);
    await addToThisMonth(service, slug, 10_000);
    await expect.poll(() => shown(page), { timeout: 5_000 }).not.toBe(before);
    const after = await shown(page);
    await expect.poll(() => shown(polling), { timeout: 20_000, interval: 500 }).toBe(after);
    expect(await polling.getByRole('progressbar').getAttribute('aria-valuetext')).toBe(await page.getByRole('progressbar').getAttribute('aria-valuetext'));
    // Unchanged figures are revalidated, not downloaded again: the browser sends If-None-Match and gets 304s.
    await expect.poll(() => progressReads(service, 304), { timeout: 20_000, interval: 1_000 }).toBeGreaterThan(notModifiedBefore);
    expect(service.ctx.progressHub.size).toBe(streamsBefore);
    expect(pollingErrors).toEqual([]);
    await polling.close();
    // Polls are 5-7.5 s apart: seeing a change and then a revalidation takes a few of them.
  }, 60_000);

  it('gives up a stream that a proxy keeps cutting after three tries, then polls with If-None-Match and shows the same bar and changes', async () => {
    // The same article, its widget reaching the API through a proxy that cuts every stream:
    // EventSource reconnects by itself after each cut, until the widget gives the stream up.
    const proxy = await startStreamBlockingProxy(service.url);
    const behindProxy = await startPublisherSite(() => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An article</title>
<script src="${service.url}/widget.js" async></script></head>
<body><goalpost-progress campaign="${slug}" api="${proxy.url}"></goalpost-progress></body></html>`);
    const polling = await browser.newPage({ viewport: { width: 320, height: 900 } });
    polling.setDefaultTimeout(5_000);
    const pollingErrors = collectPageErrors(polling);
    // What the page asked for (the browser's network layer may retry a cut connection by itself).
    const streamTries: number[] = [];
    const polls: number[] = [];
    polling.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.endsWith('/progress/stream')) streamTries.push(Date.now());
      if (pathname.endsWith('/progress')) polls.push(Date.now());
    });
    const streamsBefore = service.ctx.progressHub.size;
    const notModifiedBefore = await progressReads(service, 304);
    try {
      await polling.goto(behindProxy.url);
      // EventSource waits a few seconds between tries; polling starts once the third has failed.
      await expect.poll(() => polls.length, { timeout: 30_000, interval: 500 }).toBeGreaterThan(0);
      expect(streamTries).toHaveLength(3);
      expect(proxy.tries.length).toBeGreaterThanOrEqual(3);
      expect(polls[0]).toBeGreaterThan(streamTries[2]!);
      const shown = (p: Page) => p.locator('goalpost-progress .raised').textContent();
      await expect.poll(() => shown(polling)).toBe(await shown(page));
      expect(await polling.locator('goalpost-progress .next').textContent()).toBe(await page.locator('goalpost-progress .next').textContent());

      const before = await shown(page);
      await addToThisMonth(service, slug, 20_000);
      await expect.poll(() => shown(page), { timeout: 5_000 }).not.toBe(before);
      const after = await shown(page);
      await expect.poll(() => shown(polling), { timeout: 20_000, interval: 500 }).toBe(after);
      expect(await polling.getByRole('progressbar').getAttribute('aria-valuetext')).toBe(await page.getByRole('progressbar').getAttribute('aria-valuetext'));
      // Unchanged figures are revalidated through the proxy: If-None-Match in, 304 out.
      await expect.poll(() => progressReads(service, 304), { timeout: 20_000, interval: 1_000 }).toBeGreaterThan(notModifiedBefore);
      // Given up: no fourth try (the next is minutes away), and the server never held a stream for it.
      expect(streamTries).toHaveLength(3);
      expect(service.ctx.progressHub.size).toBe(streamsBefore);
      // The cut streams are the only thing the page may complain about.
      expect(pollingErrors.filter((error) => !/ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|progress\/stream/.test(error))).toEqual([]);
    } finally {
      await polling.close();
      await behindProxy.close();
      await proxy.close();
    }
  }, 90_000);
});

/** Progress reads answered with `status`, from the service's own request metrics. */
async function progressReads(service: TestService, status: number): Promise<number> {
  const metrics = (await service.api.get('/metrics')).text;
  const line = metrics.split('\n').find((candidate) =>
    candidate.startsWith('goalpost_http_request_duration_seconds_count{') &&
    candidate.includes('route="/v1/campaigns/:slug/progress"') &&
    candidate.includes(`status_code="${status}"`),
  );
  return Number(line?.split(' ').at(-1) ?? 0);
}
