import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../src/domain/csv.js';

describe('CSV cells (RFC 4180, safe for spreadsheets)', () => {
  it('leaves plain text, numbers and booleans bare and empty values empty', () => {
    expect(csvRow(['Ada Lovelace', 2500, true, null, undefined, ''])).toBe('Ada Lovelace,2500,true,,,\r\n');
  });

  it('quotes fields holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    expect(csvCell('She said "hi"')).toBe('"She said ""hi"""');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://evil.example","x")'])(
    'neutralises %j so a spreadsheet shows it as text',
    (value) => {
      const cell = csvCell(value);
      expect(cell.startsWith(`"'`)).toBe(true);
      expect(cell).toBe(`"'${value.replaceAll('"', '""')}"`);
    },
  );

  it('does not touch numbers, which are ours and never formulas', () => {
    expect(csvCell(-5)).toBe('-5');
  });
});
