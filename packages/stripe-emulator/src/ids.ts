import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHABET[byte % ALPHABET.length];
  return text;
}

/** Ids shaped like Stripe's (`pi_3Q…`, `cs_test_a1…`), so code that checks prefixes behaves the same. */
export function newId(prefix: string): string {
  if (prefix === 'cs') return `cs_test_a1${randomText(56)}`;
  return `${prefix}_1${randomText(23)}`;
}

/** Stripe's request ids (`req_` + 14 characters), echoed as Request-Id and in `event.request`. */
export function newRequestId(): string {
  return `req_${randomText(14)}`;
}

/** Unix seconds, the unit of every Stripe timestamp. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

export function addMonths(unixSeconds: number, months: number): number {
  const date = new Date(unixSeconds * 1000);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  // Stripe bills the 31st on the last day of shorter months.
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return Math.floor(date.getTime() / 1000);
}
