import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { newCampaign } from '../helpers/builders.js';
import { newSucceededDonation } from '../helpers/donations.js';
import { ADMIN_KEY, startTestService, type TestService } from '../helpers/service.js';
import { collectPageErrors, launchBrowser, screenshot } from './browser.js';

describe("the dashboard's breakdown of this month's money by source", () => {
  let service: TestService;
  let browser: Browser;
  let slug: string;

  beforeAll(async () => {
    service = await startTestService();
    slug = (await newCampaign(service)).slug;
    for (const [amount, source, medium] of [[3_000, 'newsletter', 'email'], [1_000, 'newsletter', 'social'], [5_000, 'article-42', 'email'], [700, null, null]] as const) {
      const { id } = await newSucceededDonation(service, slug, { amount });
      await service.ctx.db.query('UPDATE donations SET source = $2, utm_medium = $3 WHERE id = $1', [id, source, medium]);
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('lists each source with what it raised, and regroups by a UTM field', async () => {
    const page = await browser.newPage();
    // The machine running the suite is shared: generous waits, the assertions are on what shows.
    page.setDefaultTimeout(15_000);
    const errors = collectPageErrors(page);
    await page.goto(`${service.url}/admin#campaign=${slug}`);
    await page.getByLabel('API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const section = page.getByRole('region', { name: 'Money by source' });
    const rows = () => section.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    await expect.poll(rows, { timeout: 10_000 }).toEqual([
      ['article-42', '$50', '1'],
      ['newsletter', '$40', '2'],
      ['(none)', '$7', '1'],
    ]);
    await section.getByLabel('Group by').selectOption('utm_medium');
    await expect.poll(rows, { timeout: 10_000 }).toEqual([
      ['email', '$80', '2'],
      ['social', '$10', '1'],
      ['(none)', '$7', '1'],
    ]);
    await screenshot(page, 'dashboard-sources');
    expect(errors).toEqual([]);
  });
});
