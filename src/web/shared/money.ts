import { minorUnitDigits } from '../../domain/money.js';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${digits}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, found);
  }
  return found;
}

/**
 * Minor units for people: "$1,000" for whole amounts, "$12.50" otherwise, "¥500" for
 * zero-decimal currencies. Division happens only here, for display.
 */
export function formatAmount(amount: number, currency: string, locale = 'en-US'): string {
  const digits = minorUnitDigits(currency);
  const scale = 10 ** digits;
  return formatter(locale, currency, amount % scale === 0 ? 0 : digits).format(amount / scale);
}

/** Minor units as a plain major-unit number, for aria-valuenow and the like. */
export function majorUnits(amount: number, currency: string): number {
  return amount / 10 ** minorUnitDigits(currency);
}

/**
 * What a person typed ("25", "12.5", "1,000.00") as minor units, or null if it is not an
 * amount. Whole and fractional parts are joined as digits, so no float rounding is involved.
 */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const cleaned = text.trim().replace(/[\s,]/g, '');
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(match[1]! + fraction.padEnd(digits, '0'));
}

/** Minor units as an editable decimal ("25.00", "500" for yen), the inverse of parseAmount. */
export function decimalString(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (!digits) return String(amount);
  const scale = 10 ** digits;
  return `${Math.floor(amount / scale)}.${String(amount % scale).padStart(digits, '0')}`;
}
