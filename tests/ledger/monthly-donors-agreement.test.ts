/**
 * Issue 11's last "done when": dozens of monthly donations across two months — new, amount
 * changed, failed renewals, retried, canceled — driven through real signed Stripe events on the
 * webhook route. Then `pledged` (progress read), the month rows and GET /v1/admin/subscriptions
 * must agree with each other, with a model computed here from what was sent, and with the ledger.
 *
 * The two months are last month and this month (UTC campaign), as the service's own clock sees
 * them: this month is the one whose figures are "now" (status, pledged), last month is read as at
 * its end.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findCampaignBySlug } from '../../src/db/campaigns.js';
import { monthlyPeriod, periodKeyOf, previousPeriodKey } from '../../src/domain/period.js';
import { ProgressReader } from '../../src/services/progress.js';
import { startTestService, type TestService } from '../helpers/service.js';
import {
  MonthlyPayment, OneTimePayment, deliver, deliverAndSettle, ledgerCampaign, momentsSoFar, seconds, settled, type LedgerCampaign, type StripeEventBody,
} from './support.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** What one monthly donation went through, as the model sees it. */
interface ModelSubscription {
  monthly: MonthlyPayment;
  startedAt: Date;
  canceledAt: Date | null;
  /** Paid invoices: which one, what it was made for, when. */
  payments: { invoice: number; amount: number; at: Date }[];
  /** Failed invoices and their first failed attempt. */
  failures: { invoice: number; at: Date; attempts: number }[];
  /** The amount in force now. */
  amount: number;
}

/** The story of one monthly donation, in the order Stripe would send its events. */
type Story = (sub: ModelSubscription, when: Timeline) => StripeEventBody[];

interface Timeline {
  /** A moment `day` days into last month. */
  last(day: number): Date;
  /** The k-th moment of this month (1..3, in order, none later than now). */
  now(k: number): Date;
}

/** A customer.subscription.* snapshot carries the subscription's real start (the fixture's is years ago). */
function startedAt<T extends StripeEventBody>(event: T, start: Date): T {
  (event.data.object as { start_date: number }).start_date = seconds(start);
  return event;
}

function pay(sub: ModelSubscription, invoice: number, at: Date): StripeEventBody {
  sub.payments.push({ invoice, amount: sub.monthly.terms.amount, at });
  return sub.monthly.paid(invoice, at);
}

function fail(sub: ModelSubscription, invoice: number, attempt: number, at: Date): StripeEventBody {
  const known = sub.failures.find((failure) => failure.invoice === invoice);
  if (known) known.attempts = Math.max(known.attempts, attempt);
  else sub.failures.push({ invoice, at, attempts: attempt });
  return sub.monthly.failed(invoice, attempt, at);
}

function changeAmount(sub: ModelSubscription, amount: number, at: Date): StripeEventBody {
  sub.monthly.changeAmount(amount);
  sub.amount = amount;
  return startedAt(sub.monthly.updated(at, { periodEnd: new Date(at.getTime() + 30 * DAY) }), sub.startedAt);
}

function cancel(sub: ModelSubscription, at: Date): StripeEventBody {
  sub.canceledAt = at;
  return startedAt(sub.monthly.deleted(at), sub.startedAt);
}

function start(sub: ModelSubscription, at: Date): StripeEventBody[] {
  sub.startedAt = at;
  return [sub.monthly.completed(at), pay(sub, 0, at)];
}

/** The kinds of life the test gives its donations, each several times with different amounts. */
const STORIES: Record<string, Story> = {
  'renewed this month': (sub, t) => [...start(sub, t.last(2)), pay(sub, 1, t.now(2))],
  'not renewed yet (pledged)': (sub, t) => start(sub, t.last(5)),
  'changed last month, renewed at the new amount': (sub, t) => [
    ...start(sub, t.last(3)), changeAmount(sub, sub.amount + 700, t.last(10)), pay(sub, 1, t.now(1)),
  ],
  'changed this month, not billed yet': (sub, t) => [...start(sub, t.last(4)), changeAmount(sub, sub.amount * 2, t.now(1))],
  'renewal failed this month': (sub, t) => [...start(sub, t.last(6)), fail(sub, 1, 1, t.now(2)), fail(sub, 1, 2, t.now(3))],
  'failed late last month, retried this month': (sub, t) => [...start(sub, t.last(1)), fail(sub, 1, 1, t.last(26)), pay(sub, 1, t.now(2))],
  'failed and retried within this month': (sub, t) => [...start(sub, t.last(7)), fail(sub, 1, 1, t.now(1)), pay(sub, 1, t.now(3))],
  'canceled last month': (sub, t) => [...start(sub, t.last(2)), cancel(sub, t.last(20))],
  'canceled this month': (sub, t) => [...start(sub, t.last(8)), cancel(sub, t.now(2))],
  'new this month': (sub, t) => start(sub, t.now(1)),
  'new this month, canceled at once': (sub, t) => [...start(sub, t.now(1)), cancel(sub, t.now(3))],
};

const COPIES = 3;

interface MonthRow {
  month: string;
  raised: number;
  raised_one_time: number;
  raised_monthly: number;
  monthly_active: number;
  monthly_committed: number;
  monthly_new: number;
  monthly_canceled: number;
  donations_count: number;
}

interface AdminSubscription {
  id: string;
  amount: number;
  status: string;
  failed_attempts: number;
}

async function allSubscriptions(slug: string, filter: { canceled_month?: string; limit?: number } = {}): Promise<AdminSubscription[]> {
  const found: AdminSubscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.api.get('/v1/admin/subscriptions').query({ campaign: slug, limit: 10, ...filter, ...(cursor && { cursor }) }).set(service.admin);
    expect(page.status, page.text).toBe(200);
    found.push(...page.body.data);
    cursor = page.body.next_cursor ?? undefined;
  } while (cursor);
  return found;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const within = (at: Date, from: Date, to: Date) => at >= from && at < to;

describe('monthly donors: pledged, month rows and the admin list agree', () => {
  test('dozens of monthly donations across two months agree with a model of what was sent and with the ledger', async () => {
    const campaign: LedgerCampaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const now = new Date();
    const thisMonth = periodKeyOf(now, 'UTC');
    const lastMonth = previousPeriodKey(thisMonth);
    const last = monthlyPeriod(lastMonth, 'UTC');
    const current = monthlyPeriod(thisMonth, 'UTC');
    const lastStart = new Date(last.starts_at);
    const thisStart = new Date(current.starts_at);
    // Last month's events sit on its days (at most day 27 of it, which every month has); this
    // month's between its start and now, whenever in the month the test runs.
    const timeline: Timeline = {
      last: (day) => {
        const at = new Date(lastStart.getTime() + day * DAY + 9 * 3_600_000);
        if (at >= thisStart) throw new Error(`day ${day} is past the end of ${lastMonth}`);
        return at;
      },
      now: await momentsSoFar(thisStart, 3),
    };

    const subscriptions: ModelSubscription[] = [];
    const events: StripeEventBody[] = [];
    let amount = 1_000;
    for (let copy = 0; copy < COPIES; copy++) {
      for (const story of Object.values(STORIES)) {
        amount += 150;
        const sub: ModelSubscription = {
          monthly: await new MonthlyPayment(campaign, amount).record(service),
          startedAt: now,
          canceledAt: null,
          payments: [],
          failures: [],
          amount,
        };
        subscriptions.push(sub);
        events.push(...story(sub, timeline));
      }
    }
    // One-time money in both months, and an offline cheque this month: all of it one-time.
    const oneTime = [
      { payment: await new OneTimePayment(campaign, 4_200).record(service), at: timeline.last(12) },
      { payment: await new OneTimePayment(campaign, 2_600).record(service), at: timeline.now(2) },
    ];
    events.push(...oneTime.map(({ payment, at }) => payment.completed(at)));
    // About a hundred events: on a loaded machine the workers need more than the helper's default wait.
    await deliver(service, ...events);
    await settled(service, events.map((event) => event.id), 90_000);
    const cheque = await service.api
      .post(`/v1/admin/campaigns/${campaign.slug}/offline-donations`)
      .set(service.admin)
      .send({ amount: 3_100, received_at: thisStart.toISOString().slice(0, 10), method: 'check', reference: 'CHK-11' });
    expect(cheque.status, cheque.text).toBe(201);

    // ---- The model, from what was sent.
    const lastEnd = thisStart;
    const paidBefore = (sub: ModelSubscription, end: Date) => sub.payments.filter((payment) => payment.at < end);
    const pastDueAt = (sub: ModelSubscription, end: Date) =>
      sub.failures.some(
        (failure) =>
          failure.at < end &&
          !paidBefore(sub, end).some((payment) => payment.invoice === failure.invoice || payment.at > failure.at),
      );
    const activeAtLastEnd = subscriptions.filter(
      (sub) => sub.startedAt < lastEnd && !(sub.canceledAt && sub.canceledAt < lastEnd) && !pastDueAt(sub, lastEnd),
    );
    const activeNow = subscriptions.filter((sub) => !sub.canceledAt && !pastDueAt(sub, new Date(8.64e15)));
    const pastDueNow = subscriptions.filter((sub) => !sub.canceledAt && pastDueAt(sub, new Date(8.64e15)));
    const monthlyRaised = (from: Date, to: Date) =>
      sum(subscriptions.flatMap((sub) => sub.payments.filter((payment) => within(payment.at, from, to)).map((payment) => payment.amount)));
    const expected = {
      [lastMonth]: {
        raised_monthly: monthlyRaised(lastStart, lastEnd),
        raised_one_time: 4_200,
        monthly_active: activeAtLastEnd.length,
        // A past month's committed amount: what each one's last payment by the month's end was made for.
        monthly_committed: sum(activeAtLastEnd.map((sub) => paidBefore(sub, lastEnd).at(-1)!.amount)),
        monthly_new: subscriptions.filter((sub) => within(sub.startedAt, lastStart, lastEnd)).length,
        monthly_canceled: subscriptions.filter((sub) => sub.canceledAt && within(sub.canceledAt, lastStart, lastEnd)).length,
      },
      [thisMonth]: {
        raised_monthly: monthlyRaised(thisStart, new Date(current.ends_at)),
        raised_one_time: 2_600 + 3_100,
        monthly_active: activeNow.length,
        monthly_committed: sum(activeNow.map((sub) => sub.amount)),
        monthly_new: subscriptions.filter((sub) => within(sub.startedAt, thisStart, new Date(current.ends_at))).length,
        monthly_canceled: subscriptions.filter((sub) => sub.canceledAt && within(sub.canceledAt, thisStart, new Date(current.ends_at))).length,
      },
    };
    const pledged = sum(activeNow.filter((sub) => !sub.payments.some((payment) => payment.at >= thisStart)).map((sub) => sub.amount));
    // The scenario is not degenerate: every figure has something to count.
    expect(subscriptions.length).toBeGreaterThanOrEqual(30);
    expect(pledged).toBeGreaterThan(0);
    expect(pastDueNow.length).toBe(COPIES);
    expect(expected[lastMonth]!.monthly_active).toBeLessThan(expected[lastMonth]!.monthly_new);
    // This month's cancellations take more than one page of the canceled_month list below.
    expect(expected[thisMonth]!.monthly_canceled).toBeGreaterThan(4);

    // ---- The month rows match the model, and their raised splits into the two parts.
    const months = await service.api
      .get(`/v1/admin/campaigns/${campaign.slug}/months`)
      .query({ from: lastMonth, to: thisMonth })
      .set(service.admin);
    expect(months.status, months.text).toBe(200);
    const rows = new Map((months.body.data as MonthRow[]).map((row) => [row.month, row]));
    for (const month of [lastMonth, thisMonth]) {
      const row = rows.get(month)!;
      expect(row, month).toMatchObject(expected[month]!);
      expect(row.raised_one_time + row.raised_monthly, month).toBe(row.raised);
    }

    // ---- The ledger says the same, split by the donation's frequency.
    const { rows: ledger } = await service.ctx.db.query<{ period_key: string; frequency: string; total: number }>(
      `SELECT le.period_key, d.frequency, sum(le.amount)::bigint AS total
       FROM ledger_entries le JOIN donations d ON d.id = le.donation_id WHERE le.campaign_id = $1 GROUP BY 1, 2`,
      [campaign.id],
    );
    for (const month of [lastMonth, thisMonth]) {
      const of = (frequency: string) => ledger.find((entry) => entry.period_key === month && entry.frequency === frequency)?.total ?? 0;
      expect({ month, monthly: of('monthly'), oneTime: of('one_time') }).toEqual({
        month,
        monthly: rows.get(month)!.raised_monthly,
        oneTime: rows.get(month)!.raised_one_time,
      });
    }

    // ---- The progress read: this month's pledged is the model's; it never counts in raised.
    const progress = await service.api.get(`/v1/campaigns/${campaign.slug}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ pledged, raised: rows.get(thisMonth)!.raised });
    const pastProgress = await service.api.get(`/v1/campaigns/${campaign.slug}/progress`).query({ month: lastMonth });
    expect(pastProgress.body).toMatchObject({ pledged: 0, raised: rows.get(lastMonth)!.raised });

    // ---- The admin list: statuses, amounts and failed attempts, and the same active set as the month row.
    const listed = await allSubscriptions(campaign.slug);
    expect(listed).toHaveLength(subscriptions.length);
    const byId = new Map(listed.map((sub) => [sub.id, sub]));
    for (const sub of subscriptions) {
      const status = sub.canceledAt ? 'canceled' : pastDueNow.includes(sub) ? 'past_due' : 'active';
      const failedAttempts = status === 'past_due' ? sum(sub.failures.map((failure) => failure.attempts)) : 0;
      expect(byId.get(sub.monthly.subscriptionId), sub.monthly.subscriptionId).toMatchObject({ status, amount: sub.amount, failed_attempts: failedAttempts });
    }
    const active = listed.filter((sub) => sub.status === 'active');
    expect(active.length).toBe(rows.get(thisMonth)!.monthly_active);
    expect(sum(active.map((sub) => sub.amount))).toBe(rows.get(thisMonth)!.monthly_committed);
    // pledged is the part of the committed amount not paid yet this month.
    expect(pledged).toBeLessThanOrEqual(rows.get(thisMonth)!.monthly_committed);

    // ---- canceled_month lists, over several pages, exactly the donations its month row counts in monthly_canceled.
    for (const [month, from, to] of [[lastMonth, lastStart, lastEnd], [thisMonth, thisStart, new Date(current.ends_at)]] as const) {
      const canceled = await allSubscriptions(campaign.slug, { canceled_month: month, limit: 4 });
      const modelIds = subscriptions.filter((sub) => sub.canceledAt && within(sub.canceledAt, from, to)).map((sub) => sub.monthly.subscriptionId);
      expect(canceled.map((sub) => sub.id).sort(), month).toEqual(modelIds.sort());
      expect(canceled.length, month).toBe(rows.get(month)!.monthly_canceled);
      expect(new Set(canceled.map((sub) => sub.status)), month).toEqual(new Set(['canceled']));
    }
  }, 150_000);

  test("at a new month every active donation is due again: cached progress never serves last month's pledged", async () => {
    const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
    const thisStart = Date.parse(monthlyPeriod(periodKeyOf(new Date(), 'UTC'), 'UTC').starts_at);
    const lastStart = Date.parse(monthlyPeriod(previousPeriodKey(periodKeyOf(new Date(), 'UTC')), 'UTC').starts_at);
    const monthly = await new MonthlyPayment(campaign, 2_500).record(service);
    const started = new Date(lastStart + 2 * DAY);
    await deliverAndSettle(service, monthly.completed(started), monthly.paid(0, started));

    // A reader whose cache would keep answers for an hour, a second before midnight of last month's end.
    let clock = thisStart - 1_000;
    const reader = new ProgressReader(service.ctx.db, 3_600_000, () => clock);
    const row = (await findCampaignBySlug(service.ctx.db, campaign.slug))!;
    const before = await reader.snapshot(row);
    expect(before.progress).toMatchObject({ period: { key: previousPeriodKey(periodKeyOf(new Date(), 'UTC')) }, pledged: 0, raised: 2_500 });

    clock = thisStart + 1_000;
    const after = await reader.snapshot(row);
    expect(after.progress).toMatchObject({ period: { key: periodKeyOf(new Date(), 'UTC') }, pledged: 2_500, raised: 0 });
  });
});
