import { describe, expect, it } from 'vitest';
import { grossUpForFees } from '../../src/domain/fees.js';
import { formatMoney, isSupportedCurrency, minimumCharge, minorUnitDigits } from '../../src/domain/money.js';
import { percentOf, tierCrossings } from '../../src/domain/progress.js';

describe('money', () => {
  it('knows zero-decimal currencies', () => {
    expect(minorUnitDigits('jpy')).toBe(0);
    expect(minorUnitDigits('usd')).toBe(2);
    expect(formatMoney({ amount: 500, currency: 'jpy' })).toBe('¥500');
    expect(formatMoney({ amount: 2500, currency: 'usd' })).toBe('$25.00');
  });

  it("knows Stripe's currencies and minimum charges", () => {
    expect(isSupportedCurrency('usd')).toBe(true);
    expect(isSupportedCurrency('xyz')).toBe(false);
    expect(minimumCharge('usd')).toBe(50);
    expect(minimumCharge('gbp')).toBe(30);
  });

  it('grosses a donation up so the campaign receives the full amount after fees', () => {
    const { total, fee } = grossUpForFees(2_500, { percent: 2.9, fixed: 30 });
    expect(total).toBe(2_606);
    expect(fee).toBe(106);
    expect(total - Math.round(total * 0.029) - 30).toBeGreaterThanOrEqual(2_500);
  });
});

describe('tiers', () => {
  const tiers = [{ amount: 100_000 }, { amount: 250_000 }, { amount: 500_000 }];

  it('reports the tiers a change of the total crosses, each boundary included once', () => {
    expect(tierCrossings(tiers, 90_000, 260_000)).toEqual([100_000, 250_000]);
    expect(tierCrossings(tiers, 100_000, 200_000)).toEqual([]);
    expect(tierCrossings(tiers, 99_999, 100_000)).toEqual([100_000]);
    expect(tierCrossings(tiers, 300_000, 200_000)).toEqual([]);
  });

  it('computes percent with two decimals, uncapped', () => {
    expect(percentOf(123_400, 500_000)).toBe(24.68);
    expect(percentOf(750_000, 500_000)).toBe(150);
  });
});
