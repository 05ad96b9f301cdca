/**
 * A month is a value: "YYYY-MM" read in the campaign's IANA timezone. This module is the only
 * place that does date arithmetic; everything else maps instants through `periodOf`.
 */
export type PeriodKey = string;

export interface Period {
  type: 'monthly';
  key: PeriodKey;
  label: string;
  starts_at: string;
  ends_at: string;
}

const PERIOD_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MONTH_NAMES = [
  'JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE',
  'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER',
];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(instant: Date, timeZone: string): LocalTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    hour: fields.hour!,
    minute: fields.minute!,
    second: fields.second!,
  };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds. */
function offsetAt(instantMs: number, timeZone: string): number {
  const t = localTime(new Date(instantMs), timeZone);
  const wallAsUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wallAsUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The UTC instant of local midnight starting the given month (first instant, if midnight is skipped). */
function startOfLocalMonth(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  let guess = wall - offsetAt(wall, timeZone);
  // A second pass settles guesses that landed on the other side of a DST change.
  guess = wall - offsetAt(guess, timeZone);
  const local = localTime(new Date(guess), timeZone);
  if (local.year !== year || local.month !== month) {
    // Midnight did not exist (a DST jump at 00:00): the month starts when the clock jumps.
    guess += 60 * 60 * 1000;
  }
  return new Date(guess);
}

/**
 * The instant a local calendar day starts in a timezone ("2024-11-03" in America/New_York is
 * 2024-11-03T04:00:00Z), for dates people write without a time (a cheque's date). Null for a
 * day that does not exist ("2024-02-30").
 */
export function startOfLocalDay(date: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wall = Date.UTC(year, month - 1, day);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  const local = localTime(new Date(guess), timeZone);
  // Midnight did not exist (a DST jump at 00:00): the day starts when the clock jumps.
  if (local.day !== day) guess += 60 * 60 * 1000;
  return new Date(guess);
}

export function periodKeyOf(instant: Date, timeZone: string): PeriodKey {
  const { year, month } = localTime(instant, timeZone);
  return formatKey(year, month);
}

function formatKey(year: number, month: number): PeriodKey {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function parsePeriodKey(key: string): { year: number; month: number } | null {
  const match = PERIOD_KEY.exec(key);
  return match ? { year: Number(match[1]), month: Number(match[2]) } : null;
}

export function isPeriodKey(key: string): boolean {
  return parsePeriodKey(key) !== null;
}

export function nextPeriodKey(key: PeriodKey): PeriodKey {
  const { year, month } = parsePeriodKey(key)!;
  return month === 12 ? formatKey(year + 1, 1) : formatKey(year, month + 1);
}

export function previousPeriodKey(key: PeriodKey): PeriodKey {
  const { year, month } = parsePeriodKey(key)!;
  return month === 1 ? formatKey(year - 1, 12) : formatKey(year, month - 1);
}

export function periodLabel(key: PeriodKey): string {
  const { year, month } = parsePeriodKey(key)!;
  return `${MONTH_NAMES[month - 1]} ${year}`;
}

export function monthlyPeriod(key: PeriodKey, timeZone: string): Period {
  const { year, month } = parsePeriodKey(key)!;
  const next = parsePeriodKey(nextPeriodKey(key))!;
  return {
    type: 'monthly',
    key,
    label: periodLabel(key),
    starts_at: startOfLocalMonth(year, month, timeZone).toISOString(),
    ends_at: startOfLocalMonth(next.year, next.month, timeZone).toISOString(),
  };
}

/** Months from `from` to `to` counting both ends ("2024-11" to "2025-01" is 3), without listing them. */
export function periodCount(from: PeriodKey, to: PeriodKey): number {
  const start = parsePeriodKey(from)!;
  const end = parsePeriodKey(to)!;
  return (end.year - start.year) * 12 + end.month - start.month + 1;
}

/** Every month from `from` to `to` inclusive, newest first. */
export function periodKeysBetween(from: PeriodKey, to: PeriodKey): PeriodKey[] {
  const keys: PeriodKey[] = [];
  for (let key = to; key >= from; key = previousPeriodKey(key)) keys.push(key);
  return keys;
}

/** Year of an instant in a timezone (receipt numbering uses the organisation's calendar year). */
export function yearOf(instant: Date, timeZone: string): number {
  return localTime(instant, timeZone).year;
}

/** One long-date formatter per locale and timezone (building one costs far more than using it). */
const longDateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatLocalDate(instant: Date, timeZone: string, locale = 'en-US'): string {
  const key = `${locale}|${timeZone}`;
  let format = longDateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' });
    longDateFormats.set(key, format);
  }
  return format.format(instant);
}
