import { describe, expect, test } from 'vitest';
import {
  attributeRefund,
  disputeStatusOf,
  invoiceDonationAmounts,
  isCounted,
  ledgerTargets,
  netOf,
  nextDisputeStatus,
  nextDonationStatus,
  plannedEntries,
  NO_ENTRIES,
  type PaymentFacts,
} from '../../src/domain/ledger.js';
import { isReturned, mergeRefund, refundStatusOf, refundedGrossOf } from '../../src/domain/refunds.js';
import { readGoalpostMetadata } from '../../src/domain/goalpost-metadata.js';

const facts = (overrides: Partial<PaymentFacts> = {}): PaymentFacts => ({
  status: 'succeeded',
  amount: 10_000,
  refundedGross: 0,
  dispute: null,
  ...overrides,
});

describe('ledgerTargets', () => {
  test('only a succeeded payment puts money in the ledger', () => {
    for (const status of ['pending', 'failed', 'expired'] as const) expect(ledgerTargets(facts({ status }))).toEqual(NO_ENTRIES);
    expect(ledgerTargets(facts())).toEqual({ donation: 10_000, refund: 0, dispute: 0, dispute_reversal: 0 });
  });

  test('refunds come out of the donation amount first and never take more than it', () => {
    expect(ledgerTargets(facts({ refundedGross: 2_500 })).refund).toBe(-2_500);
    // 10 000 donated + 330 covered fee, refunded in full: the goal loses exactly 10 000.
    expect(ledgerTargets(facts({ refundedGross: 10_330 })).refund).toBe(-10_000);
  });

  test('an open or lost dispute keeps what refunds left out; a won one brings it back', () => {
    expect(ledgerTargets(facts({ dispute: { amount: 10_330, status: 'open' } }))).toMatchObject({ dispute: -10_000, dispute_reversal: 0 });
    expect(ledgerTargets(facts({ dispute: { amount: 10_330, status: 'lost' } }))).toMatchObject({ dispute: -10_000, dispute_reversal: 0 });
    expect(ledgerTargets(facts({ dispute: { amount: 10_330, status: 'won' } }))).toMatchObject({ dispute: -10_000, dispute_reversal: 10_000 });
    expect(ledgerTargets(facts({ refundedGross: 3_000, dispute: { amount: 7_330, status: 'lost' } }))).toMatchObject({ refund: -3_000, dispute: -7_000 });
  });

  test('a donation counts while any of its amount is in the total', () => {
    expect(isCounted(ledgerTargets(facts({ refundedGross: 9_999 })))).toBe(true);
    expect(isCounted(ledgerTargets(facts({ refundedGross: 10_000 })))).toBe(false);
    expect(isCounted(ledgerTargets(facts({ dispute: { amount: 10_000, status: 'open' } })))).toBe(false);
    expect(isCounted(ledgerTargets(facts({ dispute: { amount: 10_000, status: 'won' } })))).toBe(true);
    expect(netOf(ledgerTargets(facts({ refundedGross: 1, dispute: { amount: 50, status: 'lost' } })))).toBe(9_949);
  });
});

describe('status rules', () => {
  test('a donation status only moves forward, so event order does not matter', () => {
    expect(nextDonationStatus('pending', 'succeeded')).toBe('succeeded');
    expect(nextDonationStatus('succeeded', 'pending')).toBe('succeeded');
    expect(nextDonationStatus('succeeded', 'failed')).toBe('succeeded');
    expect(nextDonationStatus('failed', 'pending')).toBe('failed');
    expect(nextDonationStatus('failed', 'succeeded')).toBe('succeeded');
    expect(nextDonationStatus('pending', 'expired')).toBe('expired');
  });

  test('a closed dispute stays closed', () => {
    expect(nextDisputeStatus(null, 'open')).toBe('open');
    expect(nextDisputeStatus('open', 'won')).toBe('won');
    expect(nextDisputeStatus('won', 'open')).toBe('won');
    expect(nextDisputeStatus('lost', 'open')).toBe('lost');
    expect(disputeStatusOf('needs_response', false)).toBe('open');
    expect(disputeStatusOf('warning_closed', true)).toBe('won');
    expect(disputeStatusOf('lost', true)).toBe('lost');
  });
});

describe('entries', () => {
  test('refund entries carry the refund ids; what they do not explain goes to the charge', () => {
    expect(attributeRefund(1_000, [{ id: 're_1', amount: 300 }, { id: 're_2', amount: 500 }], new Set(['re_1']), 'ch_1:refund')).toEqual([
      { sourceId: 're_2', amount: 500 },
      { sourceId: 'ch_1:refund', amount: 500 },
    ]);
  });

  test('planned entries move the ledger from its totals to the target, with unique names', () => {
    const current = { donation: 10_000, refund: -3_000, dispute: -7_000, dispute_reversal: 0 };
    const target = { donation: 10_000, refund: -3_000, dispute: -7_000, dispute_reversal: 7_000 };
    expect(
      plannedEntries({ current, target, booked: new Set(['pi_1', 're_1', 'dp_1']), sources: { donation: 'pi_1', refund: 'ch_1:refund', dispute: 'dp_1' }, refunds: [] }),
    ).toEqual([{ kind: 'dispute_reversal', amount: 7_000, sourceId: 'dp_1:won' }]);
    const corrected = plannedEntries({
      current: { ...NO_ENTRIES, donation: 10_000, dispute: -10_000 },
      target: { ...NO_ENTRIES, donation: 10_000, refund: -3_000, dispute: -7_000 },
      booked: new Set(['pi_1', 'dp_1']),
      sources: { donation: 'pi_1', refund: 'ch_1:refund', dispute: 'dp_1' },
      refunds: [],
    });
    expect(corrected).toEqual([
      { kind: 'refund', amount: -3_000, sourceId: 'ch_1:refund' },
      { kind: 'dispute', amount: 3_000, sourceId: 'dp_1:-10000->-7000' },
    ]);
  });

  test("an invoice's donation is what was paid, at most the donation amount; the fee comes from the rest", () => {
    expect(invoiceDonationAmounts(1_575, { amount: 1_500, fee: 75 })).toEqual({ amount: 1_500, fee: 75 });
    expect(invoiceDonationAmounts(1_000, { amount: 1_500, fee: 75 })).toEqual({ amount: 1_000, fee: 0 });
  });
});

describe('goalpost metadata', () => {
  test('is recognised only when complete and well formed', () => {
    expect(readGoalpostMetadata({ goalpost_campaign_id: '12', goalpost_amount: '2500', goalpost_fee_amount: '105', goalpost_frequency: 'monthly' })).toEqual({
      campaignId: 12,
      amount: 2_500,
      feeAmount: 105,
      frequency: 'monthly',
      deploymentId: null,
    });
    expect(readGoalpostMetadata({})).toBeNull();
    expect(readGoalpostMetadata(null)).toBeNull();
    expect(readGoalpostMetadata({ goalpost_campaign_id: '12', goalpost_amount: '25.00' })).toBeNull();
    expect(readGoalpostMetadata({ goalpost_campaign_id: 'abc', goalpost_amount: '2500' })).toBeNull();
  });
});

describe('refunds by id (domain/refunds.ts)', () => {
  test('a failed or canceled refund stays so, whatever arrives after it', () => {
    const failed = mergeRefund({}, 're_1', { amount: 500, status: 'failed' });
    expect(mergeRefund(failed, 're_1', { amount: 500, status: 'succeeded' })).toBe(failed);
    expect(mergeRefund(mergeRefund({}, 're_1', { amount: 500, status: 'succeeded' }), 're_1', { amount: 500, status: 'failed' })).toEqual(failed);
    expect(isReturned('canceled')).toBe(true);
    expect(refundStatusOf('some_future_status')).toBe('pending');
  });

  test('what stays refunded: the standing refunds or the largest running total less what came back, never below zero', () => {
    expect(refundedGrossOf(1_000, {})).toBe(1_000);
    expect(refundedGrossOf(1_000, { re_a: { amount: 1_000, status: 'failed' } })).toBe(0);
    expect(refundedGrossOf(1_000, { re_a: { amount: 1_000, status: 'failed' }, re_b: { amount: 700, status: 'succeeded' } })).toBe(700);
    expect(refundedGrossOf(0, { re_a: { amount: 300, status: 'canceled' } })).toBe(0);
  });

  test('money given back is booked as refund entries named after the refunds that came back', () => {
    const entries = plannedEntries({
      current: { donation: 2_000, refund: -1_500, dispute: 0, dispute_reversal: 0 },
      target: { donation: 2_000, refund: -500, dispute: 0, dispute_reversal: 0 },
      booked: new Set(['pi_1', 're_a', 're_b']),
      sources: { donation: 'pi_1', refund: 'ch_1:refund', dispute: null },
      refunds: [],
      returned: [{ id: 're_a', amount: 1_000 }],
    });
    expect(entries).toEqual([{ kind: 'refund', amount: 1_000, sourceId: 're_a:returned' }]);
  });
});
