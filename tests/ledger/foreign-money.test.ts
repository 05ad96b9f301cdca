import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';
import {
  MonthlyPayment,
  OneTimePayment,
  deliverAndSettle,
  donationOf,
  ledgerCampaign,
  stripeEvent,
  type LedgerCampaign,
  type StripeEventBody,
} from './support.js';

/**
 * Issue 12, "Forged and foreign money": events that are not this deployment's, not in its
 * Stripe mode or not in its currency are stored, ignored with the reason and flagged, and never
 * counted (nor retried as failures).
 */
let service: TestService;

beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
});

async function stored(eventId: string, on: TestService = service) {
  const response = await on.api.get(`/v1/admin/stripe-events/${eventId}`).set(on.admin);
  expect(response.status).toBe(200);
  return response.body as { status: string; note: string | null; flag: string | null; attempts: number };
}

async function raised(campaign: LedgerCampaign, on: TestService = service): Promise<number> {
  const response = await on.api.get(`/v1/campaigns/${campaign.slug}/progress`);
  expect(response.status).toBe(200);
  return response.body.raised;
}

/** The event's object with some fields replaced (a currency, a deployment id). */
function altered(event: StripeEventBody, change: (object: Record<string, any>) => void): StripeEventBody {
  const copy = structuredClone(event);
  change(copy.data.object as Record<string, any>);
  return copy;
}

describe('only our own sessions, subscriptions and invoices count', () => {
  test('a completed checkout this deployment never created is ignored, however good its metadata looks', async () => {
    const campaign = await ledgerCampaign(service);
    // Metadata naming a real campaign, as another deployment on the account (or a forger) sends it; no checkout row.
    const foreign = new OneTimePayment(campaign, 5_000);
    const events = [foreign.completed(), foreign.asyncSucceeded(), foreign.asyncFailed()];
    const statuses = await deliverAndSettle(service, ...events);
    for (const event of events) {
      expect(statuses.get(event.id)).toBe('ignored');
      expect(await stored(event.id)).toMatchObject({
        flag: 'foreign',
        note: expect.stringContaining('not created by this deployment'),
        attempts: 1,
      });
    }
    expect(await donationOf(service, { sessionId: foreign.sessionId })).toBeNull();
    expect(await raised(campaign)).toBe(0);

    const own = await new OneTimePayment(campaign, 2_500).record(service);
    expect((await deliverAndSettle(service, own.completed())).values().next().value).toBe('processed');
    expect(await raised(campaign)).toBe(2_500);
  });

  test("another deployment's subscription invoices and cancellation are ignored; ours wait for their checkout", async () => {
    const campaign = await ledgerCampaign(service);
    const theirs = new MonthlyPayment({ ...campaign, deploymentId: 'gpd_staging' }, 1_000);
    const unmarked = new MonthlyPayment(campaign, 1_000);
    const unmarkedInvoice = altered(unmarked.paid(0), (invoice) => delete invoice.parent.subscription_details.metadata.goalpost_deployment);
    const foreignEvents = [theirs.paid(0), theirs.paid(1, new Date(), 'invoice.payment_succeeded'), theirs.deleted(), unmarkedInvoice];
    const statuses = await deliverAndSettle(service, ...foreignEvents);
    for (const event of foreignEvents) {
      expect(statuses.get(event.id)).toBe('ignored');
      expect(await stored(event.id)).toMatchObject({ flag: 'foreign' });
    }
    expect((await stored(foreignEvents[0]!.id)).note).toContain('another Goalpost deployment (gpd_staging)');
    expect((await stored(unmarkedInvoice.id)).note).toContain('no Goalpost deployment id');

    // Ours, arriving before its checkout: waits, then counts once the checkout lands.
    const ours = await new MonthlyPayment(campaign, 1_000).record(service);
    const invoice = ours.paid(0);
    expect((await deliverAndSettle(service, invoice)).get(invoice.id)).toBe('deferred');
    await deliverAndSettle(service, ours.completed());
    await expect.poll(async () => (await stored(invoice.id)).status).toBe('processed');
    expect(await raised(campaign)).toBe(1_000);
  });

  test("a charge of another deployment's payment is ignored instead of waiting for a payment that never comes", async () => {
    const campaign = await ledgerCampaign(service);
    const theirs = new OneTimePayment({ ...campaign, deploymentId: 'gpd_staging' }, 1_000);
    const event = theirs.chargeSucceeded();
    expect((await deliverAndSettle(service, event)).get(event.id)).toBe('ignored');
    expect(await stored(event.id)).toMatchObject({ flag: 'foreign' });
  });
});

describe('livemode must match the Stripe key', () => {
  test('a live-mode event never counts in a test deployment', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 2_500).record(service);
    const live = { ...payment.completed(), livemode: true };
    expect((await deliverAndSettle(service, live)).get(live.id)).toBe('ignored');
    expect(await stored(live.id)).toMatchObject({ flag: 'livemode_mismatch', note: expect.stringContaining('live-mode event') });
    expect(await raised(campaign)).toBe(0);
  });

  test('a test-mode event never counts in a live deployment', async () => {
    const liveService = await startTestService({ STRIPE_SECRET_KEY: 'sk_live_goalpost_tests' });
    liveService.startWorkers();
    try {
      const campaign = await ledgerCampaign(liveService);
      const payment = await new OneTimePayment(campaign, 2_500).record(liveService);
      const testMode = payment.completed();
      expect((await deliverAndSettle(liveService, testMode)).get(testMode.id)).toBe('ignored');
      expect(await stored(testMode.id, liveService)).toMatchObject({ flag: 'livemode_mismatch' });
      const liveMode = { ...payment.completed(), livemode: true };
      expect((await deliverAndSettle(liveService, liveMode)).get(liveMode.id)).toBe('processed');
      expect(await raised(campaign, liveService)).toBe(2_500);
    } finally {
      await liveService.close();
    }
  });
});

describe('currency is checked wherever money arrives', () => {
  test('a checkout paid in another currency is ignored and flagged at once, not failed eight times', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 2_500).record(service);
    const inEuros = altered(payment.completed(), (session) => (session.currency = 'eur'));
    expect((await deliverAndSettle(service, inEuros)).get(inEuros.id)).toBe('ignored');
    expect(await stored(inEuros.id)).toMatchObject({ flag: 'currency_mismatch', attempts: 1, note: expect.stringContaining('eur') });
    expect(await raised(campaign)).toBe(0);

    const flagged = await service.api.get('/v1/admin/stripe-events?flag=currency_mismatch').set(service.admin);
    expect(flagged.status).toBe(200);
    expect(flagged.body.data.map((event: { id: string }) => event.id)).toContain(inEuros.id);
    expect(flagged.body.data.every((event: { flag: string }) => event.flag === 'currency_mismatch')).toBe(true);
  });

  test('refunds, disputes and invoices in another currency are not booked as if they were in the donation’s', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 4_000).record(service);
    await deliverAndSettle(service, payment.completed(), payment.chargeSucceeded());
    const refund = altered(payment.refund(1_000), (charge) => {
      charge.currency = 'eur';
      for (const listed of charge.refunds.data) listed.currency = 'eur';
    });
    const dispute = altered(payment.dispute('created'), (object) => (object.currency = 'gbp'));
    const statuses = await deliverAndSettle(service, refund, dispute);
    expect([statuses.get(refund.id), statuses.get(dispute.id)]).toEqual(['ignored', 'ignored']);
    expect(await stored(refund.id)).toMatchObject({ flag: 'currency_mismatch' });
    expect(await stored(dispute.id)).toMatchObject({ flag: 'currency_mismatch' });
    expect(await raised(campaign)).toBe(4_000);

    const monthly = await new MonthlyPayment(campaign, 1_000).record(service);
    await deliverAndSettle(service, monthly.completed(), monthly.paid(0));
    const renewal = altered(monthly.paid(1), (invoice) => (invoice.currency = 'eur'));
    expect((await deliverAndSettle(service, renewal)).get(renewal.id)).toBe('ignored');
    expect(await stored(renewal.id)).toMatchObject({ flag: 'currency_mismatch' });
    expect(await raised(campaign)).toBe(5_000);
  });
});

test('an event Goalpost merely does not use is ignored without a flag', async () => {
  const other = stripeEvent('customer.created', { id: 'cus_foreign_money' });
  await deliverAndSettle(service, other);
  const listed = await service.api.get('/v1/admin/stripe-events?flag=livemode_mismatch').set(service.admin);
  expect(listed.body.data.map((event: { id: string }) => event.id)).not.toContain(other.id);
  expect((await stored(other.id)).flag).toBeNull();
});
