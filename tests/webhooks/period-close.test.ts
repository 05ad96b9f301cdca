import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodKeyOf, periodKeysBetween, periodLabel, previousPeriodKey, monthlyPeriod } from '../../src/domain/period.js';
import { newCampaign } from '../helpers/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { OneTimePayment, deliverAndSettle, ledgerCampaign } from '../ledger/support.js';
import { registerEndpoint, sleep, startReceiver, waitFor, type Receiver } from './receiver.js';

let service: TestService;
let receiver: Receiver;

beforeAll(async () => {
  service = await startTestService({
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_SCHEDULE_MS: '0,200,400',
    PERIOD_CLOSE_DELAY_MS: '0',
  });
  service.startWorkers();
  receiver = await startReceiver();
  await registerEndpoint(service, receiver, ['period.closed']);
});
afterAll(async () => {
  await service.close();
  await receiver.close();
});

const TIMEZONE = 'Asia/Tokyo';

/** A campaign created ~75 days ago, with figures (and donors' emails) recorded for last month. */
async function campaignWithHistory() {
  const campaign = await newCampaign(service, { timezone: TIMEZONE });
  const { rows } = await service.ctx.db.query(
    `UPDATE campaigns SET created_at = now() - interval '75 days' WHERE slug = $1 RETURNING id, created_at`,
    [campaign.slug],
  );
  const { id, created_at: createdAt } = rows[0] as { id: number; created_at: Date };
  const current = periodKeyOf(new Date(), TIMEZONE);
  const lastMonth = previousPeriodKey(current);
  await service.ctx.db.query(
    `INSERT INTO campaign_periods (campaign_id, period_key, goal_amount, tiers, raised, refunded, donations_count, donors_count)
     VALUES ($1, $2, 400000, $3, 260000, 5000, 4, 3)`,
    [id, lastMonth, JSON.stringify(campaign.tiers)],
  );
  await service.ctx.db.query(
    `INSERT INTO tier_crossings (campaign_id, period_key, kind, amount, reached_at)
     VALUES ($1, $2, 'tier', 100000, now() - interval '20 days'), ($1, $2, 'tier', 250000, now() - interval '10 days')`,
    [id, lastMonth],
  );
  await service.ctx.db.query(
    `INSERT INTO period_donors (campaign_id, period_key, donor_email)
     VALUES ($1, $2, 'alice.donor@example.com'), ($1, $2, 'bob.donor@example.com'), ($1, $2, 'carol.donor@example.com')`,
    [id, lastMonth],
  );
  const ended = periodKeysBetween(periodKeyOf(createdAt, TIMEZONE), lastMonth).reverse();
  return { slug: campaign.slug, id, current, lastMonth, ended };
}

const closingsOf = (slug: string) => receiver.requests.filter((request) => request.payload.data.campaign === slug);

describe('period.close', () => {
  it('closes every ended month once and announces its final figures in period.closed', async () => {
    const campaign = await campaignWithHistory();
    await service.ctx.queues.enqueue('period.close', {});

    await waitFor(() => closingsOf(campaign.slug).length === campaign.ended.length, 'one period.closed per ended month');
    const closings = closingsOf(campaign.slug);
    expect(closings.every((request) => request.verified && request.payload.type === 'period.closed')).toBe(true);
    expect(closings.map((request) => request.payload.data.month).sort()).toEqual(campaign.ended);

    const lastMonth = closings.find((request) => request.payload.data.month === campaign.lastMonth)!;
    const period = monthlyPeriod(campaign.lastMonth, TIMEZONE);
    expect(lastMonth.payload.data).toEqual({
      campaign: campaign.slug,
      currency: 'usd',
      timezone: TIMEZONE,
      month: campaign.lastMonth,
      label: periodLabel(campaign.lastMonth),
      starts_at: period.starts_at,
      ends_at: period.ends_at,
      goal: 400000,
      raised: 260000,
      refunded: 5000,
      donations_count: 4,
      donors_count: 3,
      tiers_reached: [100000, 250000],
    });
    const quiet = closings.find((request) => request.payload.data.month !== campaign.lastMonth)!;
    expect(quiet.payload.data).toMatchObject({ raised: 0, donations_count: 0, donors_count: 0, tiers_reached: [] });

    const { rows } = await service.ctx.db.query(
      `SELECT period_key, closed_at IS NOT NULL AS closed FROM campaign_periods
       WHERE campaign_id = $1 AND period_key <> 'total' ORDER BY period_key`,
      [campaign.id],
    );
    expect(rows).toEqual([
      ...campaign.ended.map((month) => ({ period_key: month, closed: true })),
      { period_key: campaign.current, closed: false },
    ]);
  });

  it('puts no donor names or emails in period.closed', async () => {
    const campaign = await campaignWithHistory();
    await service.ctx.queues.enqueue('period.close', {});
    await waitFor(() => closingsOf(campaign.slug).length === campaign.ended.length, 'the closings');
    for (const request of closingsOf(campaign.slug)) {
      expect(request.body).not.toMatch(/@|alice|bob|carol|donor_email|email|name/i);
    }
  });

  it('announces nothing again on the next runs', async () => {
    const campaign = await campaignWithHistory();
    await service.ctx.queues.enqueue('period.close', {});
    await waitFor(() => closingsOf(campaign.slug).length === campaign.ended.length, 'the first closings');
    await service.ctx.queues.enqueue('period.close', {});
    await service.ctx.queues.enqueue('period.close', {});
    await sleep(800);
    expect(closingsOf(campaign.slug)).toHaveLength(campaign.ended.length);
    const { rows } = await service.ctx.db.query(
      `SELECT count(*)::int AS n FROM webhook_events WHERE dedupe_key LIKE $1`,
      [`period.closed:${campaign.id}:%`],
    );
    expect(rows[0].n).toBe(campaign.ended.length);
  });
});

describe('period.restated', () => {
  it('a refund or dispute booked into a closed month announces its new figures and what changed', async () => {
    await registerEndpoint(service, receiver, ['period.restated']);
    const campaign = await ledgerCampaign(service, { timezone: TIMEZONE });
    await service.ctx.db.query(`UPDATE campaigns SET created_at = now() - interval '75 days' WHERE id = $1`, [campaign.id]);
    const lastMonth = previousPeriodKey(periodKeyOf(new Date(), TIMEZONE));
    const paidAt = new Date(monthlyPeriod(lastMonth, TIMEZONE).starts_at);
    paidAt.setUTCDate(paidAt.getUTCDate() + 10);
    const refunded = await new OneTimePayment(campaign, 4_000).record(service);
    const disputed = await new OneTimePayment(campaign, 1_000).record(service);
    await deliverAndSettle(service, refunded.completed(paidAt), refunded.chargeSucceeded(paidAt), disputed.completed(paidAt), disputed.chargeSucceeded(paidAt));

    await service.ctx.queues.enqueue('period.close', {});
    const ofCampaign = (type: string) =>
      receiver.requests.filter((request) => request.payload.type === type && request.payload.data.campaign === campaign.slug);
    await waitFor(() => ofCampaign('period.closed').find((request) => request.payload.data.month === lastMonth), 'the closing');
    expect(ofCampaign('period.restated')).toEqual([]);

    await deliverAndSettle(service, refunded.refund(1_500));
    const [first] = await waitFor(() => ofCampaign('period.restated').length === 1 && ofCampaign('period.restated'), 'the first restatement');
    expect(first!.verified).toBe(true);
    const period = monthlyPeriod(lastMonth, TIMEZONE);
    expect(first!.payload.data).toEqual({
      campaign: campaign.slug,
      currency: 'usd',
      timezone: TIMEZONE,
      month: lastMonth,
      label: periodLabel(lastMonth),
      starts_at: period.starts_at,
      ends_at: period.ends_at,
      goal: expect.any(Number),
      raised: 3_500,
      refunded: 1_500,
      donations_count: 2,
      donors_count: 2,
      tiers_reached: [],
      restatement: 1,
      changed: { raised: -1_500, refunded: 1_500, disputed: 0, donations_count: 0, donors_count: 0 },
    });

    await deliverAndSettle(service, disputed.dispute('created'), disputed.dispute('closed', { status: 'lost' }));
    const restated = await waitFor(() => ofCampaign('period.restated').length === 2 && ofCampaign('period.restated'), 'the second restatement');
    expect(restated[1]!.payload.data).toMatchObject({
      raised: 2_500,
      donations_count: 1,
      restatement: 2,
      changed: { raised: -1_000, disputed: 1_000, donations_count: -1, donors_count: -1 },
    });
    // The dispute's closing moved no figure (it stays out): no third restatement.
    await sleep(500);
    expect(ofCampaign('period.restated')).toHaveLength(2);
  });
});
