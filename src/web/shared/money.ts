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

const separatorCache = new Map<string, { group: string | null; decimal: string }>();

/** The locale's decimal mark and digit-group mark (null when it groups with a space, which is stripped anyway). */
function separators(locale: string): { group: string | null; decimal: string } {
  let found = separatorCache.get(locale);
  if (!found) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1_000_000.5);
    const group = parts.find((part) => part.type === 'group')?.value ?? null;
    found = { group: group && !/\s/.test(group) ? group : null, decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.' };
    separatorCache.set(locale, found);
  }
  return found;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What a person typed ("25", "12.5", "1,000.00"; "12,50" and "1.000,50" in German) as minor
 * units, or null if it is not an amount. The decimal and group marks are the locale's; a group
 * mark must separate groups of three digits, so "12,50" in English (or "12.50" in German) is
 * refused rather than read as 1250. Whole and fractional parts are joined as digits, so no
 * float rounding is involved.
 */
export function parseAmount(text: string, currency: string, locale = 'en-US'): number | null {
  const digits = minorUnitDigits(currency);
  const { group, decimal } = separators(locale);
  const cleaned = text.replace(/\s/g, '');
  const grouped = group ? `\\d{1,3}(?:${escapeRegExp(group)}\\d{3})+|` : '';
  const match = new RegExp(`^(${grouped}\\d+)(?:${escapeRegExp(decimal)}(\\d*))?$`).exec(cleaned);
  if (!match) return null;
  const whole = group ? match[1]!.replaceAll(group, '') : match[1]!;
  const fraction = match[2] ?? '';
  if (whole.length > 12 || fraction.length > digits) return null;
  return Number(whole + fraction.padEnd(digits, '0'));
}

/**
 * Minor units as an editable decimal ("25.00", "25,00" in German, "500" for yen), with the
 * locale's decimal mark and no grouping: the inverse of parseAmount in the same locale.
 */
export function decimalString(amount: number, currency: string, locale = 'en-US'): string {
  const digits = minorUnitDigits(currency);
  if (!digits) return String(amount);
  const scale = 10 ** digits;
  return `${Math.floor(amount / scale)}${separators(locale).decimal}${String(amount % scale).padStart(digits, '0')}`;
}
