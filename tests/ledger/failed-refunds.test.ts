import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';
import { OneTimePayment, deliverAndSettle, donationOf, ledgerCampaign, twin, type LedgerCampaign, type StripeEventBody } from './support.js';

/** Issue 12.5: a refund that fails or is canceled gives its amount back, whatever order its events arrive in. */
let service: TestService;

beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
});

async function progress(campaign: LedgerCampaign) {
  const response = await service.api.get(`/v1/campaigns/${campaign.slug}/progress`);
  expect(response.status).toBe(200);
  return response.body as { raised: number; donations_count: number; donors_count: number };
}

async function paid(campaign: LedgerCampaign, amount: number, fee = 0): Promise<OneTimePayment> {
  const payment = await new OneTimePayment(campaign, amount, fee).record(service);
  await deliverAndSettle(service, payment.completed(), payment.chargeSucceeded());
  return payment;
}

describe('refunds that fail come back', () => {
  test('refund.failed after a full refund puts the donation back in the total and the counts', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await paid(campaign, 3_000);
    await deliverAndSettle(service, payment.refund(3_000));
    expect(await progress(campaign)).toMatchObject({ raised: 0, donations_count: 0, donors_count: 0 });

    const failed = payment.refundEnds(0, 'failed');
    await deliverAndSettle(service, failed, failed, twin(failed));
    expect(await progress(campaign)).toMatchObject({ raised: 3_000, donations_count: 1, donors_count: 1 });
    const donation = await donationOf(service, { sessionId: payment.sessionId });
    expect(donation).toMatchObject({ refunded_amount: 0 });
  });

  test('charge.refund.updated with status canceled gives back only that refund, even when the charge never listed it', async () => {
    const campaign = await ledgerCampaign(service);
    const payment = await paid(campaign, 4_000);
    // Newer API versions leave the refunds list out of charge.refunded: only running totals.
    await deliverAndSettle(service, payment.refund(1_000, { withList: false }), payment.refund(500, { withList: false }));
    expect((await progress(campaign)).raised).toBe(2_500);
    await deliverAndSettle(service, payment.refundEnds(1, 'canceled'));
    expect((await progress(campaign)).raised).toBe(3_000);
  });

  test('any order of the same refund events ends at the same total', async () => {
    const campaign = await ledgerCampaign(service);
    const orders: number[] = [];
    for (const reversed of [false, true]) {
      const payment = await paid(campaign, 2_000, 90);
      const first = payment.refund(1_200);
      const created = payment.refundEvent(0, 'refund.created');
      const second = payment.refund(890);
      const failed = payment.refundEnds(0, 'failed');
      const updated = payment.refundEvent(0, 'charge.refund.updated');
      const events: StripeEventBody[] = [created, first, second, failed, updated, twin(first)];
      await deliverAndSettle(service, ...(reversed ? events.reverse() : events));
      const donation = await donationOf(service, { sessionId: payment.sessionId });
      // 890 of the 2,090 charged stays refunded: all of it from the donation amount.
      orders.push(donation.refunded_amount);
    }
    expect(orders).toEqual([890, 890]);
    expect((await progress(campaign)).raised).toBe(2 * (2_000 - 890));
  });
});
