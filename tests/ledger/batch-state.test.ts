/**
 * A batch of Stripe events is applied together (services/ledger/batch-state.ts): later events
 * read what earlier events of the same batch decided before any of it is written, and the
 * donation and ledger writes go out in a few statements at the end. The workers are not started
 * here: events are stored first, then one drain claims them all in one batch.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { drainStoredEvents } from '../../src/services/stripe-events/process.js';
import { startTestService, type TestService } from '../helpers/service.js';
import {
  MonthlyPayment,
  OneTimePayment,
  deliver,
  donationOf,
  ledgerCampaign,
  ledgerOf,
  periodFigures,
  someDonor,
  twin,
  type StripeEventBody,
} from './support.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService({ STRIPE_EVENT_ATTEMPTS: '1' });
});

afterAll(async () => {
  await service?.close();
});

const ONE_BY_ONE = 'a batch of Stripe events failed as a whole; applying its events one by one';

/**
 * Stores the events, then applies everything due in batches; returns each event's status and
 * when its batch committed, and whether a batch fell back to applying its events one by one.
 */
let fellBack = false;

async function applyInOneDrain(...events: StripeEventBody[]) {
  await deliver(service, ...events);
  const warn = vi.spyOn(service.ctx.logger, 'warn');
  try {
    await drainStoredEvents(service.ctx);
    fellBack = warn.mock.calls.some((call) => call.includes(ONE_BY_ONE));
  } finally {
    warn.mockRestore();
  }
  const { rows } = await service.ctx.db.query<{ id: string; status: string; processed_at: Date | null }>(
    'SELECT id, status, processed_at FROM stripe_events WHERE id = ANY($1)',
    [events.map((event) => event.id)],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

describe('one batch, read as it goes', () => {
  test('a payment, its charge and its refund in one batch: each event reads what the one before decided, totals exact', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const payment = await new OneTimePayment(campaign, 5_000, 0, someDonor()).record(service);
    const completed = payment.completed();
    const events = [completed, payment.chargeSucceeded(), payment.refund(2_000), twin(completed)];
    const outcomes = await applyInOneDrain(...events);

    expect(events.map((event) => outcomes.get(event.id)?.status)).toEqual(['processed', 'processed', 'processed', 'processed']);
    // One transaction, applied together: every outcome was recorded at the same commit, and no write failed.
    expect(new Set(events.map((event) => outcomes.get(event.id)!.processed_at!.getTime())).size).toBe(1);
    expect(fellBack).toBe(false);

    const donation = await donationOf(service, { sessionId: payment.sessionId });
    expect(donation).toMatchObject({ status: 'succeeded', amount: 5_000, charge_id: payment.chargeId, refunded_gross: 2_000, refunded_amount: 2_000 });
    expect((await ledgerOf(service, donation!.id)).map(({ kind, amount }) => [kind, Number(amount)])).toEqual([
      ['donation', 5_000],
      ['refund', -2_000],
    ]);
    const month = donation!.period_key!;
    expect(await periodFigures(service, campaign.id, month)).toMatchObject({ raised: 3_000, refunded: 2_000, donations_count: 1 });

    // The rest of the refund, in a later batch, finds the donation and its entries in the database.
    const rest = payment.refund(3_000);
    expect((await applyInOneDrain(rest)).get(rest.id)?.status).toBe('processed');
    expect(await periodFigures(service, campaign.id, month)).toMatchObject({ raised: 0, refunded: 5_000, donations_count: 0 });
  });

  test('a renewal paid in the batch counts for a subscription update later in it: the failed invoice is no longer unpaid', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const monthly = await new MonthlyPayment(campaign, 1_500).record(service);
    const january = new Date('2025-01-10T15:00:00Z');
    const march = new Date('2025-03-02T15:00:00Z');
    await applyInOneDrain(monthly.completed(january), monthly.paid(0, january));
    // Stripe's last failed attempt is stamped after the payment that finally went through.
    await applyInOneDrain(monthly.failed(1, 1, new Date('2025-03-05T12:00:00Z')));
    const status = async () =>
      (await service.ctx.db.query<{ status: string }>('SELECT status FROM subscriptions WHERE id = $1', [monthly.subscriptionId])).rows[0]!.status;
    expect(await status()).toBe('past_due');

    const outcomes = await applyInOneDrain(monthly.paid(1, march), monthly.updated(march));
    expect([...outcomes.values()].map((row) => row.status)).toEqual(['processed', 'processed']);
    expect(fellBack).toBe(false);
    expect(await status()).toBe('active');
    expect(await donationOf(service, { invoiceId: monthly.invoice(1).invoiceId })).toMatchObject({ status: 'succeeded', period_key: '2025-03' });
  });
});

describe('a batch whose writes fail', () => {
  test('the event whose donation the database refuses fails alone; the others of its batch commit', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const good = await new OneTimePayment(campaign, 1_000, 0, someDonor()).record(service);
    const poisoned = await new OneTimePayment(campaign, 2_000, 0, someDonor({ name: 'Refused By Constraint' })).record(service);
    const alsoGood = await new OneTimePayment(campaign, 4_000, 0, someDonor()).record(service);
    // Decided like any other, refused only when the batch's donations are written.
    await service.ctx.db.query(`ALTER TABLE donations ADD CONSTRAINT refuse_poisoned CHECK (donor_name IS DISTINCT FROM 'Refused By Constraint') NOT VALID`);
    try {
      const events = [good.completed(), good.chargeSucceeded(), poisoned.completed(), alsoGood.completed(), alsoGood.refund(1_000)];
      const outcomes = await applyInOneDrain(...events);
      expect(events.map((event) => outcomes.get(event.id)?.status)).toEqual(['processed', 'processed', 'failed', 'processed', 'processed']);
      expect(fellBack).toBe(true);
      const { rows } = await service.ctx.db.query('SELECT last_error FROM stripe_events WHERE id = $1', [events[2]!.id]);
      expect(rows[0].last_error).toContain('refuse_poisoned');

      expect(await donationOf(service, { sessionId: poisoned.sessionId })).toBeNull();
      expect(await donationOf(service, { sessionId: good.sessionId })).toMatchObject({ status: 'succeeded', charge_id: good.chargeId });
      const month = (await donationOf(service, { sessionId: alsoGood.sessionId }))!.period_key!;
      expect(await periodFigures(service, campaign.id, month)).toMatchObject({ raised: 4_000, refunded: 1_000, donations_count: 2 });
    } finally {
      await service.ctx.db.query('ALTER TABLE donations DROP CONSTRAINT refuse_poisoned');
    }

    // Once the database takes it, a replay counts it, once.
    const replay = await service.api.post(`/v1/admin/stripe-events/${(await lastFailedEvent())}/replay`).set(service.admin);
    expect(replay.status).toBe(202);
    await drainStoredEvents(service.ctx);
    const month = (await donationOf(service, { sessionId: poisoned.sessionId }))!.period_key!;
    expect(await periodFigures(service, campaign.id, month)).toMatchObject({ raised: 6_000, donations_count: 3 });
  });
});

describe('receipt numbers in a batch', () => {
  const numbersOf = async (...payments: OneTimePayment[]) =>
    Promise.all(payments.map(async (payment) => (await donationOf(service, { sessionId: payment.sessionId }))?.receipt_number ?? null));

  test('numbers stay gap-free when a batch falls back to one by one and an event fails: the failed event takes none', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const paidAt = new Date('2007-06-15T12:00:00Z');
    const good = await new OneTimePayment(campaign, 1_000, 0, someDonor()).record(service);
    const poisoned = await new OneTimePayment(campaign, 2_000, 0, someDonor({ name: 'Refused Numbered' })).record(service);
    const alsoGood = await new OneTimePayment(campaign, 4_000, 0, someDonor()).record(service);
    await service.ctx.db.query(`ALTER TABLE donations ADD CONSTRAINT refuse_numbered CHECK (donor_name IS DISTINCT FROM 'Refused Numbered') NOT VALID`);
    try {
      const events = [good.completed(paidAt), poisoned.completed(paidAt), alsoGood.completed(paidAt)];
      const outcomes = await applyInOneDrain(...events);
      expect(fellBack).toBe(true);
      expect(events.map((event) => outcomes.get(event.id)?.status)).toEqual(['processed', 'failed', 'processed']);
    } finally {
      await service.ctx.db.query('ALTER TABLE donations DROP CONSTRAINT refuse_numbered');
    }
    expect(await numbersOf(good, poisoned, alsoGood)).toEqual(['2007-000001', null, '2007-000002']);

    const replay = await service.api.post(`/v1/admin/stripe-events/${await lastFailedEvent()}/replay`).set(service.admin);
    expect(replay.status).toBe(202);
    await drainStoredEvents(service.ctx);
    expect(await numbersOf(good, poisoned, alsoGood)).toEqual(['2007-000001', '2007-000003', '2007-000002']);
  });
});

async function lastFailedEvent(): Promise<string> {
  const { rows } = await service.ctx.db.query<{ id: string }>(`SELECT id FROM stripe_events WHERE status = 'failed' ORDER BY received_at DESC LIMIT 1`);
  return rows[0]!.id;
}
