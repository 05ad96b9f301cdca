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

export interface CsvRecord {
  fields: string[];
  /** The physical line the record starts on (1-based), for error messages. */
  line: number;
  /** Why the record could not be read as CSV (a quote never closed), or null. */
  malformed: string | null;
}

/**
 * Reads RFC 4180 CSV as it arrives, chunk by chunk, so a file of any length is parsed holding
 * only the record being read: `push` returns the records a chunk completed, `end` the last one.
 * Accepts CRLF or LF line ends, quoted fields with commas, quotes ("") and line breaks, a
 * leading byte-order mark; blank lines are skipped.
 */
export class CsvReader {
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  /** The previous character closed a quoted section (a following quote is an escaped quote). */
  private afterQuote = false;
  private fieldStarted = false;
  private line = 1;
  private recordLine = 1;
  private first = true;
  private problem: string | null = null;

  push(text: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (this.first) {
        this.first = false;
        if (char === '\uFEFF') continue;
      }
      if (this.quoted) {
        if (char === '"') {
          this.quoted = false;
          this.afterQuote = true;
        } else {
          if (char === '\n') this.line += 1;
          this.field += char;
        }
        continue;
      }
      if (char === '"') {
        if (this.afterQuote) {
          this.field += '"';
          this.quoted = true;
          this.afterQuote = false;
        } else if (!this.fieldStarted) {
          this.quoted = true;
          this.fieldStarted = true;
        } else {
          this.problem ??= 'a quote inside an unquoted field';
          this.field += char;
        }
        continue;
      }
      this.afterQuote = false;
      if (char === ',') {
        this.fields.push(this.field);
        this.field = '';
        this.fieldStarted = false;
      } else if (char === '\n') {
        const record = this.finishRecord();
        if (record) records.push(record);
        this.line += 1;
        this.recordLine = this.line;
      } else if (char === '\r') {
        // Dropped: CRLF ends a record at its LF; a lone CR inside a field is not meaningful CSV.
      } else {
        this.field += char;
        this.fieldStarted = true;
      }
    }
    return records;
  }

  end(): CsvRecord | null {
    if (this.quoted) this.problem ??= 'a quoted field is never closed';
    return this.finishRecord();
  }

  private finishRecord(): CsvRecord | null {
    const blank = this.fields.length === 0 && !this.fieldStarted && this.field === '';
    const record = blank && !this.problem ? null : { fields: [...this.fields, this.field], line: this.recordLine, malformed: this.problem };
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
    this.quoted = false;
    this.afterQuote = false;
    this.problem = null;
    return record;
  }
}
