import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { collectPageErrors, launchBrowser, screenshot, startPublisherSite } from './browser.js';

describe('<goalpost-supporters> on a publisher page (another origin)', () => {
  let service: TestService;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startPublisherSite>>;
  let page: Page;
  let errors: string[];
  let slug: string;

  const record = (reference: string, donor: Record<string, string>, amount = 2_500) =>
    service.api
      .post(`/v1/admin/campaigns/${slug}/offline-donations`)
      .set(service.admin)
      .send({ amount, received_at: new Date(Date.now() - 1_000).toISOString(), method: 'cash', reference, donor })
      .expect(201);

  beforeAll(async () => {
    service = await startTestService();
    service.startWorkers();
    await service.ctx.progressHub.start();
    slug = (await newCampaign(service, { show_amounts: true })).slug;
    await record('S-1', { name: 'Ada Lovelace' }, 5_000);
    site = await startPublisherSite(() => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Our supporters</title>
<script src="${service.url}/widget.js" async></script></head>
<body><h1>Thank you</h1><goalpost-supporters campaign="${slug}" limit="5"></goalpost-supporters></body></html>`);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 360, height: 700 } });
    page.setDefaultTimeout(5_000);
    errors = collectPageErrors(page);
    await page.goto(site.url);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await service?.close();
  });

  const names = () => page.locator('goalpost-supporters').locator('.name').allTextContents();

  it('shows who gave, with amounts when the campaign shows them', async () => {
    await expect.poll(names).toEqual(['Ada Lovelace']);
    expect(await page.locator('goalpost-supporters .amount').textContent()).toBe('$50');
  });

  it('adds a new supporter live, without a reload, and shows messages as text', async () => {
    const { rows } = await service.ctx.db.query<{ id: string }>(
      `UPDATE donations SET message = '<img src=x onerror=alert(1)>' WHERE offline_reference = 'S-1' RETURNING id`,
    );
    await record('S-2', { name: 'Grace Hopper' });
    await expect.poll(names, { timeout: 10_000 }).toEqual(['Grace Hopper', 'Ada Lovelace']);
    expect(await page.locator('goalpost-supporters .message').textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('goalpost-supporters img').count()).toBe(0);

    // Hidden by an admin: gone from the wall at its next refresh (the next donation).
    await service.api.patch(`/v1/admin/donations/${rows[0]!.id}`).set(service.admin).send({ message_hidden: true }).expect(200);
    await record('S-3', { name: 'Katherine Johnson' });
    await expect.poll(names, { timeout: 10_000 }).toEqual(['Katherine Johnson', 'Grace Hopper', 'Ada Lovelace']);
    expect(await page.locator('goalpost-supporters .message').count()).toBe(0);
    await screenshot(page, 'supporters-wall');
    expect(errors).toEqual([]);
  });
});
