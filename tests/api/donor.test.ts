/**
 * Monthly donors manage their donation without an account: the manage link from their receipt
 * opens the JSON routes (list, change amount, update card, stop), on the real service, the
 * Stripe emulator over HTTP with the real SDK, real SMTP and real signed webhooks.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signManageToken } from '../../src/domain/donor-link.js';
import { periodKeyOf, previousPeriodKey } from '../../src/domain/period.js';
import { donorLinkSecret } from '../../src/services/donor-links.js';
import { startStripeEmulator, type TestStripeEmulator } from '@goalpost/stripe-emulator/testing';
import { eventually } from '../helpers/receipts.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { ledgerCampaign, postEvent, settled, type LedgerCampaign, type StripeEventBody } from '../ledger/support.js';

let emulator: TestStripeEmulator;
let service: TestService;
let sink: SmtpSink;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  sink = await startSmtpSink();
  service = await startTestService({ ...emulator.env, SMTP_URL: sink.url, PUBLIC_BASE_URL: 'http://goalpost.test', DONOR_LINK_RATE_LIMIT_PER_HOUR: '3' });
  emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
  await emulator?.close();
  await sink?.close();
});

async function booked(): Promise<void> {
  await emulator.controls.waitForDeliveries();
  const { rows } = await service.ctx.db.query<{ id: string }>('SELECT id FROM stripe_events');
  await settled(service, rows.map((row) => row.id), 30_000);
}

/** A paid monthly donation through the checkout route and the emulator's hosted page. */
async function monthlyDonation(campaign: LedgerCampaign, email: string, amount = 2_000) {
  const response = await service.api.post(`/v1/campaigns/${campaign.slug}/checkout`).send({ amount, frequency: 'monthly', email, name: 'Mary Jackson' });
  expect(response.status, response.text).toBe(201);
  emulator.controls.pay(response.body.id);
  await booked();
  const session = await emulator.stripe.checkout.sessions.retrieve(response.body.id);
  return session.subscription as string;
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

/** The manage link in the newest mail to this address. */
async function linkMailedTo(email: string, count = 1): Promise<string> {
  const mails = await eventually(async () => sink.to(email).length >= count && sink.to(email), 15_000, `mail ${count} to ${email}`);
  const text = String(mails[count - 1]!.text);
  const url = /http:\/\/goalpost\.test\/donor\/manage\?token=\S+/.exec(text)?.[0];
  expect(url, text).toBeDefined();
  return url!;
}

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('the manage link', () => {
  test("a monthly receipt's link lists the donation; the amount changes from the next payment; the card is updated through the portal; it stops at once", async () => {
    const campaign = await ledgerCampaign(service, { min_amount: 500, max_amount: 100_000 });
    const subscriptionId = await monthlyDonation(campaign, 'mary@example.org');
    const token = tokenOf(await linkMailedTo('mary@example.org'));

    const listed = await service.api.get('/v1/donor/subscriptions').set(as(token));
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: subscriptionId, campaign: campaign.slug, amount: 2_000, currency: 'usd', status: 'active', canceled_at: null, next_payment_at: expect.any(String) }),
    ]);

    const changed = await service.api.patch(`/v1/donor/subscriptions/${subscriptionId}`).set(as(token)).send({ amount: 3_500 });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ amount: 3_500, status: 'active' });
    const updateCall = emulator.controls.requests().find((request) => request.route === 'POST /v1/subscriptions/:id');
    expect(updateCall?.params).toMatchObject({ proration_behavior: 'none' });
    await booked();
    const renewal = emulator.controls.advanceSubscription(subscriptionId);
    expect(renewal.amount_paid).toBe(3_500);
    await booked();
    const { rows } = await service.ctx.db.query('SELECT amount FROM donations WHERE invoice_id = $1', [renewal.id]);
    expect(rows).toEqual([{ amount: 3_500 }]);

    const card = await service.api.post(`/v1/donor/subscriptions/${subscriptionId}/payment-method`).set(as(token));
    expect(card.status).toBe(200);
    const portal = await fetch(card.body.url, { method: 'POST', body: new URLSearchParams({ action: 'update_card' }), redirect: 'manual' });
    expect(portal.status).toBe(303);
    expect(portal.headers.get('location')).toBe(`http://goalpost.test/donor/manage?token=${encodeURIComponent(token)}`);

    const stopped = await service.api.post(`/v1/donor/subscriptions/${subscriptionId}/cancel`).set(as(token));
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'canceled', canceled_at: expect.any(String), next_payment_at: null });
    await booked();
    expect((await emulator.stripe.subscriptions.retrieve(subscriptionId)).status).toBe('canceled');
    const again = await service.api.patch(`/v1/donor/subscriptions/${subscriptionId}`).set(as(token)).send({ amount: 1_000 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    expect((await service.api.post(`/v1/donor/subscriptions/${subscriptionId}/cancel`).set(as(token))).status).toBe(409);
  });

  test('a failed renewal mails the donor once, with the manage link, and shows past_due; the retry counts once', async () => {
    const campaign = await ledgerCampaign(service);
    const subscriptionId = await monthlyDonation(campaign, 'dorothy@example.org', 1_500);
    emulator.controls.failNextRenewal(subscriptionId);
    const failed = emulator.controls.advanceSubscription(subscriptionId);
    emulator.controls.retryInvoice(failed.id, { outcome: 'failed' });
    await booked();
    const token = tokenOf(await linkMailedTo('dorothy@example.org', 2));
    expect(sink.to('dorothy@example.org')[1]!.subject).toMatch(/could not be charged/);
    const listed = await service.api.get('/v1/donor/subscriptions').set(as(token));
    expect(listed.body.data[0]).toMatchObject({ id: subscriptionId, status: 'past_due' });

    emulator.controls.retryInvoice(failed.id);
    await booked();
    expect((await service.api.get('/v1/donor/subscriptions').set(as(token))).body.data[0].status).toBe('active');
    const { rows } = await service.ctx.db.query('SELECT count(*)::int AS n FROM donations WHERE invoice_id = $1', [failed.id]);
    expect(rows[0].n).toBe(1);
    // Two failed tries of one invoice, one failure mail; the receipt of the recovered payment is the third mail.
    await eventually(async () => sink.to('dorothy@example.org').length === 3, 15_000, 'the receipt of the retried payment');
    expect(sink.to('dorothy@example.org').filter((mail) => /could not be charged/.test(mail.subject ?? ''))).toHaveLength(1);
  });
});

test("the thank-you page of a monthly checkout shows the donor's manage link", async () => {
  const campaign = await ledgerCampaign(service);
  const response = await service.api.post(`/v1/campaigns/${campaign.slug}/checkout`).send({ amount: 1_000, frequency: 'monthly', email: 'thanks@example.org' });
  emulator.controls.pay(response.body.id);
  await booked();
  const page = await service.api.get(`/checkout/thanks?session_id=${response.body.id}`);
  const url = /href="(http:\/\/goalpost\.test\/donor\/manage\?token=[^"]+)"/.exec(page.text)?.[1];
  expect(url, page.text).toBeDefined();
  const listed = await service.api.get('/v1/donor/subscriptions').set(as(decodeURIComponent(tokenOf(url!.replaceAll('&#38;', '&')))));
  expect(listed.body.data).toEqual([expect.objectContaining({ amount: 1_000, status: 'active' })]);
});

describe('the admin sees a donor’s own cancellation at once', () => {
  test("before Stripe's event it is listed canceled, found by status=canceled and canceled_month, and counted in monthly_canceled; the event changes none of it", async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'Pacific/Auckland' });
    const leaving = await monthlyDonation(campaign, 'ruth@example.org');
    const staying = await monthlyDonation(campaign, 'katherine@example.org', 2_500);
    const secret = await donorLinkSecret(service.ctx.db, service.config);
    const token = signManageToken(secret, 'ruth@example.org', new Date(Date.now() + 3_600_000));

    // Stripe's events about the cancellation are held back: what follows is what the admin sees before they arrive.
    const eventsBefore = new Set(emulator.controls.events().map((event) => event.id));
    emulator.sendWebhooksTo(null);
    let stopped;
    try {
      stopped = await service.api.post(`/v1/donor/subscriptions/${leaving}/cancel`).set(as(token));
    } finally {
      emulator.sendWebhooksTo(`${service.url}/v1/webhooks/stripe`);
    }
    expect(stopped.status, stopped.text).toBe(200);
    const held = (emulator.controls.events() as unknown as StripeEventBody[])
      .filter((event) => !eventsBefore.has(event.id))
      .sort((a, b) => a.created - b.created);
    expect(held.map((event) => event.type)).toContain('customer.subscription.deleted');
    const storedStatus = async () => (await service.ctx.db.query('SELECT status FROM subscriptions WHERE id = $1', [leaving])).rows[0].status;
    expect(await storedStatus()).toBe('active');

    // The month the campaign's timezone puts the cancellation in, as the month rows read it.
    const month = periodKeyOf(new Date(stopped.body.canceled_at), campaign.timezone);
    const ids = async (query: Record<string, string>) => {
      const page = await service.api.get('/v1/admin/subscriptions').query({ campaign: campaign.slug, ...query }).set(service.admin);
      expect(page.status, page.text).toBe(200);
      return (page.body.data as { id: string }[]).map((sub) => sub.id);
    };
    const adminView = async () => {
      const all = await service.api.get('/v1/admin/subscriptions').query({ campaign: campaign.slug }).set(service.admin);
      const months = await service.api.get(`/v1/admin/campaigns/${campaign.slug}/months`).query({ from: month, to: month }).set(service.admin);
      expect(months.status, months.text).toBe(200);
      return {
        shown: Object.fromEntries((all.body.data as { id: string; status: string }[]).map((sub) => [sub.id, sub.status])),
        canceled: await ids({ status: 'canceled' }),
        active: await ids({ status: 'active' }),
        canceledInMonth: await ids({ canceled_month: month }),
        canceledMonthBefore: await ids({ canceled_month: previousPeriodKey(month) }),
        row: { monthly_canceled: months.body.data[0].monthly_canceled, monthly_active: months.body.data[0].monthly_active, monthly_committed: months.body.data[0].monthly_committed },
      };
    };
    const seen = {
      shown: { [leaving]: 'canceled', [staying]: 'active' },
      canceled: [leaving],
      active: [staying],
      canceledInMonth: [leaving],
      canceledMonthBefore: [],
      row: { monthly_canceled: 1, monthly_active: 1, monthly_committed: 2_500 },
    };
    expect(await adminView()).toEqual(seen);

    // Stripe's events arrive: the stored status follows, and the admin sees the same, counted once.
    for (const event of held) {
      const response = await postEvent(service, event, { secret: emulator.webhookSecret });
      expect(response.status, response.text).toBe(200);
    }
    await settled(service, held.map((event) => event.id), 30_000);
    expect(await storedStatus()).toBe('canceled');
    expect(await adminView()).toEqual(seen);
  });

  test('canceled_month is a YYYY-MM of a named campaign: otherwise a 400 problem', async () => {
    const campaign = await ledgerCampaign(service);
    for (const query of [{ canceled_month: '2026-13', campaign: campaign.slug }, { canceled_month: '2026-1', campaign: campaign.slug }, { canceled_month: '2026-01' }]) {
      const response = await service.api.get('/v1/admin/subscriptions').query(query).set(service.admin);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('validation_failed');
    }
  });
});

describe('refusals', () => {
  test('a missing, tampered or expired token is 401 and says nothing more; another donor’s subscription is 404', async () => {
    const campaign = await ledgerCampaign(service);
    const subscriptionId = await monthlyDonation(campaign, 'owner@example.org');
    const secret = await donorLinkSecret(service.ctx.db, service.config);
    const valid = signManageToken(secret, 'owner@example.org', new Date(Date.now() + 3_600_000));
    const expired = signManageToken(secret, 'owner@example.org', new Date(Date.now() - 1_000));
    const forged = signManageToken('another-secret-of-32-characters-at-least', 'owner@example.org', new Date(Date.now() + 3_600_000));
    const tampered = `${Buffer.from('owner@example.org').toString('base64url')}${valid.slice(valid.indexOf('.'))}`.replace(/\.\d+\./, '.9999999999.');

    const answers = [];
    for (const headers of [{}, as(expired), as(forged), as(tampered), as('garbage')]) {
      const response = await service.api.get('/v1/donor/subscriptions').set(headers);
      answers.push({ status: response.status, code: response.body.code, detail: response.body.detail });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 401, code: 'unauthorized' });

    const stranger = signManageToken(secret, 'stranger@example.org', new Date(Date.now() + 3_600_000));
    const theirs = await service.api.patch(`/v1/donor/subscriptions/${subscriptionId}`).set(as(stranger)).send({ amount: 1_000 });
    const unknown = await service.api.patch('/v1/donor/subscriptions/sub_unknown').set(as(stranger)).send({ amount: 1_000 });
    expect(theirs.status).toBe(404);
    expect(theirs.body.detail.replace(subscriptionId, 'X')).toBe(unknown.body.detail.replace('sub_unknown', 'X'));
    expect((await service.api.post(`/v1/donor/subscriptions/${subscriptionId}/cancel`).set(as(stranger))).status).toBe(404);
    expect((await service.api.get('/v1/donor/subscriptions').set(as(stranger))).body.data).toEqual([]);
  });

  test('an amount outside the campaign limits is a 400 problem and changes nothing at Stripe', async () => {
    const campaign = await ledgerCampaign(service, { min_amount: 500, max_amount: 10_000 });
    const subscriptionId = await monthlyDonation(campaign, 'limits@example.org');
    const secret = await donorLinkSecret(service.ctx.db, service.config);
    const token = signManageToken(secret, 'limits@example.org', new Date(Date.now() + 3_600_000));
    emulator.controls.resetRequests();
    for (const amount of [100, 10_001, 12.5, -5]) {
      const response = await service.api.patch(`/v1/donor/subscriptions/${subscriptionId}`).set(as(token)).send({ amount });
      expect(response.status, String(amount)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('validation_failed');
    }
    expect(emulator.controls.requestCount()).toBe(0);
  });

  test('asking for a link is always 202, mails only known monthly donors, and is rate-limited', async () => {
    const campaign = await ledgerCampaign(service);
    await monthlyDonation(campaign, 'Known@Example.org');
    const before = sink.to('known@example.org').length;
    const known = await service.api.post('/v1/donor/links').set('X-Forwarded-For', '198.51.100.7').send({ email: 'known@example.org' });
    const unknown = await service.api.post('/v1/donor/links').send({ email: 'nobody@example.org' });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    const url = await linkMailedTo('known@example.org', before + 1);
    expect((await service.api.get('/v1/donor/subscriptions').set(as(tokenOf(url)))).body.data).toHaveLength(1);
    expect(sink.to('nobody@example.org')).toEqual([]);
    expect((await service.api.post('/v1/donor/links').send({ email: 'not an email' })).status).toBe(400);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await service.api.post('/v1/donor/links').send({ email: 'nobody@example.org' })).status);
    expect(statuses).toContain(429);
  });
});
