import { describe, expect, it } from 'vitest';
import {
  isValidTimeZone,
  monthlyPeriod,
  nextPeriodKey,
  periodKeyOf,
  periodKeysBetween,
  periodLabel,
  previousPeriodKey,
} from '../../src/domain/period.js';

describe('periodKeyOf maps an instant to the month on the campaign clock', () => {
  it('puts 23:59 local on Oct 31 in October and 00:00 local on Nov 1 in November (New York, EDT)', () => {
    expect(periodKeyOf(new Date('2024-11-01T03:59:59Z'), 'America/New_York')).toBe('2024-10');
    expect(periodKeyOf(new Date('2024-11-01T04:00:00Z'), 'America/New_York')).toBe('2024-11');
  });

  it('uses EST after the November DST change (New York, Nov 30 → Dec 1)', () => {
    expect(periodKeyOf(new Date('2024-12-01T04:59:59Z'), 'America/New_York')).toBe('2024-11');
    expect(periodKeyOf(new Date('2024-12-01T05:00:00Z'), 'America/New_York')).toBe('2024-12');
  });

  it('rolls the year over at local midnight on Jan 1', () => {
    expect(periodKeyOf(new Date('2025-01-01T04:59:59Z'), 'America/New_York')).toBe('2024-12');
    expect(periodKeyOf(new Date('2025-01-01T05:00:00Z'), 'America/New_York')).toBe('2025-01');
  });

  it('handles UTC+14 (Pacific/Kiritimati), where a month starts on the previous UTC day', () => {
    expect(periodKeyOf(new Date('2024-10-31T09:59:59Z'), 'Pacific/Kiritimati')).toBe('2024-10');
    expect(periodKeyOf(new Date('2024-10-31T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2024-11');
  });

  it('handles UTC−11 (Pacific/Pago_Pago), where a month ends on the next UTC day', () => {
    expect(periodKeyOf(new Date('2024-12-01T10:59:59Z'), 'Pacific/Pago_Pago')).toBe('2024-11');
    expect(periodKeyOf(new Date('2024-12-01T11:00:00Z'), 'Pacific/Pago_Pago')).toBe('2024-12');
  });
});

describe('monthlyPeriod gives the real UTC instants of the local month boundaries', () => {
  it('spans the March DST change in New York (starts EST, ends EDT)', () => {
    const march = monthlyPeriod('2024-03', 'America/New_York');
    expect(march.starts_at).toBe('2024-03-01T05:00:00.000Z');
    expect(march.ends_at).toBe('2024-04-01T04:00:00.000Z');
  });

  it('spans the November DST change in New York (starts EDT, ends EST)', () => {
    const november = monthlyPeriod('2024-11', 'America/New_York');
    expect(november).toEqual({
      type: 'monthly',
      key: '2024-11',
      label: 'NOVEMBER 2024',
      starts_at: '2024-11-01T04:00:00.000Z',
      ends_at: '2024-12-01T05:00:00.000Z',
    });
  });

  it('handles +14 and −11 offsets', () => {
    expect(monthlyPeriod('2024-11', 'Pacific/Kiritimati').starts_at).toBe('2024-10-31T10:00:00.000Z');
    expect(monthlyPeriod('2024-11', 'Pacific/Pago_Pago').ends_at).toBe('2024-12-01T11:00:00.000Z');
  });

  it('rolls December over into January of the next year', () => {
    const december = monthlyPeriod('2024-12', 'UTC');
    expect(december.starts_at).toBe('2024-12-01T00:00:00.000Z');
    expect(december.ends_at).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('period keys', () => {
  it('labels months in upper-case English', () => {
    expect(periodLabel('2024-11')).toBe('NOVEMBER 2024');
    expect(periodLabel('2025-01')).toBe('JANUARY 2025');
  });

  it('steps across year boundaries both ways', () => {
    expect(nextPeriodKey('2024-12')).toBe('2025-01');
    expect(previousPeriodKey('2025-01')).toBe('2024-12');
    expect(periodKeysBetween('2024-11', '2025-02')).toEqual(['2025-02', '2025-01', '2024-12', '2024-11']);
  });

  it('knows real IANA zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
