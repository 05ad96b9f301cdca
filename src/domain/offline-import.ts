import type { FieldError } from '../errors.js';
import type { CsvRecord } from './csv.js';
import { OFFLINE_METHODS, type OfflineDonationInput, type OfflineMethod } from './offline-donation.js';

/**
 * The rules of a CSV import of past donations (POST …/offline-donations/import), as pure
 * functions: which columns a file has, and what each row says or why it is unusable. A row is
 * checked completely before anything of it is written, so a malformed row is reported and never
 * half-imported.
 */
export const IMPORT_COLUMNS = ['amount', 'currency', 'received_at', 'method', 'reference', 'name', 'email'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly ImportColumn[] = ['amount', 'received_at', 'method', 'reference'];

/** Where each column is in the file, from its header row, or what is wrong with the header. */
export function importHeader(fields: readonly string[]): { columns: Map<ImportColumn, number> } | { errors: FieldError[] } {
  const columns = new Map<ImportColumn, number>();
  const errors: FieldError[] = [];
  fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ field: `header.${index + 1}`, message: `unknown column "${raw}" (expected ${IMPORT_COLUMNS.join(',')})` });
    } else if (columns.has(name as ImportColumn)) {
      errors.push({ field: `header.${index + 1}`, message: `column "${name}" appears twice` });
    } else {
      columns.set(name as ImportColumn, index);
    }
  });
  for (const name of REQUIRED) if (!columns.has(name)) errors.push({ field: 'header', message: `missing column "${name}"` });
  return errors.length ? { errors } : { columns };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_AMOUNT = 99_999_999_99;

/** One data row as an offline donation, or the reasons it cannot be one. */
export function importRow(record: CsvRecord, columns: ReadonlyMap<ImportColumn, number>): { input: OfflineDonationInput } | { errors: FieldError[] } {
  if (record.malformed) return { errors: [{ field: 'row', message: `not valid CSV: ${record.malformed}` }] };
  if (record.fields.length !== columns.size) {
    return { errors: [{ field: 'row', message: `has ${record.fields.length} fields, the header has ${columns.size}` }] };
  }
  const cell = (name: ImportColumn) => {
    const index = columns.get(name);
    return index === undefined ? '' : record.fields[index]!.trim();
  };
  const errors: FieldError[] = [];
  const amountText = cell('amount');
  const amount = Number(amountText);
  if (!/^\d+$/.test(amountText) || amount <= 0 || amount > MAX_AMOUNT) {
    errors.push({ field: 'amount', message: 'must be a positive whole number of minor units (2500 = 25.00)' });
  }
  const currency = cell('currency').toLowerCase();
  if (currency && !/^[a-z]{3}$/.test(currency)) errors.push({ field: 'currency', message: 'must be an ISO 4217 code such as usd' });
  const method = cell('method').toLowerCase();
  if (!(OFFLINE_METHODS as readonly string[]).includes(method)) {
    errors.push({ field: 'method', message: `must be one of ${OFFLINE_METHODS.join(', ')}` });
  }
  const reference = cell('reference');
  if (!reference || reference.length > 100) errors.push({ field: 'reference', message: 'must be 1 to 100 characters' });
  const name = cell('name');
  if (name.length > 200) errors.push({ field: 'name', message: 'must be at most 200 characters' });
  const email = cell('email');
  if (email && (email.length > 254 || !EMAIL.test(email))) errors.push({ field: 'email', message: 'must be an email address' });
  const receivedAt = cell('received_at');
  if (!receivedAt || receivedAt.length > 40) errors.push({ field: 'received_at', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' });
  if (errors.length) return { errors };
  return {
    input: {
      amount,
      ...(currency && { currency }),
      received_at: receivedAt,
      method: method as OfflineMethod,
      reference,
      donor: { name: name || null, email: email || null },
      send_receipt: false,
    },
  };
}
