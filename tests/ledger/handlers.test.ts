import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { periodKeyOf } from '../../src/domain/period.js';
import { startTestService, type TestService } from '../helpers/service.js';
import {
  MonthlyPayment,
  OneTimePayment,
  consumerEvents,
  deliver,
  deliverAndSettle,
  donationOf,
  ledgerCampaign,
  ledgerOf,
  periodFigures,
  settled,
  someDonor,
  twin,
  type LedgerCampaign,
} from './support.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
});

const now = () => new Date();
const thisMonth = (campaign: LedgerCampaign) => periodKeyOf(new Date(), campaign.timezone);

async function progress(campaign: LedgerCampaign, month?: string) {
  const response = await service.api.get(`/v1/campaigns/${campaign.slug}/progress${month ? `?month=${month}` : ''}`);
  expect(response.status).toBe(200);
  return response.body as { raised: number; donations_count: number; donors_count: number; currency: string; tiers: { amount: number; reached: boolean }[] };
}

describe('one-time donations', () => {
  test('a paid checkout becomes a succeeded donation: its amount (not the covered fee) counts, once', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 5_000, 175).record(service);
    const completed = payment.completed();
    await deliverAndSettle(service, completed, completed, twin(completed));

    const donation = await donationOf(service, { sessionId: payment.sessionId });
    expect(donation).toMatchObject({ status: 'succeeded', amount: 5_000, fee_amount: 175, payment_intent_id: payment.paymentIntentId });
    expect(await ledgerOf(service, donation.id)).toEqual([
      { kind: 'donation', amount: 5_000, source_id: payment.paymentIntentId, period_key: thisMonth(campaign) },
    ]);
    expect(await progress(campaign)).toMatchObject({ raised: 5_000, donations_count: 1, donors_count: 1 });
    expect((await service.api.get(`/v1/admin/campaigns/${campaign.slug}/months`).set(service.admin)).body.data[0]).toMatchObject({
      month: thisMonth(campaign),
      raised: 5_000,
      refunded: 0,
      donations_count: 1,
      donors_count: 1,
    });
    const { rows: checkouts } = await service.ctx.db.query('SELECT status FROM checkouts WHERE session_id = $1', [payment.sessionId]);
    expect(checkouts[0].status).toBe('complete');

    const announced = await consumerEvents(service, 'donation.succeeded', donation.id);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.donation).toMatchObject({
      id: donation.id,
      campaign: campaign.slug,
      amount: 5_000,
      fee_amount: 175,
      currency: 'usd',
      donor: { name: payment.donor.name, email: payment.donor.email },
    });
    const { rows: receipts } = await service.ctx.db.query(`SELECT kind, to_email FROM receipts WHERE donation_id = $1`, [donation.id]);
    expect(receipts).toEqual([{ kind: 'receipt', to_email: payment.donor.email }]);
    expect(donation.receipt_number).toMatch(/^\d{4}-\d{6}$/);
  });

  test("an anonymous donor's name and email never reach consumer events", async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 2_000, 0, someDonor({ anonymous: true, name: 'Secret Person' })).record(service);
    await deliverAndSettle(service, payment.completed());
    const donation = await donationOf(service, { sessionId: payment.sessionId });
    const [announced] = await consumerEvents(service, 'donation.succeeded', donation.id);
    expect(announced!.donation.donor).toBeNull();
    expect(JSON.stringify(announced)).not.toContain(payment.donor.email!);
    expect(JSON.stringify(announced)).not.toContain('Secret Person');
  });

  test('a delayed payment is pending until it succeeds, and counts in the month it succeeded', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 3_000).record(service);
    await deliverAndSettle(service, payment.completed(now(), 'unpaid'));
    expect(await donationOf(service, { sessionId: payment.sessionId })).toMatchObject({ status: 'pending', paid_at: null });
    expect((await progress(campaign)).raised).toBe(0);

    await deliverAndSettle(service, payment.asyncSucceeded());
    expect(await donationOf(service, { sessionId: payment.sessionId })).toMatchObject({ status: 'succeeded', period_key: thisMonth(campaign) });
    expect((await progress(campaign)).raised).toBe(3_000);
  });

  test('a delayed payment that fails never counts, whatever order its events arrive in', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 3_000).record(service);
    await deliverAndSettle(service, payment.asyncFailed(), payment.completed(now(), 'unpaid'));
    expect(await donationOf(service, { sessionId: payment.sessionId })).toMatchObject({ status: 'failed' });
    expect((await progress(campaign)).raised).toBe(0);
  });

  test('an expired checkout is marked expired and creates no donation', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 3_000).record(service);
    await deliverAndSettle(service, payment.expired());
    const { rows } = await service.ctx.db.query('SELECT status FROM checkouts WHERE session_id = $1', [payment.sessionId]);
    expect(rows[0].status).toBe('expired');
    expect(await donationOf(service, { sessionId: payment.sessionId })).toBeNull();
  });

  test('a payment at 23:59 local on the last day of a month counts in that month, one a minute later in the next', async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'America/New_York' });
    const lastMinute = await new OneTimePayment(campaign, 1_100).record(service);
    const nextMinute = await new OneTimePayment(campaign, 2_200).record(service);
    // 2024-11-30 23:59:30 in New York is 2024-12-01 04:59:30 UTC.
    await deliverAndSettle(
      service,
      lastMinute.completed(new Date('2024-12-01T04:59:30Z')),
      nextMinute.completed(new Date('2024-12-01T05:00:30Z')),
    );
    expect(await donationOf(service, { sessionId: lastMinute.sessionId })).toMatchObject({ period_key: '2024-11' });
    expect((await progress(campaign, '2024-11')).raised).toBe(1_100);
    expect((await progress(campaign, '2024-12')).raised).toBe(2_200);
    const { rows } = await service.ctx.db.query(`SELECT period_key, amount FROM ledger_entries WHERE campaign_id = $1 ORDER BY period_key`, [campaign.id]);
    expect(rows).toEqual([{ period_key: '2024-11', amount: 1_100 }, { period_key: '2024-12', amount: 2_200 }]);
  });

  test('a donation in a zero-decimal currency (JPY) counts in whole yen', async () => {
    const campaign = await ledgerCampaign(service, {
      currency: 'jpy',
      timezone: 'Asia/Tokyo',
      goal: { period: 'monthly', amount: 100_000 },
      tiers: [{ amount: 5_000, label: 'First', description: '' }],
      amount_presets: [500, 1_000],
      min_amount: 100,
    });
    const payment = await new OneTimePayment(campaign, 500, 45).record(service);
    await deliverAndSettle(service, payment.completed(), payment.refund(100));
    expect(await progress(campaign)).toMatchObject({ currency: 'jpy', raised: 400, donations_count: 1 });
  });

  test('a donation that crosses a tier records it once and tells consumers once', async () => {
    const campaign = await ledgerCampaign(service, {
      goal: { period: 'monthly', amount: 10_000 },
      tiers: [{ amount: 4_000, label: 'Four', description: '' }, { amount: 10_000, label: 'Goal', description: '' }],
    });
    const first = await new OneTimePayment(campaign, 5_000).record(service);
    const second = await new OneTimePayment(campaign, 6_000).record(service);
    const refund = first.refund(5_000);
    for (const event of [first.completed(), refund, second.completed()]) await deliverAndSettle(service, event);
    // raised went 5 000 (tier 4 000 reached) → 0 (refund) → 6 000: no second tier.reached.
    const reached = await consumerEvents(service, 'tier.reached', campaign.slug);
    expect(reached.map((data) => data.tier.amount)).toEqual([4_000]);
    expect(reached[0]).toMatchObject({ currency: 'usd', period: { type: 'monthly', key: thisMonth(campaign) } });
    expect((await progress(campaign)).tiers).toEqual([
      expect.objectContaining({ amount: 4_000, reached: true }),
      expect.objectContaining({ amount: 10_000, reached: false }),
    ]);
    await deliverAndSettle(service, (await new OneTimePayment(campaign, 4_000).record(service)).completed());
    expect((await consumerEvents(service, 'goal.reached', campaign.slug))).toHaveLength(1);
  });
});

describe('refunds', () => {
  test('partial then full refunds of a covered-fee donation take at most the donation amount from the goal', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 10_000, 330).record(service);
    await deliverAndSettle(service, payment.completed());
    const partial = payment.refund(3_000);
    await deliverAndSettle(service, partial, partial);
    expect(await progress(campaign)).toMatchObject({ raised: 7_000, donations_count: 1, donors_count: 1 });

    const rest = payment.refund(7_330);
    await deliverAndSettle(service, rest, twin(rest));
    const donation = await donationOf(service, { sessionId: payment.sessionId });
    expect(donation).toMatchObject({ refunded_amount: 10_000, refunded_gross: 10_330 });
    expect((await ledgerOf(service, donation.id)).map(({ kind, amount }) => [kind, amount])).toEqual([
      ['donation', 10_000],
      ['refund', -3_000],
      ['refund', -7_000],
    ]);
    // Fully refunded: it no longer counts as a donation, nor its donor.
    expect(await progress(campaign)).toMatchObject({ raised: 0, donations_count: 0, donors_count: 0 });
    expect(await periodFigures(service, campaign.id, thisMonth(campaign))).toMatchObject({ refunded: 10_000 });

    const { rows: confirmations } = await service.ctx.db.query(`SELECT payload FROM receipts WHERE donation_id = $1 AND kind = 'refund' ORDER BY id`, [donation.id]);
    expect(confirmations.map((row) => row.payload.amount)).toEqual([3_000, 7_330]);
    const refunded = await consumerEvents(service, 'donation.refunded', donation.id);
    expect(refunded.map((data) => data.refund.amount)).toEqual([3_000, 7_330]);
  });

  test('refunds reported only as a running total apply the difference, never the total twice', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 8_000).record(service);
    const first = payment.refund(1_000, { withList: false });
    const second = payment.refund(2_500, { withList: false });
    // The later (larger) total arrives first, then the earlier one late.
    await deliverAndSettle(service, payment.completed(), second, first);
    expect(await donationOf(service, { sessionId: payment.sessionId })).toMatchObject({ refunded_amount: 3_500 });
    expect((await progress(campaign)).raised).toBe(4_500);
  });

  test('a refund that arrives before its payment waits for it and is applied when it lands', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 6_000).record(service);
    const refund = payment.refund(1_500);
    const statuses = await deliverAndSettle(service, refund);
    expect(statuses.get(refund.id)).toBe('deferred');
    expect((await progress(campaign)).raised).toBe(0);

    await deliverAndSettle(service, payment.completed());
    expect((await settled(service, [refund.id])).get(refund.id)).toBe('processed');
    expect((await progress(campaign)).raised).toBe(4_500);
  });
});

describe('disputes', () => {
  test('a lost dispute takes the money out when opened and keeps it out', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 4_000, 150).record(service);
    await deliverAndSettle(service, payment.completed(), payment.dispute('created'));
    expect(await progress(campaign)).toMatchObject({ raised: 0, donations_count: 0 });
    expect(await periodFigures(service, campaign.id, thisMonth(campaign))).toMatchObject({ disputed: 4_000 });

    await deliverAndSettle(service, payment.dispute('closed', { status: 'lost' }));
    const donation = await donationOf(service, { sessionId: payment.sessionId });
    expect(donation).toMatchObject({ dispute_status: 'lost', disputed_amount: 4_000 });
    expect((await ledgerOf(service, donation.id)).map(({ kind, amount }) => [kind, amount])).toEqual([
      ['donation', 4_000],
      ['dispute', -4_000],
    ]);
    expect((await consumerEvents(service, 'donation.disputed', donation.id)).map((data) => data.dispute.status)).toEqual(['open', 'lost']);
  });

  test('a won dispute brings the money back, even when its closing arrives before its opening', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await new OneTimePayment(campaign, 4_000).record(service);
    await deliverAndSettle(service, payment.completed(), payment.dispute('closed', { status: 'won' }), payment.dispute('created'));
    const donation = await donationOf(service, { sessionId: payment.sessionId });
    expect(donation).toMatchObject({ dispute_status: 'won', disputed_amount: 0 });
    expect((await ledgerOf(service, donation.id)).map(({ kind, amount }) => [kind, amount])).toEqual([
      ['donation', 4_000],
      ['dispute', -4_000],
      ['dispute_reversal', 4_000],
    ]);
    expect(await progress(campaign)).toMatchObject({ raised: 4_000, donations_count: 1 });
    expect(await periodFigures(service, campaign.id, thisMonth(campaign))).toMatchObject({ disputed: 0 });
  });
});

describe('monthly donations', () => {
  test("the first invoice is the checkout's payment (counted once); each later invoice counts in its own month", async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'Europe/Berlin' });
    const monthly = await new MonthlyPayment(campaign, 1_500, 75).record(service);
    const january = new Date('2025-01-15T10:00:00Z');
    const february = new Date('2025-02-15T10:00:00Z');
    const firstPaid = monthly.paid(0, january);
    // invoice.paid before its checkout (it waits), Stripe's twin invoice.payment_succeeded too.
    await deliverAndSettle(service, firstPaid);
    expect((await settled(service, [firstPaid.id])).get(firstPaid.id)).toBe('deferred');
    await deliverAndSettle(
      service,
      monthly.completed(january),
      monthly.paid(0, january, 'invoice.payment_succeeded'),
      monthly.invoicePayment(0),
      monthly.paid(1, february),
      twin(monthly.paid(1, february)),
      monthly.invoicePayment(1),
    );
    expect((await settled(service, [firstPaid.id])).get(firstPaid.id)).toBe('processed');

    const first = await donationOf(service, { invoiceId: monthly.invoice(0).invoiceId });
    const second = await donationOf(service, { invoiceId: monthly.invoice(1).invoiceId });
    expect(first).toMatchObject({
      status: 'succeeded', frequency: 'monthly', amount: 1_500, fee_amount: 75, period_key: '2025-01',
      checkout_session_id: monthly.sessionId, subscription_id: monthly.subscriptionId,
      payment_intent_id: monthly.invoice(0).paymentIntentId, donor_email: monthly.donor.email,
    });
    expect(second).toMatchObject({ status: 'succeeded', period_key: '2025-02', checkout_session_id: null, payment_intent_id: monthly.invoice(1).paymentIntentId });
    const { rows } = await service.ctx.db.query('SELECT count(*)::int AS n FROM donations WHERE subscription_id = $1', [monthly.subscriptionId]);
    expect(rows[0].n).toBe(2);
    expect((await progress(campaign, '2025-01')).raised).toBe(1_500);
    expect((await progress(campaign, '2025-02')).raised).toBe(1_500);
    expect(await periodFigures(service, campaign.id, 'total')).toMatchObject({ raised: 3_000, donations_count: 2, donors_count: 1 });

    // A refund of February's charge names only its payment intent; it lowers February.
    await deliverAndSettle(service, monthly.refunded(1, 500));
    expect((await progress(campaign, '2025-02')).raised).toBe(1_000);
    expect((await progress(campaign, '2025-01')).raised).toBe(1_500);

    await deliverAndSettle(service, monthly.deleted());
    const { rows: subscriptions } = await service.ctx.db.query('SELECT status, canceled_at FROM subscriptions WHERE id = $1', [monthly.subscriptionId]);
    expect(subscriptions[0]).toMatchObject({ status: 'canceled', canceled_at: expect.any(Date) });
  });

  test('a refund for an invoice whose payment is not linked yet waits for invoice_payment.paid', async () => {
    const campaign = await ledgerCampaign(service);
    const monthly = await new MonthlyPayment(campaign, 2_000).record(service);
    const refund = monthly.refunded(0, 2_000);
    await deliverAndSettle(service, monthly.completed(), monthly.paid(0), refund);
    expect((await settled(service, [refund.id])).get(refund.id)).toBe('deferred');
    await deliverAndSettle(service, monthly.invoicePayment(0));
    expect((await settled(service, [refund.id])).get(refund.id)).toBe('processed');
    expect(await progress(campaign)).toMatchObject({ raised: 0, donations_count: 0 });
  });
});

describe('failed events', () => {
  test('an event that fails every attempt is listed as failed with its error, and a replay runs it again', async () => {
    const strict = await startTestService({ STRIPE_EVENT_ATTEMPTS: '2' });
    strict.startWorkers();
    try {
      const campaign = await ledgerCampaign(strict);
      const payment = await new OneTimePayment(campaign, 2_500).record(strict);
      // The database refuses this donation (as an outage or a bug would) until the constraint goes.
      await strict.ctx.db.query(`ALTER TABLE donations ADD CONSTRAINT refuse_2500 CHECK (amount <> 2500) NOT VALID`);
      const event = payment.completed();
      await deliver(strict, event);
      expect((await settled(strict, [event.id], 20_000)).get(event.id)).toBe('failed');

      const listed = await strict.api.get('/v1/admin/stripe-events?status=failed').set(strict.admin);
      expect(listed.status).toBe(200);
      expect(listed.body.data).toEqual([
        expect.objectContaining({ id: event.id, status: 'failed', attempts: 2, last_error: expect.stringContaining('refuse_2500') }),
      ]);

      await strict.ctx.db.query(`ALTER TABLE donations DROP CONSTRAINT refuse_2500`);
      const replay = await strict.api.post(`/v1/admin/stripe-events/${event.id}/replay`).set(strict.admin);
      expect(replay.status).toBe(202);
      expect((await settled(strict, [event.id])).get(event.id)).toBe('processed');
      expect((await strict.api.get(`/v1/campaigns/${campaign.slug}/progress`)).body.raised).toBe(2_500);

      // Replaying a processed event changes nothing.
      expect((await strict.api.post(`/v1/admin/stripe-events/${event.id}/replay`).set(strict.admin)).status).toBe(202);
      expect((await settled(strict, [event.id])).get(event.id)).toBe('processed');
      expect((await strict.api.get(`/v1/campaigns/${campaign.slug}/progress`)).body.raised).toBe(2_500);
      expect((await strict.api.post('/v1/admin/stripe-events/evt_missing/replay').set(strict.admin)).status).toBe(404);
    } finally {
      await strict.close();
    }
  });
});

describe('admin donations', () => {
  test('lists donations newest first with filters, search and cursor pages, and shows one with its ledger', async () => {
    const campaign = await ledgerCampaign(service);
    const other = await ledgerCampaign(service);
    const payments = [
      await new OneTimePayment(campaign, 1_000, 0, someDonor({ name: 'Ada Lovelace' })).record(service),
      await new OneTimePayment(campaign, 2_000, 0, someDonor({ name: 'Alan Turing' })).record(service),
      await new OneTimePayment(campaign, 3_000, 0, someDonor({ name: 'Edsger 100%_Dijkstra' })).record(service),
    ];
    const pending = await new OneTimePayment(campaign, 4_000).record(service);
    const elsewhere = await new OneTimePayment(other, 5_000).record(service);
    for (const payment of payments) await deliverAndSettle(service, payment.completed());
    await deliverAndSettle(service, pending.completed(now(), 'unpaid'), elsewhere.completed(), payments[0]!.refund(400));

    const all = await service.api.get(`/v1/admin/donations?campaign=${campaign.slug}`).set(service.admin);
    expect(all.status).toBe(200);
    expect(all.body.data.map((d: { amount: number }) => d.amount)).toEqual([4_000, 3_000, 2_000, 1_000]);

    const succeeded = await service.api.get(`/v1/admin/donations?campaign=${campaign.slug}&status=succeeded&month=${thisMonth(campaign)}&limit=2`).set(service.admin);
    expect(succeeded.body.data.map((d: { amount: number }) => d.amount)).toEqual([3_000, 2_000]);
    const next = await service.api.get(`/v1/admin/donations?campaign=${campaign.slug}&status=succeeded&limit=2&cursor=${succeeded.body.next_cursor}`).set(service.admin);
    expect(next.body.data.map((d: { amount: number }) => d.amount)).toEqual([1_000]);
    expect(next.body.next_cursor).toBeNull();

    const byName = await service.api.get(`/v1/admin/donations?campaign=${campaign.slug}&q=turing`).set(service.admin);
    expect(byName.body.data.map((d: { donor: { name: string } }) => d.donor.name)).toEqual(['Alan Turing']);
    const byEmail = await service.api.get(`/v1/admin/donations?q=${encodeURIComponent(payments[0]!.donor.email!.toUpperCase())}`).set(service.admin);
    expect(byEmail.body.data).toHaveLength(1);
    expect((await service.api.get(`/v1/admin/donations?campaign=${campaign.slug}&q=`).set(service.admin)).body.data).toHaveLength(4);
    const literal = await service.api.get(`/v1/admin/donations?campaign=${campaign.slug}&q=${encodeURIComponent('100%_')}`).set(service.admin);
    expect(literal.body.data.map((d: { amount: number }) => d.amount)).toEqual([3_000]);

    const refundedOne = all.body.data.find((d: { amount: number }) => d.amount === 1_000);
    const detail = await service.api.get(`/v1/admin/donations/${refundedOne.id}`).set(service.admin);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: refundedOne.id,
      campaign: campaign.slug,
      status: 'succeeded',
      amount: 1_000,
      refunded_amount: 400,
      net_amount: 600,
      month: thisMonth(campaign),
      stripe: { checkout_session_id: payments[0]!.sessionId, payment_intent_id: payments[0]!.paymentIntentId, charge_id: payments[0]!.chargeId },
      receipt: { status: expect.any(String), to_email: payments[0]!.donor.email },
    });
    expect(detail.body.ledger_entries.map((e: { kind: string; amount: number }) => [e.kind, e.amount])).toEqual([['donation', 1_000], ['refund', -400]]);

    expect((await service.api.get('/v1/admin/donations/don_nope').set(service.admin)).status).toBe(404);
    expect((await service.api.get('/v1/admin/donations?campaign=no-such-campaign').set(service.admin)).status).toBe(404);
    expect((await service.api.get('/v1/admin/donations?status=refunded').set(service.admin)).status).toBe(400);
    expect((await service.api.get('/v1/admin/donations')).status).toBe(401);
  });
});
