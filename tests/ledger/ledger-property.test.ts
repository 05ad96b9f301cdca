/**
 * Property: whatever order Stripe's events arrive in, however often, under whatever ids, and
 * with two worker processes taking them at the same time, the ledger and the period aggregates
 * end equal to a simple model of the payments, to the cent.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { periodKeyOf } from '../../src/domain/period.js';
import { startTestService, type TestService } from '../helpers/service.js';
import {
  MonthlyPayment,
  OneTimePayment,
  ledgerCampaign,
  postEvent,
  settled,
  twin,
  type LedgerCampaign,
  type StripeEventBody,
} from './support.js';

const RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? 8);
const TIMEZONE = 'America/New_York';
/** Local midnight starting April 2025 in New York: payments around it fall in March or April. */
const BOUNDARY = Date.parse('2025-04-01T04:00:00Z');
const HOUR = 3_600_000;
const DONORS = ['ada@example.org', 'ADA@Example.org', 'alan@example.org', 'grace@example.org'];

let first: TestService;
let second: TestService;

beforeAll(async () => {
  first = await startTestService();
  // A second process: its own pool and Redis connections, the same database and queues.
  second = await startTestService({ DATABASE_URL: first.config.DATABASE_URL, REDIS_PREFIX: first.config.REDIS_PREFIX });
  first.startWorkers();
  second.startWorkers();
});

afterAll(async () => {
  await second?.close();
  await first?.close();
});

// ---------------------------------------------------------------------------------------------
// What happens to each payment

interface OneTimeSpec {
  kind: 'one_time';
  amount: number;
  fee: number;
  donor: number;
  /** Hours from the month boundary (negative: March). */
  offsetHours: number;
  delayed: 'no' | 'succeeds' | 'fails';
  refunds: number[];
  refundList: boolean;
  /** The first refund fails afterwards (refund.failed): its amount comes back. */
  firstRefundFails: boolean;
  dispute: 'none' | 'open' | 'won' | 'lost';
  chargeSucceeded: boolean;
}

interface MonthlySpec {
  kind: 'monthly';
  amount: number;
  fee: number;
  donor: number;
  offsetHours: number;
  invoices: number;
  refund: { invoice: number; amount: number } | null;
  deleted: boolean;
  /** A renewal (k ≥ 1) that fails twice before a retry pays it. */
  retried: number | null;
  /** The donor's new amount from the first renewal on (an update event announces it). */
  changeTo: number | null;
  /** One more renewal fails and is never paid. */
  unpaid: boolean;
  paused: boolean;
}

type PaymentSpec = OneTimeSpec | MonthlySpec;

const money = fc.integer({ min: 100, max: 9_000 });
const fee = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 }));
const offsetHours = fc.integer({ min: -3, max: 3 }).filter((h) => h !== 0);

const oneTimeSpec: fc.Arbitrary<OneTimeSpec> = fc.record({
  kind: fc.constant('one_time' as const),
  amount: money,
  fee,
  donor: fc.nat(DONORS.length - 1),
  offsetHours,
  delayed: fc.constantFrom('no', 'no', 'succeeds', 'fails'),
  refunds: fc.array(fc.integer({ min: 1, max: 9_400 }), { maxLength: 2 }),
  refundList: fc.boolean(),
  firstRefundFails: fc.boolean(),
  dispute: fc.constantFrom('none', 'none', 'open', 'won', 'lost'),
  chargeSucceeded: fc.boolean(),
});

const monthlySpec: fc.Arbitrary<MonthlySpec> = fc.record({
  kind: fc.constant('monthly' as const),
  amount: money,
  fee,
  donor: fc.nat(DONORS.length - 1),
  offsetHours,
  invoices: fc.integer({ min: 1, max: 3 }),
  refund: fc.option(fc.record({ invoice: fc.nat(2), amount: fc.integer({ min: 1, max: 9_400 }) }), { nil: null }),
  deleted: fc.boolean(),
  retried: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
  changeTo: fc.option(money, { nil: null }),
  unpaid: fc.boolean(),
  paused: fc.boolean(),
});

const scenario = fc.record({
  payments: fc.array(fc.oneof(oneTimeSpec, monthlySpec), { minLength: 1, maxLength: 5 }),
  /** Per event: how it is delivered besides once (again, under a second id, replayed by an admin). */
  extras: fc.array(fc.constantFrom('none', 'none', 'none', 'again', 'twin', 'replay'), { minLength: 80, maxLength: 80 }),
  /** Sort keys that shuffle the deliveries. */
  order: fc.array(fc.integer(), { minLength: 240, maxLength: 240 }),
});

// ---------------------------------------------------------------------------------------------
// The model: what each donation and each period must end as

interface ModelSubscription {
  id: string;
  status: 'active' | 'past_due' | 'paused' | 'canceled';
  amount: number;
}

interface ModelDonation {
  key: { sessionId?: string; invoiceId?: string };
  status: 'succeeded' | 'failed';
  amount: number;
  email: string;
  month: string;
  totals: { donation: number; refund: number; dispute: number; dispute_reversal: number };
}

function modelTotals(amount: number, refundedGross: number, dispute: { amount: number; won: boolean } | null) {
  const refunded = Math.min(refundedGross, amount);
  const disputed = dispute ? Math.min(dispute.amount, amount - refunded) : 0;
  return { donation: amount, refund: 0 - refunded, dispute: 0 - disputed, dispute_reversal: dispute?.won ? disputed : 0 };
}

/** Builds each payment's events in the order Stripe would send them, and its model donations. */
async function buildPayments(service: TestService, campaign: LedgerCampaign, specs: PaymentSpec[]) {
  const events: StripeEventBody[] = [];
  const donations: ModelDonation[] = [];
  const subscriptions: ModelSubscription[] = [];
  for (const spec of specs) {
    const donor = { email: DONORS[spec.donor]!, name: `Donor ${spec.donor}`, anonymous: spec.donor === 2 };
    const paidAt = new Date(BOUNDARY + spec.offsetHours * HOUR);
    if (spec.kind === 'one_time') {
      const payment = await new OneTimePayment(campaign, spec.amount, spec.fee, donor).record(service);
      const month = periodKeyOf(paidAt, TIMEZONE);
      if (spec.delayed === 'no') {
        events.push(payment.completed(paidAt));
      } else {
        events.push(payment.completed(new Date(paidAt.getTime() - HOUR), 'unpaid'));
        events.push(spec.delayed === 'succeeds' ? payment.asyncSucceeded(paidAt) : payment.asyncFailed(paidAt));
      }
      if (spec.delayed === 'fails') {
        donations.push({ key: { sessionId: payment.sessionId }, status: 'failed', amount: spec.amount, email: donor.email, month, totals: modelTotals(0, 0, null) });
        continue;
      }
      if (spec.chargeSucceeded) events.push(payment.chargeSucceeded(paidAt));
      let refunded = 0;
      const refundAmounts: number[] = [];
      for (const wanted of spec.refunds) {
        const amount = Math.min(wanted, payment.total - refunded);
        if (amount <= 0) break;
        refunded += amount;
        refundAmounts.push(amount);
        events.push(payment.refund(amount, { at: new Date(paidAt.getTime() + HOUR), withList: spec.refundList }));
      }
      const returned = spec.firstRefundFails && refundAmounts.length ? refundAmounts[0]! : 0;
      if (returned) events.push(payment.refundEnds(0, 'failed'));
      let dispute: { amount: number; won: boolean } | null = null;
      if (spec.dispute !== 'none' && payment.total - refunded > 0) {
        dispute = { amount: payment.total - refunded, won: spec.dispute === 'won' };
        events.push(payment.dispute('created', { amount: dispute.amount }));
        if (spec.dispute !== 'open') events.push(payment.dispute('closed', { amount: dispute.amount, status: spec.dispute }));
      }
      donations.push({
        key: { sessionId: payment.sessionId },
        status: 'succeeded',
        amount: spec.amount,
        email: donor.email,
        month,
        totals: modelTotals(spec.amount, refunded - returned, dispute),
      });
    } else {
      const monthly = await new MonthlyPayment(campaign, spec.amount, spec.fee, donor).record(service);
      const at = (k: number, hours = 0) => new Date(paidAt.getTime() + k * 31 * 24 * HOUR + hours * HOUR);
      events.push(monthly.completed(paidAt), monthly.created(paidAt));
      for (let k = 0; k < spec.invoices; k++) {
        if (k === 1 && spec.changeTo !== null) {
          monthly.changeAmount(spec.changeTo);
          events.push(monthly.updated(at(0, 1)));
        }
        let invoicePaidAt = at(k);
        if (spec.retried === k) {
          // Two failed tries of the same invoice, then a retry that pays it days later.
          events.push(monthly.failed(k, 1, invoicePaidAt), monthly.failed(k, 2, at(k, 72)));
          invoicePaidAt = at(k, 144);
        }
        events.push(monthly.paid(k, invoicePaidAt), monthly.invoicePayment(k, invoicePaidAt));
        const refund = spec.refund && spec.refund.invoice === k ? Math.min(spec.refund.amount, monthly.terms.amount + monthly.terms.fee) : 0;
        if (refund) events.push(monthly.refunded(k, refund, invoicePaidAt));
        donations.push({
          key: { invoiceId: monthly.invoice(k).invoiceId },
          status: 'succeeded',
          amount: monthly.terms.amount,
          email: donor.email,
          month: periodKeyOf(invoicePaidAt, TIMEZONE),
          totals: modelTotals(monthly.terms.amount, refund, null),
        });
      }
      if (spec.unpaid) events.push(monthly.failed(spec.invoices, 1, at(spec.invoices, 200)));
      if (spec.paused) events.push(monthly.updated(at(spec.invoices, 300), { paused: true }));
      if (spec.deleted) events.push(monthly.deleted(at(spec.invoices, 400)));
      subscriptions.push({
        id: monthly.subscriptionId,
        status: spec.deleted ? 'canceled' : spec.paused ? 'paused' : spec.unpaid ? 'past_due' : 'active',
        amount: monthly.terms.amount,
      });
    }
  }
  return { events, donations, subscriptions };
}

function modelPeriods(donations: ModelDonation[]) {
  const periods = new Map<string, { raised: number; refunded: number; disputed: number; donations_count: number; donors: Set<string> }>();
  for (const donation of donations) {
    if (donation.status !== 'succeeded') continue;
    const t = donation.totals;
    const net = t.donation + t.refund + t.dispute + t.dispute_reversal;
    for (const key of [donation.month, 'total']) {
      const period = periods.get(key) ?? { raised: 0, refunded: 0, disputed: 0, donations_count: 0, donors: new Set<string>() };
      period.raised += net;
      period.refunded -= t.refund;
      period.disputed -= t.dispute + t.dispute_reversal;
      if (net > 0) {
        period.donations_count += 1;
        period.donors.add(donation.email.toLowerCase());
      }
      periods.set(key, period);
    }
  }
  return new Map(
    [...periods].map(([key, p]) => [key, { raised: p.raised, refunded: p.refunded, disputed: p.disputed, donations_count: p.donations_count, donors_count: p.donors.size }]),
  );
}

// ---------------------------------------------------------------------------------------------
// Delivery: shuffled, duplicated, twinned and replayed, to both processes at once

async function deliverChaotically(events: StripeEventBody[], extras: string[], order: number[]): Promise<string[]> {
  const deliveries: { event: StripeEventBody; replay: boolean }[] = [];
  events.forEach((event, i) => {
    deliveries.push({ event, replay: false });
    const extra = extras[i % extras.length];
    if (extra === 'again') deliveries.push({ event, replay: false });
    if (extra === 'twin') deliveries.push({ event: twin(event), replay: false });
    if (extra === 'replay') deliveries.push({ event, replay: true });
  });
  const shuffled = deliveries
    .map((delivery, i) => ({ delivery, key: order[i % order.length]! * 1_000 + i }))
    .sort((a, b) => a.key - b.key)
    .map(({ delivery }) => delivery);
  // A replay needs its event stored first: those go after every first delivery.
  const posts = shuffled.filter((d) => !d.replay);
  const replays = shuffled.filter((d) => d.replay);
  const CONCURRENCY = 6;
  for (let i = 0; i < posts.length; i += CONCURRENCY) {
    await Promise.all(
      posts.slice(i, i + CONCURRENCY).map(async ({ event }, j) => {
        const response = await postEvent((i + j) % 2 ? second : first, event);
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${response.text}`);
      }),
    );
  }
  await Promise.all(
    replays.map(async ({ event }, j) => {
      const service = j % 2 ? second : first;
      const response = await service.api.post(`/v1/admin/stripe-events/${event.id}/replay`).set(service.admin);
      if (response.status !== 202) throw new Error(`replay answered ${response.status}: ${response.text}`);
    }),
  );
  return [...new Set(deliveries.map((d) => d.event.id))];
}

// ---------------------------------------------------------------------------------------------

test(
  'any order, duplication and replay of the same events, across two worker processes, ends in the model ledger to the cent',
  async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ payments, extras, order }) => {
        const campaign = await ledgerCampaign(first, {
          timezone: TIMEZONE,
          goal: { period: 'monthly', amount: 20_000 },
          tiers: [
            { amount: 5_000, label: 'Five', description: '' },
            { amount: 10_000, label: 'Ten', description: '' },
          ],
        });
        const { events, donations, subscriptions } = await buildPayments(first, campaign, payments);
        const ids = await deliverChaotically(events, extras, order);
        const statuses = await settled(first, ids, 30_000);
        // Everything waiting for a payment found it: nothing deferred, nothing failed.
        expect([...statuses.values()].filter((status) => status !== 'processed' && status !== 'ignored')).toEqual([]);

        for (const expected of donations) {
          const { rows } = await first.ctx.db.query(
            `SELECT d.id, d.status, d.amount, d.period_key,
                    COALESCE(json_object_agg(l.kind, l.total) FILTER (WHERE l.kind IS NOT NULL), '{}') AS totals
             FROM donations d
             LEFT JOIN (SELECT donation_id, kind, sum(amount)::int AS total FROM ledger_entries GROUP BY 1, 2) l ON l.donation_id = d.id
             WHERE d.checkout_session_id = $1 OR d.invoice_id = $2
             GROUP BY d.id`,
            [expected.key.sessionId ?? null, expected.key.invoiceId ?? null],
          );
          expect(rows, JSON.stringify(expected.key)).toHaveLength(1);
          const actual = rows[0];
          expect(actual.status).toBe(expected.status);
          const totals = { donation: 0, refund: 0, dispute: 0, dispute_reversal: 0, ...actual.totals };
          expect(totals, `${actual.id} ${JSON.stringify(expected)}`).toEqual(expected.totals);
          if (expected.status === 'succeeded') expect(actual.period_key).toBe(expected.month);
        }

        const { rows: periodRows } = await first.ctx.db.query(
          `SELECT period_key, raised, refunded, disputed, donations_count, donors_count FROM campaign_periods
           WHERE campaign_id = $1 AND (raised <> 0 OR refunded <> 0 OR disputed <> 0 OR donations_count <> 0 OR donors_count <> 0)`,
          [campaign.id],
        );
        const actualPeriods = new Map(periodRows.map(({ period_key, ...figures }) => [period_key as string, figures]));
        const expectedPeriods = new Map([...modelPeriods(donations)].filter(([, p]) => Object.values(p).some((v) => v !== 0)));
        expect(Object.fromEntries(actualPeriods)).toEqual(Object.fromEntries(expectedPeriods));

        // One donation.succeeded per succeeded donation, however many times its events came.
        const { rows: announced } = await first.ctx.db.query(
          `SELECT count(*)::int AS n, count(DISTINCT payload->'data'->'donation'->>'id')::int AS distinct_ids
           FROM webhook_events WHERE type = 'donation.succeeded' AND payload->'data'->'donation'->>'campaign' = $1`,
          [campaign.slug],
        );
        const succeeded = donations.filter((d) => d.status === 'succeeded').length;
        expect(announced[0]).toEqual({ n: succeeded, distinct_ids: succeeded });
        // Each monthly donation ends in the status and amount its facts say, whatever the order;
        // a failed invoice is mailed about once at most, and never counted.
        for (const expected of subscriptions) {
          const { rows: [actual] } = await first.ctx.db.query('SELECT id, status, amount FROM subscriptions WHERE id = $1', [expected.id]);
          expect(actual, JSON.stringify(payments)).toEqual(expected);
        }
        const { rows: mails } = await first.ctx.db.query(
          `SELECT dedupe_key, count(*)::int AS n FROM receipts WHERE kind = 'payment_failed' AND payload->>'subscription_id' = ANY($1) GROUP BY 1`,
          [subscriptions.map((subscription) => subscription.id)],
        );
        expect(mails.filter((mail) => mail.n !== 1)).toEqual([]);
        const { rows: waiting } = await first.ctx.db.query('SELECT count(*)::int AS n FROM pending_adjustments WHERE stripe_event_id = ANY($1)', [ids]);
        expect(waiting[0].n).toBe(0);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  },
  300_000,
);
