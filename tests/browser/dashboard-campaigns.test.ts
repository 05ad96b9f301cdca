import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { periodKeyOf } from '../../src/domain/period.js';
import { newCampaign } from '../helpers/builders.js';
import { ADMIN_KEY, startTestService, uniqueSlug, type TestService } from '../helpers/service.js';
import { collectPageErrors, launchBrowser, screenshot } from './browser.js';

/** The campaign editor, the status actions and the offline-money screens of the dashboard. */
describe('campaigns and offline money in the dashboard', () => {
  let service: TestService;
  let browser: Browser;
  let readKey: string;

  const signIn = async (context: BrowserContext, key: string, slug?: string): Promise<{ page: Page; errors: string[] }> => {
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    const errors = collectPageErrors(page);
    await page.goto(`${service.url}/admin${slug ? `#campaign=${slug}` : ''}`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await (slug ? page.getByRole('heading', { name: 'This month' }) : page.getByText(/^Signed in as/)).waitFor();
    return { page, errors };
  };

  /** Page errors, less the console line Chromium prints for each 4xx the test provoked on purpose. */
  const unexpected = (errors: string[], ...provoked: number[]) =>
    errors.filter((error) => !provoked.some((status) => error.startsWith(`console: Failed to load resource: the server responded with a status of ${status} `)));
  const readCampaign = async (slug: string) => service.api.get(`/v1/admin/campaigns/${slug}`).set(service.admin);
  const raisedThisMonth = async (slug: string, timezone: string): Promise<number> => {
    const month = periodKeyOf(new Date(), timezone);
    const answer = await service.api.get(`/v1/admin/campaigns/${slug}/months`).query({ from: month, to: month }).set(service.admin);
    return (answer.body.data as { raised: number }[])[0]!.raised;
  };
  const openSettings = async (page: Page) => {
    await page.getByText('Edit the campaign').click();
    return page.getByRole('form', { name: 'Campaign settings' });
  };

  beforeAll(async () => {
    service = await startTestService();
    await service.ctx.progressHub.start();
    readKey = (await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'newsroom', scope: 'read' })).body.key;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  // First in the file: the service has no campaign yet.
  it('offers an empty dashboard a create button (not to a read key), and creates a yen campaign through the form that the API reads back', async () => {
    const readOnly = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const reader = await signIn(readOnly, readKey);
    await reader.page.getByText('No campaigns yet. An admin key can create one.').waitFor();
    expect(await reader.page.getByRole('button', { name: /Create a campaign|New campaign/ }).count()).toBe(0);
    expect(reader.errors).toEqual([]);
    await readOnly.close();

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, ADMIN_KEY);
    await page.getByRole('button', { name: 'Create a campaign' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    const slug = uniqueSlug('tokyo');

    await form.getByLabel('Name', { exact: true }).fill('Tokyo bureau');
    await form.getByLabel('Slug').fill(slug);
    await form.getByLabel('Description', { exact: true }).fill('Reporting from Japan.');
    await form.getByLabel('Currency').fill('jpy');
    await form.getByLabel('Timezone').fill('Asia/Tokyo');
    await form.getByLabel('Goal', { exact: true }).selectOption('monthly');
    await form.getByLabel(/Goal amount/).fill('300000');
    expect(await form.getByText('Goal amount (JPY, whole units)').count()).toBe(1);
    for (const [index, [amount, label]] of ([['100000', 'Rent'], ['250000', 'A reporter']] as const).entries()) {
      await form.getByRole('button', { name: 'Add a tier' }).click();
      const tier = form.getByRole('group', { name: `Tier ${index + 1}` });
      await tier.getByLabel(/Amount/).fill(amount);
      await tier.getByLabel('Label').fill(label);
    }
    await form.getByLabel(/Suggested amounts/).fill('500, 1000 3000');
    await form.getByLabel(/Smallest donation/).fill('100');
    await form.getByLabel(/Largest donation/).fill('1,000,000');
    await form.getByLabel('Allowed redirect origins').fill('https://tokyo.example\nhttps://news.example');
    await form.getByLabel('Show amounts on the supporters wall').check();
    await form.getByLabel('Organisation name').fill('Tokyo News KK');
    await form.getByLabel('Tax sentence').fill('No goods or services were provided.');
    await form.getByRole('button', { name: 'Create campaign' }).click();

    // The page is drawn again with the new campaign chosen.
    await expect.poll(() => page.locator('#campaign-picker').inputValue()).toBe(slug);
    const saved = await readCampaign(slug);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      name: 'Tokyo bureau',
      description: 'Reporting from Japan.',
      currency: 'jpy',
      timezone: 'Asia/Tokyo',
      goal: { period: 'monthly', amount: 300_000 },
      tiers: [
        { amount: 100_000, label: 'Rent', description: '' },
        { amount: 250_000, label: 'A reporter', description: '' },
      ],
      amount_presets: [500, 1_000, 3_000],
      min_amount: 100,
      max_amount: 1_000_000,
      allowed_redirect_origins: ['https://tokyo.example', 'https://news.example'],
      show_amounts: true,
      status: 'active',
      receipt_settings: { org_name: 'Tokyo News KK', tax_sentence: 'No goods or services were provided.' },
    });
    // Its settings show the amounts as typed, in whole yen.
    const settings = await openSettings(page);
    expect(await settings.getByLabel(/Goal amount/).inputValue()).toBe('300000');
    expect(await settings.getByLabel('Currency').getAttribute('readonly')).not.toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows an out-of-order tier beside that tier, focused, and creates nothing', async () => {
    const existing = await newCampaign(service);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, ADMIN_KEY, existing.slug);
    const before = (await service.api.get('/v1/admin/campaigns').query({ limit: 100 }).set(service.admin)).body.data.length;
    await page.getByRole('button', { name: 'New campaign' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    const slug = uniqueSlug('backwards');
    await form.getByLabel('Name', { exact: true }).fill('Backwards tiers');
    await form.getByLabel('Slug').fill(slug);
    await form.getByLabel('Currency').fill('usd');
    await form.getByLabel(/Goal amount/).fill('5,000');
    for (const [index, amount] of ['2500', '1000.50'].entries()) {
      await form.getByRole('button', { name: 'Add a tier' }).click();
      const tier = form.getByRole('group', { name: `Tier ${index + 1}` });
      await tier.getByLabel(/Amount/).fill(amount);
      await tier.getByLabel('Label').fill(`Tier ${amount}`);
    }
    await form.getByRole('button', { name: 'Create campaign' }).click();

    const second = form.getByRole('group', { name: 'Tier 2' }).getByLabel(/Amount/);
    await expect.poll(() => second.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await second.getAttribute('aria-describedby'))!.split(' ');
    const errorText = await page.locator(`[id="${describedBy.at(-1)}"]`).textContent();
    expect(errorText).toBe('tiers must be strictly ascending');
    expect(await second.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await form.getByRole('group', { name: 'Tier 1' }).getByLabel(/Amount/).getAttribute('aria-invalid')).toBeNull();
    expect(await form.getByRole('alert').textContent()).toContain('The campaign is not valid.');
    expect((await readCampaign(slug)).status).toBe(404);
    expect((await service.api.get('/v1/admin/campaigns').query({ limit: 100 }).set(service.admin)).body.data.length).toBe(before);

    // Moving the second tier up fixes the order; the form then creates the campaign.
    await form.getByRole('group', { name: 'Tier 2' }).getByRole('button', { name: 'Move up' }).click();
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await expect.poll(async () => (await readCampaign(slug)).status).toBe(200);
    expect((await readCampaign(slug)).body.tiers.map((tier: { amount: number }) => tier.amount)).toEqual([100_050, 250_000]);
    await screenshot(page, 'dashboard-campaign-created');
    expect(unexpected(errors, 400)).toEqual([]);
    await context.close();
  });

  it('edits the goal of a campaign; an origin the API refuses is shown beside the origins', async () => {
    const campaign = await newCampaign(service);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, ADMIN_KEY, campaign.slug);
    let settings = await openSettings(page);
    expect(await settings.getByLabel(/Goal amount/).inputValue()).toBe('5000.00');

    await settings.getByLabel('Allowed redirect origins').fill('https://news.example\nnews.example/path');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    const origins = settings.getByLabel('Allowed redirect origins');
    await expect.poll(() => origins.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#campaign-origins-error').textContent()).toMatch(/^line 2: an origin such as/);

    await origins.fill('https://news.example');
    await settings.getByLabel('Goal', { exact: true }).selectOption('total');
    await settings.getByLabel(/Goal amount/).fill('7,500.50');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await readCampaign(campaign.slug)).body.goal).toEqual({ period: 'total', amount: 750_050 });
    // Fields not touched are sent back as they were.
    const saved = (await readCampaign(campaign.slug)).body;
    expect(saved.tiers.map((tier: { amount: number }) => tier.amount)).toEqual([100_000, 250_000, 500_000]);
    expect(saved.amount_presets).toEqual([500, 1_000, 2_500, 5_000]);
    expect(saved.min_amount).toBe(100);
    settings = await openSettings(page);
    expect(await settings.getByLabel(/Goal amount/).inputValue()).toBe('7500.50');
    expect(unexpected(errors, 400)).toEqual([]);
    await context.close();
  });

  it('reads "1,000" among the suggested amounts as one thousand, splits on spaces, semicolons and ", ", and reports "10,25" beside the field without saving', async () => {
    const campaign = await newCampaign(service);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, ADMIN_KEY, campaign.slug);
    const settings = await openSettings(page);
    const presets = settings.getByLabel(/Suggested amounts/);
    const hint = await page.locator(`[id="${(await presets.getAttribute('aria-describedby'))!.split(' ')[0]}"]`).textContent();
    expect(hint).toContain('a comma between digits groups thousands');

    // Neither 10 and 25 nor 1025: an amount nobody can read for sure is refused, and nothing is sent.
    await presets.fill('10,25');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => presets.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#campaign-presets-error').textContent()).toMatch(/enter an amount such as 25 or 12\.50/);
    expect((await readCampaign(campaign.slug)).body.amount_presets).toEqual([500, 1_000, 2_500, 5_000]);

    await presets.fill('10, 25; 1,000 2,500.50');
    await settings.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await readCampaign(campaign.slug)).body.amount_presets).toEqual([1_000, 2_500, 100_000, 250_050]);
    expect(await (await openSettings(page)).getByLabel(/Suggested amounts/).inputValue()).toBe('10.00, 25.00, 1000.00, 2500.50');
    expect(unexpected(errors, 400)).toEqual([]);
    await context.close();
  });

  it('pauses a campaign (the public checkout then answers 409), resumes it, and archives it after a confirmation', async () => {
    const campaign = await newCampaign(service);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, ADMIN_KEY, campaign.slug);
    const settings = page.getByRole('region', { name: 'Campaign settings' });

    await settings.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog', { name: /^Pause/ }).getByRole('button', { name: 'Pause' }).click();
    await expect.poll(async () => (await readCampaign(campaign.slug)).body.status).toBe('paused');
    const checkout = await service.api.post(`/v1/campaigns/${campaign.slug}/checkout`).send({ amount: 2500 });
    expect(checkout.status).toBe(409);
    expect(checkout.body.code).toBe('campaign_not_accepting');

    await settings.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(async () => (await readCampaign(campaign.slug)).body.status).toBe('active');

    // Cancelling the archive dialog changes nothing.
    await settings.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('dialog', { name: /^Archive/ }).getByRole('button', { name: 'Cancel' }).click();
    expect((await readCampaign(campaign.slug)).body.status).toBe('active');
    await settings.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('dialog', { name: /^Archive/ }).getByRole('button', { name: 'Archive' }).click();
    await expect.poll(async () => (await readCampaign(campaign.slug)).body.status).toBe('archived');
    expect((await service.api.get(`/v1/campaigns/${campaign.slug}`)).status).toBe(404);
    await expect.poll(() => settings.getByRole('button', { name: 'Restore' }).count()).toBe(1);
    expect(unexpected(errors, 404)).toEqual([]);
    await context.close();
  });

  it('records one offline donation, dry-runs a CSV with a good, an already imported and a bad row, imports it, and voids a donation', async () => {
    const campaign = await newCampaign(service);
    const timezone = campaign.timezone;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, ADMIN_KEY, campaign.slug);
    const offline = page.getByRole('region', { name: 'Offline money' });

    // One cheque, recorded by hand.
    await offline.getByText('Record one offline donation').click();
    const record = offline.getByRole('form', { name: 'Record one offline donation' });
    expect(await record.getByLabel('Received on').inputValue()).toBe(today);
    await record.getByLabel('Amount (USD)').fill('50.00');
    await record.getByLabel('Method').selectOption('check');
    await record.getByLabel('Reference').fill('CHK-7');
    await record.getByLabel('Donor name').fill('Ada Lovelace');
    await record.getByRole('button', { name: 'Record donation' }).click();
    await expect.poll(() => raisedThisMonth(campaign.slug, timezone)).toBe(5_000);
    // The same reference again is refused beside the reference.
    await record.getByLabel('Amount (USD)').fill('10');
    await record.getByLabel('Reference').fill('CHK-7');
    await record.getByRole('button', { name: 'Record donation' }).click();
    await expect.poll(() => record.getByLabel('Reference').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#offline-reference-error').textContent()).toBe('already recorded for this campaign');
    expect(await raisedThisMonth(campaign.slug, timezone)).toBe(5_000);

    // The import: a dry run first, which writes nothing.
    const csv =
      'amount,currency,received_at,method,reference,name,email\n' +
      `12000,usd,${today},bank_transfer,TR-1,Grace Hopper,grace@example.org\n` +
      `5000,usd,${today},check,CHK-7,Ada Lovelace,\n` +
      `twelve,usd,${today},cash,CASH-1,Alan Turing,\n`;
    const importForm = offline.getByRole('form', { name: 'Import past donations' });
    await importForm.getByLabel('CSV file').setInputFiles({ name: 'past.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await importForm.getByRole('button', { name: 'Check the file' }).click();
    const results = importForm.getByRole('table', { name: 'Import results by row' });
    await results.waitFor();
    const rows = results.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('TR-1ok');
    expect(await rows.nth(1).textContent()).toContain('CHK-7skipped (already imported)');
    expect(await rows.nth(2).textContent()).toMatch(/CASH-1error.*amount/);
    expect(await importForm.locator('.import-counts').textContent()).toBe('3 rows1 ready to import1 skipped (already imported)1 with errors (they will not be imported)');
    expect(await raisedThisMonth(campaign.slug, timezone)).toBe(5_000);

    // Then for real: the good row moves the month.
    await importForm.getByRole('button', { name: 'Import 1 row' }).click();
    await importForm.getByRole('heading', { name: 'Import finished' }).waitFor();
    expect(await importForm.locator('.import-counts').textContent()).toContain('1 imported');
    await expect.poll(() => raisedThisMonth(campaign.slug, timezone)).toBe(17_000);
    // The bar follows live.
    await expect.poll(() => page.getByRole('progressbar').first().getAttribute('aria-valuenow')).toBe('170');

    // Voiding the imported transfer takes it out again, after a confirmation.
    const donations = page.getByRole('region', { name: 'Donations' });
    const transfer = donations.getByRole('row', { name: /TR-1/ });
    await expect.poll(() => transfer.count(), { timeout: 5_000 }).toBe(1);
    expect(await transfer.getByRole('button', { name: 'Refund' }).count()).toBe(0);
    await transfer.getByRole('button', { name: 'Void' }).click();
    await page.getByRole('dialog', { name: 'Void this offline donation?' }).getByRole('button', { name: 'Void' }).click();
    await expect.poll(() => raisedThisMonth(campaign.slug, timezone)).toBe(5_000);
    await expect.poll(() => donations.getByRole('row', { name: /TR-1/ }).textContent()).toContain('voided');
    await screenshot(page, 'dashboard-offline-import');
    expect(unexpected(errors, 409)).toEqual([]);
    await context.close();
  });

  it('shows a large file as counts and lists only the rows that will not be imported', async () => {
    const campaign = await newCampaign(service);
    const month = periodKeyOf(new Date(), campaign.timezone);
    const lines = ['amount,currency,received_at,method,reference,name,email'];
    for (let index = 1; index <= 3_000; index += 1) lines.push(`${index % 500 === 0 ? '-5' : '2500'},usd,${month}-01,check,BIG-${index},,`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, ADMIN_KEY, campaign.slug);
    const importForm = page.getByRole('form', { name: 'Import past donations' });
    await importForm.getByLabel('CSV file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await importForm.getByRole('button', { name: 'Check the file' }).click();
    const results = importForm.getByRole('table', { name: 'Import results by row' });
    await results.waitFor({ timeout: 30_000 });
    expect(await importForm.locator('.import-counts').textContent()).toBe('3,000 rows2,994 ready to import0 skipped (already imported)6 with errors (they will not be imported)');
    expect(await importForm.getByText('The first 6 rows that will not be imported:').count()).toBe(1);
    expect(await results.locator('tbody tr').allTextContents()).toEqual(
      [500, 1_000, 1_500, 2_000, 2_500, 3_000].map((row) => expect.stringContaining(`${row}${row + 1}BIG-${row}error`)),
    );
    expect(await importForm.getByRole('button', { name: 'Import 2,994 rows' }).count()).toBe(1);
    expect(await raisedThisMonth(campaign.slug, campaign.timezone)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a read-only key the settings disabled, with no create, status or offline-money actions', async () => {
    const campaign = await newCampaign(service);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { page, errors } = await signIn(context, readKey, campaign.slug);
    expect(await page.getByRole('button', { name: 'New campaign' }).count()).toBe(0);
    const settings = page.getByRole('region', { name: 'Campaign settings' });
    await settings.getByText('Show the settings').click();
    expect(await settings.getByLabel('Name', { exact: true }).inputValue()).toBe('Support independent journalism');
    expect(await settings.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    expect(await settings.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Offline money' }).count()).toBe(0);
    await screenshot(page, 'dashboard-campaign-read-only');
    expect(errors).toEqual([]);
    await context.close();
  });
});
