import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensurePeriod } from '../../src/db/periods.js';
import { periodKeyOf, periodLabel, previousPeriodKey } from '../../src/domain/period.js';
import { newCampaign } from '../helpers/builders.js';
import { newSucceededDonation } from '../helpers/donations.js';
import { addToThisMonth } from '../helpers/progress-stream.js';
import { ADMIN_KEY, startTestService, type TestService } from '../helpers/service.js';
import { collectPageErrors, launchBrowser, screenshot } from './browser.js';

describe('the admin dashboard', () => {
  let service: TestService;
  let browser: Browser;
  let slug: string;
  let readKey: string;
  const thisMonth = periodKeyOf(new Date(), 'America/New_York');
  const lastMonth = previousPeriodKey(thisMonth);

  const signIn = async (context: BrowserContext, key: string): Promise<{ page: Page; errors: string[] }> => {
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    const errors = collectPageErrors(page);
    await page.goto(`${service.url}/admin#campaign=${slug}`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'This month' }).waitFor();
    return { page, errors };
  };

  beforeAll(async () => {
    service = await startTestService({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    await service.ctx.progressHub.start();
    slug = (await newCampaign(service)).slug;
    readKey = (await service.api.post('/v1/admin/api-keys').set(service.admin).send({ name: 'newsroom', scope: 'read' })).body.key;
    // Three donors this month, and a good month before it with two tiers reached.
    for (const [name, amount] of [['Ada Lovelace', 2_500], ['Grace Hopper', 5_000], ['Alan Turing', 1_000]] as const) {
      await newSucceededDonation(service, slug, { name, amount, email: `${name.split(' ')[0]!.toLowerCase()}@example.org` });
    }
    await addToThisMonth(service, slug, 8_500);
    const { rows } = await service.ctx.db.query<{ id: number }>('SELECT id FROM campaigns WHERE slug = $1', [slug]);
    const campaignId = rows[0]!.id;
    await ensurePeriod(service.ctx.db, campaignId, lastMonth);
    await service.ctx.db.query(
      `UPDATE campaign_periods SET raised = 300000, donations_count = 40, donors_count = 38 WHERE campaign_id = $1 AND period_key = $2`,
      [campaignId, lastMonth],
    );
    await service.ctx.db.query(
      `INSERT INTO tier_crossings (campaign_id, period_key, kind, amount, reached_at)
       VALUES ($1, $2, 'tier', 100000, now()), ($1, $2, 'tier', 250000, now())`,
      [campaignId, lastMonth],
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('signs in with an admin key and shows the month, the chart, the donations; searches, exports, goes live', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const { page, errors } = await signIn(context, ADMIN_KEY);
    expect(await page.getByText('Signed in as ADMIN_API_KEY (admin)').isVisible()).toBe(true);

    // This month's bar, drawn by the widget.
    const bar = page.getByRole('progressbar', { name: 'Support independent journalism' });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('85');
    expect(await page.locator('goalpost-progress').getByText(periodLabel(thisMonth), { exact: true }).isVisible()).toBe(true);

    // The 12-month chart and its figures.
    // Drawn once the months' figures arrive, after the bar.
    await expect.poll(() => page.getByRole('img', { name: 'Raised against goal for the last 12 months' }).isVisible()).toBe(true);
    expect(await page.locator('svg.chart g.month').count()).toBe(12);
    expect(await page.locator(`svg.chart g.month[data-month="${lastMonth}"] circle.tier`).count()).toBe(2);
    await page.getByText('Show the figures').click();
    const figures = page.getByRole('table', { name: 'Monthly figures' });
    expect(await figures.locator('tbody tr').count()).toBe(12);
    expect(await figures.locator('tbody tr').first().textContent()).toContain(`${periodLabel(thisMonth)}$85$5,000`);
    expect(await figures.getByRole('row', { name: new RegExp(periodLabel(lastMonth)) }).textContent()).toContain('$3,000$5,000');

    // Donations, newest first, with admin actions.
    const donations = page.getByRole('table', { name: 'Donations' });
    await expect.poll(() => donations.locator('tbody tr').count()).toBe(3);
    expect(await donations.locator('tbody tr').first().textContent()).toContain('Alan Turing');
    expect(await donations.getByRole('button', { name: 'Refund' }).count()).toBe(3);

    await page.getByLabel('Search donors').fill('grace');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => donations.locator('tbody tr').count()).toBe(1);
    expect(await donations.locator('tbody tr').textContent()).toContain('grace@example.org');
    expect(await donations.locator('tbody tr').textContent()).toContain('$50');

    // The export carries the same filters.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`donations-${slug}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,paid_at,month,campaign,status/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Grace Hopper');

    // Refunds ask first; cancelling changes nothing.
    await donations.getByRole('button', { name: 'Refund' }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund this donation?' });
    expect(await dialog.getByLabel('Amount to refund (USD)').inputValue()).toBe('50.00');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.count()).toBe(0);

    // A donation landing moves the bar and the chart without a reload.
    await addToThisMonth(service, slug, 10_000);
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 3_000 }).toBe('185');
    await expect.poll(() => page.getByRole('table', { name: 'Monthly figures' }).locator('tbody tr').first().textContent(), { timeout: 3_000 }).toContain('$185');

    await screenshot(page, 'dashboard-admin');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists failed Stripe events with replay, and webhook endpoints with their deliveries', async () => {
    const eventId = `evt_dash_${slug}`;
    await service.ctx.db.query(
      `INSERT INTO stripe_events (id, type, created, payload, status, attempts, last_error)
       VALUES ($1, 'charge.refunded', now(), '{}', 'failed', 8, 'database went away')`,
      [eventId],
    );
    const endpoint = await service.api
      .post('/v1/admin/webhook-endpoints')
      .set(service.admin)
      .send({ url: 'http://127.0.0.1:9/goalpost-hook', events: ['donation.succeeded'], description: 'CRM sync' });
    expect(endpoint.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, errors } = await signIn(context, ADMIN_KEY);

    const failed = page.getByRole('table', { name: 'Failed Stripe events' });
    const row = failed.getByRole('row', { name: new RegExp(eventId) });
    expect(await row.textContent()).toContain('database went away');
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('dialog', { name: 'Replay this Stripe event?' }).getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'queued again' }).count()).toBe(1);
    await expect.poll(() => failed.getByRole('row', { name: new RegExp(eventId) }).count()).toBe(0);

    await page.getByText('http://127.0.0.1:9/goalpost-hook').click();
    await expect.poll(() => page.getByText('No deliveries yet.').isVisible()).toBe(true);
    await screenshot(page, 'dashboard-events-and-webhooks');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps no key in the page: an HttpOnly session survives a reload, and signing out ends it server-side', async () => {
    const context = await browser.newContext();
    const { page, errors } = await signIn(context, ADMIN_KEY);
    const stored = await page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage }, cookie: document.cookie }));
    expect(stored).not.toContain(ADMIN_KEY);
    expect(JSON.parse(stored)).toEqual({ session: {}, local: {}, cookie: '' });
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'goalpost_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(ADMIN_KEY);

    await page.reload();
    await page.getByRole('heading', { name: 'This month' }).waitFor();
    expect(await page.getByText('Signed in as ADMIN_API_KEY (admin)').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    // The old cookie value no longer opens anything.
    expect((await service.api.get('/v1/admin/me').set('Cookie', `goalpost_session=${cookie!.value}`)).status).toBe(401);
    await page.reload();
    await page.getByLabel('API key').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets an admin open the queue dashboard with the session the sign-in started', async () => {
    const context = await browser.newContext();
    const { page } = await signIn(context, ADMIN_KEY);
    await page.goto(`${service.url}/admin/queues`);
    await page.getByText('stripe-events').first().waitFor({ timeout: 10_000 });
    expect(await page.title()).toBe('Goalpost queues');
    await screenshot(page, 'queue-dashboard');
    await context.close();
  });

  it('shows a read-only key the figures but no actions', async () => {
    const context = await browser.newContext();
    const { page, errors } = await signIn(context, readKey);
    expect(await page.getByText('Signed in as newsroom (read only)').isVisible()).toBe(true);
    const donations = page.getByRole('table', { name: 'Donations' });
    await expect.poll(() => donations.locator('tbody tr').count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Refund' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Resend receipt' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Queues' }).count()).toBe(0);
    await screenshot(page, 'dashboard-read-only');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a wrong key on the sign-in form', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await page.goto(`${service.url}/admin`);
    await page.getByLabel('API key').fill('not-a-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That key is not valid or has been revoked.');
    await context.close();
  });
});
