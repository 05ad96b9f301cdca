import { afterAll, beforeAll, expect, test } from 'vitest';
import { statementTotals } from '../../src/domain/receipt-content.js';
import { collectStatements } from '../../src/services/statements.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { OneTimePayment, deliverAndSettle, ledgerCampaign, someDonor } from './support.js';

/**
 * Issue 12.6: annual statements net covered fees, refunds and lost chargebacks the same way they
 * show payments (at what was charged), from the ledger real Stripe events built.
 */
let service: TestService;

beforeAll(async () => {
  service = await startTestService();
  service.startWorkers();
});

afterAll(async () => {
  await service?.close();
});

const year = new Date().getUTCFullYear();

async function totalsFor(email: string) {
  const [statement] = await collectStatements(service.ctx.db, year, email);
  expect(statement).toBeDefined();
  const line = (entry: { amount: number; currency: string; at: string; timezone: string; receipt_number: string | null; campaign: string; frequency: 'one_time' | 'monthly' }) => ({
    at: new Date(entry.at),
    timezone: entry.timezone,
    receiptNumber: entry.receipt_number,
    campaignName: entry.campaign,
    frequency: entry.frequency,
    amount: { amount: entry.amount, currency: entry.currency },
  });
  return { statement: statement!.snapshot, totals: statementTotals(statement!.snapshot.donations.map(line), statement!.snapshot.refunds.map(line)) };
}

test('a fully refunded covered-fee donation shows zero, fee included', async () => {
  const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
  const payment = await new OneTimePayment(campaign, 2_500, 105, someDonor()).record(service);
  await deliverAndSettle(service, payment.completed(), payment.chargeSucceeded());
  await deliverAndSettle(service, payment.refund(1_000), payment.refund(1_605));
  const { totals, statement } = await totalsFor(payment.donor.email!);
  expect(totals).toEqual([{ currency: 'usd', donated: 2_605, refunded: 2_605, net: 0 }]);
  expect(statement.refunds).toHaveLength(1);
});

test('a lost chargeback is subtracted (fee included); an open or won one is not', async () => {
  const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
  const donor = someDonor();
  const lost = await new OneTimePayment(campaign, 3_000, 120, donor).record(service);
  const won = await new OneTimePayment(campaign, 1_000, 0, donor).record(service);
  await deliverAndSettle(service, lost.completed(), lost.chargeSucceeded(), won.completed(), won.chargeSucceeded());
  await deliverAndSettle(service, lost.dispute('created'), lost.dispute('closed', { status: 'lost' }));
  await deliverAndSettle(service, won.dispute('created'), won.dispute('closed', { status: 'won' }));
  const { totals, statement } = await totalsFor(donor.email!);
  expect(totals).toEqual([{ currency: 'usd', donated: 4_120, refunded: 3_120, net: 1_000 }]);
  expect(statement.refunds.map((line) => line.campaign)).toEqual([expect.stringContaining('(chargeback)')]);
});

test('a refund that failed is not on the statement', async () => {
  const campaign = await ledgerCampaign(service, { timezone: 'UTC' });
  const payment = await new OneTimePayment(campaign, 2_000, 0, someDonor()).record(service);
  await deliverAndSettle(service, payment.completed(), payment.chargeSucceeded(), payment.refund(2_000));
  await deliverAndSettle(service, payment.refundEnds(0, 'failed'));
  const { totals, statement } = await totalsFor(payment.donor.email!);
  expect(totals).toEqual([{ currency: 'usd', donated: 2_000, refunded: 0, net: 2_000 }]);
  expect(statement.refunds).toEqual([]);
});
