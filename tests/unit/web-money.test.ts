import { describe, expect, it } from 'vitest';
import { decimalString, formatAmount, majorUnits, parseAmount } from '../../src/web/shared/money.js';

describe('money in the widget and dashboard', () => {
  it('formats whole amounts without decimals and others with them', () => {
    expect(formatAmount(100_000, 'usd')).toBe('$1,000');
    expect(formatAmount(1_250, 'usd')).toBe('$12.50');
    expect(formatAmount(0, 'usd')).toBe('$0');
  });

  it('never shows decimals for zero-decimal currencies', () => {
    expect(formatAmount(500, 'jpy')).toBe('¥500');
    expect(formatAmount(1_234_567, 'jpy')).toBe('¥1,234,567');
    expect(majorUnits(500, 'jpy')).toBe(500);
  });

  it('formats for the reader’s locale', () => {
    expect(formatAmount(123_456, 'eur', 'de-DE')).toBe('1.234,56\u00a0€');
  });

  it('reads typed amounts into minor units without float rounding', () => {
    expect(parseAmount('25', 'usd')).toBe(2_500);
    expect(parseAmount('12.5', 'usd')).toBe(1_250);
    expect(parseAmount('1,000.01', 'usd')).toBe(100_001);
    expect(parseAmount(' 0.29 ', 'usd')).toBe(29);
    expect(parseAmount('500', 'jpy')).toBe(500);
    expect(parseAmount('5.5', 'jpy')).toBeNull();
    expect(parseAmount('1.005', 'usd')).toBeNull();
    expect(parseAmount('-5', 'usd')).toBeNull();
    expect(parseAmount('abc', 'usd')).toBeNull();
    expect(parseAmount('', 'usd')).toBeNull();
  });

  it('reads amounts with the decimal and group marks of the donor’s locale', () => {
    expect(parseAmount('12,50', 'eur', 'de')).toBe(1_250);
    expect(parseAmount('1.000,50', 'eur', 'de-DE')).toBe(100_050);
    expect(parseAmount('1.000,50', 'eur', 'es')).toBe(100_050);
    expect(parseAmount('1 000,5', 'eur', 'fr')).toBe(100_050);
    expect(parseAmount('1\u202f000,5', 'eur', 'fr')).toBe(100_050);
    expect(parseAmount('12,5', 'jpy', 'de')).toBeNull();
  });

  it('refuses a group mark that does not separate thousands instead of reading it away', () => {
    // A German donor typing "12.50" (or an English one "12,50") must not give 1,250.
    expect(parseAmount('12.50', 'eur', 'de')).toBeNull();
    expect(parseAmount('12,50', 'usd')).toBeNull();
    expect(parseAmount('1,00,000', 'usd')).toBeNull();
    expect(parseAmount('1234567890123', 'usd')).toBeNull();
  });

  it('writes minor units back as an editable decimal', () => {
    expect(decimalString(5_000, 'usd')).toBe('50.00');
    expect(decimalString(1_603, 'usd')).toBe('16.03');
    expect(decimalString(7, 'usd')).toBe('0.07');
    expect(decimalString(500, 'jpy')).toBe('500');
    for (const amount of [1, 99, 100, 12_345]) expect(parseAmount(decimalString(amount, 'usd'), 'usd')).toBe(amount);
    expect(decimalString(1_250, 'eur', 'de')).toBe('12,50');
    for (const locale of ['de', 'fr', 'es', 'de-CH']) {
      for (const amount of [1, 99, 100, 123_456]) expect(parseAmount(decimalString(amount, 'eur', locale), 'eur', locale)).toBe(amount);
    }
  });
});
