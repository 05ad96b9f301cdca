import { describe, expect, it } from 'vitest';
import { CsvReader, csvRow } from '../../src/domain/csv.js';
import { planOfflineDonation, planOfflineVoid, receivedInstant } from '../../src/domain/offline-donation.js';
import { importHeader, importRow } from '../../src/domain/offline-import.js';

function readAll(chunks: string[]) {
  const reader = new CsvReader();
  const records = chunks.flatMap((chunk) => reader.push(chunk));
  const last = reader.end();
  return last ? [...records, last] : records;
}

describe('CsvReader (streamed RFC 4180)', () => {
  it('reads what csvRow writes back, whatever the chunk boundaries', () => {
    const rows = [
      ['a', 'b', 'c'],
      ['Lovelace, Ada', 'She said "hi"', 'line one\nline two'],
      ['', 'x', ''],
    ];
    const text = rows.map((row) => csvRow(row)).join('');
    for (const size of [1, 2, 3, 7, text.length]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      expect(readAll(chunks).map((record) => record.fields)).toEqual(rows);
    }
  });

  it('accepts LF line ends, a byte-order mark and a last line without a line end; skips blank lines', () => {
    const records = readAll(['\uFEFFamount,reference\n100,A\n\n200,B']);
    expect(records.map((record) => [record.line, record.fields])).toEqual([
      [1, ['amount', 'reference']],
      [2, ['100', 'A']],
      [4, ['200', 'B']],
    ]);
  });

  it('counts lines inside quoted fields, so errors point at the right line', () => {
    const records = readAll(['a,b\r\n"x\ny",1\r\nz,2\r\n']);
    expect(records.map((record) => record.line)).toEqual([1, 2, 4]);
  });

  it('marks a stray quote or a quote never closed as malformed rather than guessing', () => {
    expect(readAll(['ab"c,1\n'])[0]!.malformed).toContain('quote');
    expect(readAll(['"never closed,1\n2,3'])[0]!.malformed).toContain('never closed');
  });
});

describe('import rows', () => {
  const header = importHeader(['amount', 'currency', 'received_at', 'method', 'reference', 'name', 'email']);
  const columns = 'columns' in header ? header.columns : new Map();
  const record = (fields: string[]) => ({ fields, line: 2, malformed: null });

  it('takes the columns in any order and refuses unknown, repeated or missing ones', () => {
    expect('columns' in importHeader(['Reference', 'AMOUNT', 'method', 'received_at'])).toBe(true);
    const bad = importHeader(['amount', 'amount', 'colour', 'method']);
    expect('errors' in bad && bad.errors.map((error) => error.message)).toEqual([
      'column "amount" appears twice',
      expect.stringContaining('unknown column "colour"'),
      'missing column "received_at"',
      'missing column "reference"',
    ]);
  });

  it('turns a good row into an offline donation', () => {
    expect(importRow(record(['2500', 'USD', '2024-11-03', 'Check', 'CHK-9', 'Ada', 'ada@example.org']), columns)).toEqual({
      input: {
        amount: 2500,
        currency: 'usd',
        received_at: '2024-11-03',
        method: 'check',
        reference: 'CHK-9',
        donor: { name: 'Ada', email: 'ada@example.org' },
        send_receipt: false,
      },
    });
  });

  it('reports every problem of a bad row at once', () => {
    const result = importRow(record(['25.00', 'dollars', '', 'paypal', '', 'x', 'not-mail']), columns);
    expect('errors' in result && result.errors.map((error) => error.field)).toEqual(['amount', 'currency', 'method', 'reference', 'email', 'received_at']);
  });

  it('refuses a row with too few or too many fields', () => {
    const result = importRow(record(['2500', 'usd']), columns);
    expect('errors' in result && result.errors[0]!.message).toContain('has 2 fields');
  });
});

describe('offline donation decisions', () => {
  const campaign = { id: 7, currency: 'usd', timezone: 'America/New_York' };
  const now = new Date('2024-12-15T12:00:00Z');

  it('places a calendar date in the campaign timezone', () => {
    expect(receivedInstant('2024-11-30', 'America/New_York', now)).toEqual({ at: new Date('2024-11-30T05:00:00Z') });
    expect(receivedInstant('2024-12-01T03:00:00Z', 'America/New_York', now)).toEqual({ at: new Date('2024-12-01T03:00:00Z') });
    expect(receivedInstant('2024-12-16', 'UTC', now)).toEqual({ problem: 'must not be in the future' });
  });

  it('counts a date-time in the month of the campaign timezone', () => {
    const decided = planOfflineDonation(campaign, { amount: 500, received_at: '2024-12-01T03:00:00Z', method: 'cash', reference: 'C1' }, now);
    expect('plan' in decided && decided.plan.donation.period_key).toBe('2024-11');
    expect('plan' in decided && decided.plan).toMatchObject({ entry: { kind: 'offline', amount: 500 }, change: { raised: 500, donations: 1 }, sendReceipt: false, announce: true });
  });

  it('announces recorded donations but not imported history', () => {
    const decided = planOfflineDonation(campaign, { amount: 500, received_at: '2024-11-01', method: 'cash', reference: 'C1' }, now, 'imported');
    expect('plan' in decided && decided.plan.announce).toBe(false);
  });

  it('voids only offline donations not voided yet, with the opposite amount', () => {
    const donation = { id: 'don_1', origin: 'offline' as const, status: 'succeeded', amount: 900, voided_at: null };
    expect(planOfflineVoid(donation)).toEqual({
      plan: { entry: { kind: 'offline_void', amount: -900, sourceId: 'offline_void:don_1' }, change: { raised: -900, refunded: 0, disputed: 0, donations: -1 } },
    });
    expect(planOfflineVoid({ ...donation, origin: 'stripe' })).toHaveProperty('refusal');
    expect(planOfflineVoid({ ...donation, voided_at: new Date() })).toHaveProperty('refusal');
  });
});
