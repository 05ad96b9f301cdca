/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields with a quote, comma or line break quoted,
 * quotes doubled), made safe to open in a spreadsheet: text that starts with = + - @ (or tab or
 * CR, which some spreadsheets strip before looking) would run as a formula, so it gets a leading
 * apostrophe, as OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection).
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // Numbers and booleans are ours (amounts, flags), never donor text, and read as what they are.
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) || text !== value ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
