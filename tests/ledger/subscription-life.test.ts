/**
 * A monthly donation's life after its checkout: renewals that fail and are retried, amount
 * changes, pauses and cancellation — from signed Stripe events posted to the real webhook route.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';
import {
  MonthlyPayment,
  consumerEvents,
  deliverAndSettle,
  donationOf,
  ledgerCampaign,
  periodFigures,
  twin,
} from './support.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
});

const january = new Date('2025-01-10T15:00:00Z');
const february = new Date('2025-02-10T15:00:00Z');
const march = new Date('2025-03-02T15:00:00Z');
const HOUR = 3_600_000;

async function subscriptionRow(id: string) {
  const { rows } = await service.ctx.db.query('SELECT * FROM subscriptions WHERE id = $1', [id]);
  return rows[0];
}

async function mailsOf(kind: string, email: string) {
  const { rows } = await service.ctx.db.query('SELECT dedupe_key, payload FROM receipts WHERE kind = $1 AND to_email = $2', [kind, email]);
  return rows;
}

describe('failed renewals', () => {
  test('a failed renewal is recorded and never counted, shows past_due, and mails the donor once per invoice, not per retry', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const monthly = await new MonthlyPayment(campaign, 2_000).record(service);
    await deliverAndSettle(service, monthly.completed(january), monthly.paid(0, january));

    const firstTry = monthly.failed(1, 1, february);
    const retry = monthly.failed(1, 2, new Date(february.getTime() + 72 * HOUR));
    await deliverAndSettle(service, firstTry, twin(firstTry), retry, firstTry);

    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ status: 'past_due' });
    const { rows: failures } = await service.ctx.db.query('SELECT invoice_id, attempts FROM subscription_payment_failures WHERE subscription_id = $1', [
      monthly.subscriptionId,
    ]);
    expect(failures).toEqual([{ invoice_id: monthly.invoice(1).invoiceId, attempts: 2 }]);
    expect(await donationOf(service, { invoiceId: monthly.invoice(1).invoiceId })).toBeNull();
    expect(await periodFigures(service, campaign.id, '2025-02')).toMatchObject({ raised: 0, donations_count: 0 });

    const mails = await mailsOf('payment_failed', monthly.donor.email!);
    expect(mails).toEqual([
      { dedupe_key: `payment_failed:${monthly.invoice(1).invoiceId}`, payload: expect.objectContaining({ amount: 2_000, currency: 'usd' }) },
    ]);
    const failed = await consumerEvents(service, 'donation.failed', monthly.subscriptionId);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ subscription: { id: monthly.subscriptionId, status: 'past_due' }, invoice: { amount: 2_000 } });
    expect(JSON.stringify(failed[0])).not.toMatch(/card|last4|payment_method/);
  });

  test('a later successful retry of the failed invoice counts once, in the month it was paid, and the subscription is active again', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const monthly = await new MonthlyPayment(campaign, 1_500).record(service);
    await deliverAndSettle(service, monthly.completed(january), monthly.paid(0, january), monthly.failed(1, 1, new Date('2025-02-27T12:00:00Z')));
    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ status: 'past_due' });

    const recovered = monthly.paid(1, march);
    await deliverAndSettle(service, recovered, twin(recovered), monthly.invoicePayment(1, march));
    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ status: 'active' });
    expect(await donationOf(service, { invoiceId: monthly.invoice(1).invoiceId })).toMatchObject({ status: 'succeeded', period_key: '2025-03', amount: 1_500 });
    expect(await periodFigures(service, campaign.id, '2025-02')).toMatchObject({ raised: 0 });
    expect(await periodFigures(service, campaign.id, '2025-03')).toMatchObject({ raised: 1_500, donations_count: 1 });

    // Stripe's failure report arriving after the payment changes nothing and mails no one.
    await deliverAndSettle(service, monthly.failed(1, 2, new Date('2025-03-01T12:00:00Z')));
    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ status: 'active' });
    expect(await mailsOf('payment_failed', monthly.donor.email!)).toHaveLength(1);
    const updates = await consumerEvents(service, 'subscription.updated', monthly.subscriptionId);
    expect(updates.map((data) => data.subscription.status)).toEqual(['past_due', 'active']);
  });

  test('a failure of an invoice whose subscription checkout has not arrived waits for it', async () => {
    const campaign = await ledgerCampaign(service);
    const monthly = await new MonthlyPayment(campaign, 1_000).record(service);
    const failure = monthly.failed(1, 1, february);
    const statuses = await deliverAndSettle(service, failure);
    expect(statuses.get(failure.id)).toBe('deferred');
    await deliverAndSettle(service, monthly.completed(january), monthly.paid(0, january));
    await expect.poll(async () => (await subscriptionRow(monthly.subscriptionId)).status).toBe('past_due');
  });
});

describe('changes and cancellation', () => {
  test('an amount change counts from the first invoice at the new amount, whichever of the update and the invoice arrives first', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const monthly = await new MonthlyPayment(campaign, 2_000, 100).record(service);
    await deliverAndSettle(service, monthly.completed(january), monthly.paid(0, january), monthly.created(january));
    monthly.changeAmount(5_000, 200);
    const update = monthly.updated(new Date(january.getTime() + HOUR));
    // February's invoice (at the new terms) before the update event that announced them.
    await deliverAndSettle(service, monthly.paid(1, february), update, update);
    expect(await donationOf(service, { invoiceId: monthly.invoice(1).invoiceId })).toMatchObject({ amount: 5_000, fee_amount: 200 });
    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ amount: 5_000, fee_amount: 200, status: 'active' });
    const updates = await consumerEvents(service, 'subscription.updated', monthly.subscriptionId);
    expect(updates.map((data) => data.subscription.amount)).toEqual([5_000]);
    expect((await consumerEvents(service, 'subscription.created', monthly.subscriptionId))).toHaveLength(1);
  });

  test('a pause (pause_collection) shows paused, resuming shows active, and an older snapshot arriving late changes nothing', async () => {
    const campaign = await ledgerCampaign(service);
    const monthly = await new MonthlyPayment(campaign, 1_200).record(service);
    await deliverAndSettle(service, monthly.completed(january), monthly.paid(0, january));
    const paused = monthly.updated(new Date(january.getTime() + 2 * HOUR), { paused: true });
    const resumed = monthly.updated(new Date(january.getTime() + 3 * HOUR), { periodEnd: march });
    await deliverAndSettle(service, paused);
    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ status: 'paused' });
    await deliverAndSettle(service, resumed, paused);
    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ status: 'active', next_payment_at: march });
  });

  test('a cancellation is final: the donor and the admin see it canceled, consumers hear it once, and no later snapshot revives it', async () => {
    const campaign = await ledgerCampaign(service);
    const monthly = await new MonthlyPayment(campaign, 1_000, 0, { email: 'stop@example.org', name: 'Stop', anonymous: true }).record(service);
    await deliverAndSettle(service, monthly.completed(january), monthly.paid(0, january));
    const deleted = monthly.deleted(february);
    await deliverAndSettle(service, deleted, twin(deleted), monthly.updated(march));
    expect(await subscriptionRow(monthly.subscriptionId)).toMatchObject({ status: 'canceled', canceled_at: february, next_payment_at: null });
    const canceled = await consumerEvents(service, 'subscription.canceled', monthly.subscriptionId);
    expect(canceled).toHaveLength(1);
    // Anonymous donors stay anonymous in consumer payloads.
    expect(canceled[0]!.subscription).toMatchObject({ anonymous: true, donor: null });
    expect(JSON.stringify(canceled[0])).not.toContain('stop@example.org');
  });
});

describe('the admin list', () => {
  test('lists monthly donations by campaign, status and donor, with failed attempts of unpaid renewals, newest first in pages', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const steady = await new MonthlyPayment(campaign, 1_000, 0, { email: 'steady@example.org', name: 'Steady', anonymous: false }).record(service);
    const failing = await new MonthlyPayment(campaign, 2_000, 0, { email: 'failing@example.org', name: 'Failing', anonymous: false }).record(service);
    const stopped = await new MonthlyPayment(campaign, 3_000, 0, { email: 'stopped@example.org', name: 'Stopped', anonymous: false }).record(service);
    for (const monthly of [steady, failing, stopped]) await deliverAndSettle(service, monthly.completed(january), monthly.paid(0, january));
    await deliverAndSettle(service, failing.failed(1, 1, february), failing.failed(1, 3, march), stopped.deleted(february));

    const list = (query: string) => service.api.get(`/v1/admin/subscriptions?campaign=${campaign.slug}${query}`).set(service.admin);
    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.body.data.map((row: { id: string }) => row.id).sort()).toEqual([steady, failing, stopped].map((m) => m.subscriptionId).sort());
    expect((await list('&status=past_due')).body.data).toEqual([
      expect.objectContaining({ id: failing.subscriptionId, status: 'past_due', failed_attempts: 3, amount: 2_000, last_payment_at: january.toISOString() }),
    ]);
    expect((await list('&status=canceled')).body.data).toEqual([expect.objectContaining({ id: stopped.subscriptionId, canceled_at: february.toISOString() })]);
    expect((await list('&q=STEADY')).body.data).toEqual([expect.objectContaining({ id: steady.subscriptionId, failed_attempts: 0, donor: { email: 'steady@example.org', name: 'Steady', anonymous: false } })]);
    const first = await list('&limit=2');
    const second = await list(`&limit=2&cursor=${first.body.next_cursor}`);
    expect([...first.body.data, ...second.body.data].map((row: { id: string }) => row.id)).toEqual(all.body.data.map((row: { id: string }) => row.id));
    expect((await list('&status=lapsed')).status).toBe(400);
  });
});
