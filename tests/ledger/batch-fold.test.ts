import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { periodKeyOf } from '../../src/domain/period.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { OneTimePayment, consumerEvents, deliver, ledgerCampaign, momentsSoFar, periodFigures, settled, someDonor } from './support.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
});

afterAll(async () => {
  await service?.close();
});

const crossingsOf = async (campaignId: number) =>
  (
    await service.ctx.db.query<{ period_key: string; kind: string; amount: number; reached_at: Date }>(
      'SELECT period_key, kind, amount, reached_at FROM tier_crossings WHERE campaign_id = $1 ORDER BY period_key, kind, amount',
      [campaignId],
    )
  ).rows;

describe('one batch moving several campaigns (the period fold, set-based)', () => {
  test('each tier and goal crossed fires once, with the figures of the change that crossed it, and the aggregates are exact', async () => {
    const tiers = (...amounts: number[]) => amounts.map((amount) => ({ amount, label: `T${amount}`, description: '' }));
    const monthly = await ledgerCampaign(service, { timezone: 'UTC', goal: { period: 'monthly', amount: 10_000 }, tiers: tiers(3_000, 6_000) });
    const total = await ledgerCampaign(service, { timezone: 'UTC', goal: { period: 'total', amount: 5_000 }, tiers: tiers(2_000) });
    const quiet = await ledgerCampaign(service, { timezone: 'UTC', goal: { period: 'monthly', amount: 100_000 }, tiers: tiers(50_000) });

    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const lastMonthDay = new Date(monthStart.getTime() - 10 * 86_400_000);
    const [thisMonth, lastMonth] = [periodKeyOf(now, 'UTC'), periodKeyOf(lastMonthDay, 'UTC')];
    const at = await momentsSoFar(monthStart, 8);

    const regular = someDonor();
    const m1 = await new OneTimePayment(monthly, 2_000, 0, regular).record(service);
    const m2 = await new OneTimePayment(monthly, 2_000).record(service);
    const m3 = await new OneTimePayment(monthly, 1_500, 0, regular).record(service);
    const mLate = await new OneTimePayment(monthly, 1_000).record(service);
    const t1 = await new OneTimePayment(total, 1_500).record(service);
    const t2 = await new OneTimePayment(total, 1_000).record(service);
    const t3 = await new OneTimePayment(total, 3_000).record(service);
    const q1 = await new OneTimePayment(quiet, 1_000).record(service);

    // Delivered before any worker runs, so one claim takes them all: one batch, one fold.
    const events = [
      m1.completed(at(1)),
      t1.completed(at(1)),
      mLate.completed(lastMonthDay),
      m2.completed(at(2)), // monthly: 4 000, crosses 3 000 here
      t2.completed(at(2)), // total: 2 500, crosses 2 000 here
      q1.completed(at(3)),
      m2.refund(2_000, { at: at(4) }), // monthly: back to 2 000
      m3.completed(at(5)), // monthly: 3 500, crosses 3 000 again: recorded and announced already
      t3.completed(at(6)), // total: 5 500, the goal
    ];
    await deliver(service, ...events);
    const workers = service.startWorkers();
    const statuses = await settled(service, events.map((event) => event.id));
    await workers.close();
    expect([...statuses.values()]).toEqual(events.map(() => 'processed'));
    const { rows: batches } = await service.ctx.db.query('SELECT DISTINCT xmin::text FROM stripe_events WHERE id = ANY($1)', [events.map((e) => e.id)]);
    expect(batches).toHaveLength(1);

    const tierEvents = await consumerEvents(service, 'tier.reached', monthly.slug);
    expect(tierEvents).toEqual([
      expect.objectContaining({ period: expect.objectContaining({ key: thisMonth }), tier: expect.objectContaining({ amount: 3_000 }), raised: 4_000, goal: 10_000, reached_at: at(2).toISOString() }),
    ]);
    expect(await consumerEvents(service, 'goal.reached', monthly.slug)).toEqual([]);
    expect(await consumerEvents(service, 'tier.reached', total.slug)).toEqual([
      expect.objectContaining({ period: expect.objectContaining({ type: 'total' }), tier: expect.objectContaining({ amount: 2_000 }), raised: 2_500, goal: 5_000, reached_at: at(2).toISOString() }),
    ]);
    expect(await consumerEvents(service, 'goal.reached', total.slug)).toEqual([
      expect.objectContaining({ raised: 5_500, goal: 5_000, reached_at: at(6).toISOString() }),
    ]);
    expect(await consumerEvents(service, 'tier.reached', quiet.slug)).toEqual([]);

    // Recorded once each, in the rows that announce nothing too, dated by the change that
    // crossed them there: the monthly campaign's all-time row crossed 3 000 with the late payment.
    expect(await crossingsOf(monthly.id)).toEqual([
      { period_key: thisMonth, kind: 'tier', amount: 3_000, reached_at: at(2) },
      { period_key: 'total', kind: 'tier', amount: 3_000, reached_at: lastMonthDay },
    ]);
    expect(await crossingsOf(total.id)).toEqual([
      { period_key: thisMonth, kind: 'goal', amount: 5_000, reached_at: at(6) },
      { period_key: thisMonth, kind: 'tier', amount: 2_000, reached_at: at(2) },
      { period_key: 'total', kind: 'goal', amount: 5_000, reached_at: at(6) },
      { period_key: 'total', kind: 'tier', amount: 2_000, reached_at: at(2) },
    ]);
    expect(await crossingsOf(quiet.id)).toEqual([]);

    // m2's donor stopped counting with its full refund; m1 and m3 share one donor.
    expect(await periodFigures(service, monthly.id, thisMonth)).toEqual({ raised: 3_500, refunded: 2_000, disputed: 0, donations_count: 2, donors_count: 1 });
    expect(await periodFigures(service, monthly.id, lastMonth)).toEqual({ raised: 1_000, refunded: 0, disputed: 0, donations_count: 1, donors_count: 1 });
    expect(await periodFigures(service, monthly.id, 'total')).toEqual({ raised: 4_500, refunded: 2_000, disputed: 0, donations_count: 3, donors_count: 2 });
    expect(await periodFigures(service, total.id, thisMonth)).toEqual({ raised: 5_500, refunded: 0, disputed: 0, donations_count: 3, donors_count: 3 });
    expect(await periodFigures(service, total.id, 'total')).toEqual({ raised: 5_500, refunded: 0, disputed: 0, donations_count: 3, donors_count: 3 });
    expect(await periodFigures(service, quiet.id, 'total')).toEqual({ raised: 1_000, refunded: 0, disputed: 0, donations_count: 1, donors_count: 1 });
    // The period rows were written by that one batch.
    const { rows: writers } = await service.ctx.db.query(
      'SELECT DISTINCT xmin::text FROM campaign_periods WHERE campaign_id = ANY($1) AND raised <> 0',
      [[monthly.id, total.id, quiet.id]],
    );
    expect(writers).toEqual(batches);
  });
});
