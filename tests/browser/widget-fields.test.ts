/**
 * The widget's optional fields and its languages, in Chromium on a publisher's page: what the
 * donor fills in reaches the stored donation through Stripe Checkout (the emulator), and a
 * French page gets a French widget with French amounts and month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { donationCharge } from '../../src/domain/fees.js';
import { periodKeyOf } from '../../src/domain/period.js';
import { newCampaign } from '../helpers/builders.js';
import { eventually } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { collectPageErrors, launchBrowser, screenshot, startPublisherSite } from './browser.js';

let emulator: TestStripeEmulator;
let service: TestService;
let browser: Browser;
let site: Awaited<ReturnType<typeof startPublisherSite>>;
let slug: string;
/** The widget markup the next page load serves, and the page's own language. */
let widget = '';
let pageLang = 'en';

beforeAll(async () => {
  emulator = await startStripeEmulator();
  // A fee schedule other than the default, so the widget can only be right by reading it from the API.
  service = await startTestService({ ...emulator.env, FEE_PERCENT: '3.4', FEE_FIXED: '25' });
  emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
  service.startWorkers();
  slug = (await newCampaign(service)).slug;
  site = await startPublisherSite(() => `<!doctype html>
<html lang="${pageLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Article</title><script src="${service.url}/widget.js" async></script></head>
<body><h1>Article</h1>${widget}</body></html>`);
  await service.api.patch(`/v1/admin/campaigns/${slug}`).set(service.admin).send({ allowed_redirect_origins: [new URL(site.url).origin] }).expect(200);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await service?.close();
  await emulator?.close();
});

async function open(markup: string, lang = 'en', query = ''): Promise<{ page: Page; errors: string[] }> {
  widget = markup;
  pageLang = lang;
  // 320 px: the narrowest phone the widget has to stay readable on.
  const page = await browser.newPage({ viewport: { width: 320, height: 1000 } });
  page.setDefaultTimeout(5_000);
  const errors = collectPageErrors(page);
  await page.goto(`${site.url}${query}`);
  await page.locator('goalpost-progress form').waitFor();
  return { page, errors };
}

async function storedDonation(sessionId: string) {
  const id = await eventually(async () => {
    const { rows } = await service.ctx.db.query("SELECT id FROM donations WHERE checkout_session_id = $1 AND status = 'succeeded'", [sessionId]);
    return rows[0]?.id as string | undefined;
  }, 15_000, 'the donation to be booked');
  const response = await service.api.get(`/v1/admin/donations/${id}`).set(service.admin).expect(200);
  return response.body;
}

describe('the donate form asks what the checkout takes', () => {
  it('sends name, message, anonymity and the covered fee, shown as the API computes it, and the donation is stored with them', async () => {
    const { page, errors } = await open(`<goalpost-progress campaign="${slug}" success-url="${site.url}?thanks=1"></goalpost-progress>`);
    const form = page.locator('goalpost-progress form');
    await form.locator('.choice', { hasText: '$25' }).click();
    await page.getByLabel('Email for your receipt (optional)').fill('reader@example.org');
    await page.getByLabel('Your name (optional)').fill('Grace Hopper');

    // The counter counts characters as people do, and says so politely to screen readers.
    const message = page.getByLabel('A message for the campaign (optional)');
    await message.fill('Keep digging 🔎');
    expect(await message.getAttribute('aria-describedby')).toBeTruthy();
    expect(await form.locator('.hint').first().textContent()).toBe('486 characters left');

    // Keyboard: Space ticks the focused checkboxes.
    await page.getByLabel('Give anonymously (your name and message are not shown publicly)').focus();
    await page.keyboard.press('Space');
    const cover = page.getByLabel('Cover the processing fee');
    await cover.focus();
    await page.keyboard.press('Space');
    expect(await cover.isChecked()).toBe(true);

    // 3.4% + 25: the same function the checkout charges with.
    const { fee, total } = donationCharge(2_500, 'usd', true, { percent: 3.4, fixed: 25 });
    expect({ fee, total }).toEqual({ fee: 114, total: 2_614 });
    expect(await page.locator(`#${await cover.getAttribute('aria-describedby')}`).textContent()).toBe('+ $1.14 to cover fees, total $26.14');
    expect(await page.getByRole('button', { name: 'Donate $26.14' }).isVisible()).toBe(true);

    const overflow = await page.locator('goalpost-progress').evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'widget-fields-320px');
    expect(errors).toEqual([]);

    await page.getByRole('button', { name: 'Donate $26.14' }).click();
    await page.waitForURL(`${emulator.url}/**`);
    expect(await page.getByText('$26.14').first().isVisible()).toBe(true);
    await page.getByRole('button', { name: /^(Pay|Donate)$/ }).click();
    await page.waitForURL(`${site.url}?thanks=1&session_id=cs_*`);
    const sessionId = new URL(page.url()).searchParams.get('session_id')!;

    const donation = await storedDonation(sessionId);
    expect(donation).toMatchObject({
      amount: 2_500,
      fee_amount: 114,
      currency: 'usd',
      donor: { email: 'reader@example.org', name: 'Grace Hopper', anonymous: true },
      message: 'Keep digging 🔎',
    });
    const { rows } = await service.ctx.db.query('SELECT locale FROM checkouts WHERE session_id = $1', [sessionId]);
    expect(rows[0].locale).toBe('en');
    await page.close();
  }, 60_000);

  it('refuses a message over 500 characters before calling the API, and counts down past the limit', async () => {
    const { page } = await open(`<goalpost-progress campaign="${slug}"></goalpost-progress>`);
    const message = page.getByLabel('A message for the campaign (optional)');
    await message.fill('x'.repeat(502));
    expect(await page.locator('goalpost-progress form .hint').first().textContent()).toBe('2 characters too many');
    await page.getByRole('button', { name: 'Donate $10' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('The message can have at most 500 characters.');
    expect(await message.getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(site.url);
    await page.close();
  });

  it('asks only for the fields the fields attribute names', async () => {
    const { page } = await open(`<goalpost-progress campaign="${slug}" fields="name cover-fee"></goalpost-progress>`);
    const labels = await page.locator('goalpost-progress form label:not(.choice)').allTextContents();
    expect(labels).toEqual(['Other amount (USD)', 'Your name (optional)', 'Cover the processing fee']);
    await page.close();
    const bare = await open(`<goalpost-progress campaign="${slug}" fields=""></goalpost-progress>`);
    expect(await bare.page.locator('goalpost-progress form :is(input[type=email], input[type=checkbox], textarea)').count()).toBe(0);
    await bare.page.close();
  });
});

describe('the widget sends what brought the donor', () => {
  it("takes utm_* from the page's address and source from its attribute over the address's, and the donation keeps them", async () => {
    const tooLong = 'x'.repeat(65);
    const { page, errors } = await open(
      `<goalpost-progress campaign="${slug}" source="front-page" fields="" success-url="${site.url}?thanks=1"></goalpost-progress>`,
      'en',
      `?utm_source=newsletter&utm_campaign=nov&source=ignored&utm_medium=${tooLong}`,
    );
    await page.getByRole('button', { name: 'Donate $10' }).click();
    await page.waitForURL(`${emulator.url}/**`);
    await page.getByRole('button', { name: /^(Pay|Donate)$/ }).click();
    await page.waitForURL(`${site.url}?thanks=1&session_id=cs_*`);
    const sessionId = new URL(page.url()).searchParams.get('session_id')!;

    // The overlong utm_medium is left out (the API would refuse the checkout for it), not cut.
    const donation = await storedDonation(sessionId);
    expect(donation.attribution).toEqual({ source: 'front-page', utm_source: 'newsletter', utm_medium: null, utm_campaign: 'nov' });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("without a source attribute, takes the page address's ?source=", async () => {
    const { page } = await open(`<goalpost-progress campaign="${slug}" fields=""></goalpost-progress>`, 'en', '?source=%20article-42%20');
    const request = page.waitForRequest((request) => request.url().endsWith(`/v1/campaigns/${slug}/checkout`));
    await page.getByRole('button', { name: 'Donate $10' }).click();
    expect((await request).postDataJSON()).toMatchObject({ source: 'article-42' });
    expect((await request).postDataJSON()).not.toHaveProperty('utm_source');
    await page.close();
  });
});

describe('the widget in French', () => {
  it('labels, amounts and the month follow the page language, and the checkout names it', async () => {
    const { page, errors } = await open(`<goalpost-progress campaign="${slug}"></goalpost-progress>`, 'fr');
    const progress = (await service.api.get(`/v1/campaigns/${slug}/progress`).expect(200)).body;
    const usd = (amount: number) =>
      new Intl.NumberFormat('fr', { style: 'currency', currency: 'USD', minimumFractionDigits: amount % 100 ? 2 : 0, maximumFractionDigits: 2 }).format(amount / 100);
    const element = page.locator('goalpost-progress');
    const [year, month] = periodKeyOf(new Date(), 'America/New_York').split('-');
    const monthName = new Intl.DateTimeFormat('fr', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(year), Number(month) - 1, 15)));
    expect(await element.locator('.month').textContent()).toBe(`${monthName} ${year}`.toLocaleUpperCase('fr'));
    // e.g. "0 $US collectés sur 5 000 $US": French digit grouping and currency placement from Intl.
    expect(await element.locator('.raised').textContent()).toBe(`${usd(progress.raised)} collectés sur ${usd(500_000)}`);
    expect(usd(500_000)).toMatch(/^5\s000\s\$US$/);
    expect(await element.locator('.next').textContent()).toBe(
      `Prochain palier : Keep the lights on à ${usd(100_000)} — encore ${usd(progress.next_tier.remaining)}`,
    );

    expect(await page.getByRole('group', { name: 'Montant' }).isVisible()).toBe(true);
    expect(await page.getByRole('radio', { name: usd(1_000) }).isChecked()).toBe(true);
    // A French donor writes the decimal comma: "12,50" is 12.50 $US, never 1 250 $US.
    const other = page.getByLabel('Autre montant (USD)');
    await other.fill('12,50');
    expect(await page.getByRole('button', { name: `Donner ${usd(1_250)}` }).isVisible()).toBe(true);
    await page.getByRole('radio', { name: usd(1_000) }).check();
    expect(await other.inputValue()).toBe('');
    await page.getByLabel('Couvrir les frais de paiement').check();
    const { fee, total } = donationCharge(1_000, 'usd', true, { percent: 3.4, fixed: 25 });
    expect(await element.locator('.check .hint').last().textContent()).toBe(`+ ${usd(fee)} pour couvrir les frais, total ${usd(total)}`);
    await element.locator('.choice', { hasText: 'Chaque mois' }).click();
    const donate = page.getByRole('button', { name: `Donner ${usd(total)} par mois` });
    expect(await donate.isVisible()).toBe(true);
    await page.getByLabel('Un message pour la campagne (facultatif)').fill('Bravo');
    expect(await element.locator('form .hint').first().textContent()).toBe('495 caractères restants');
    await screenshot(page, 'widget-fr-320px');
    expect(errors).toEqual([]);

    await donate.click();
    await page.waitForURL(`${emulator.url}/**`);
    const sessionId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect((await emulator.stripe.checkout.sessions.retrieve(sessionId)).locale).toBe('fr');
    await page.close();
  }, 30_000);
});
