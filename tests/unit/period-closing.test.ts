import { describe, expect, it } from 'vitest';
import { monthsToClose } from '../../src/domain/period-closing.js';

const campaign = (overrides: Partial<Parameters<typeof monthsToClose>[0]> = {}) => ({
  timezone: 'America/New_York',
  created_at: new Date('2026-08-10T15:00:00Z'),
  last_closed: null,
  open_months: ['2026-08', '2026-11'],
  ...overrides,
});

describe('monthsToClose', () => {
  it('closes every ended month since creation, with or without figures, oldest first', () => {
    expect(monthsToClose(campaign(), new Date('2026-11-25T12:00:00Z'), 0)).toEqual(['2026-08', '2026-09', '2026-10']);
  });

  it('starts after the last closed month', () => {
    expect(monthsToClose(campaign({ last_closed: '2026-09', open_months: ['2026-11'] }), new Date('2026-11-25T12:00:00Z'), 0)).toEqual(['2026-10']);
  });

  it('reads the month end in the campaign timezone, after the delay', () => {
    // 03:00 UTC on 1 December is still November in New York.
    const nov = campaign({ last_closed: '2026-10', open_months: ['2026-11'] });
    expect(monthsToClose(nov, new Date('2026-12-01T03:00:00Z'), 0)).toEqual([]);
    expect(monthsToClose(nov, new Date('2026-12-01T05:10:00Z'), 0)).toEqual(['2026-11']);
    expect(monthsToClose(nov, new Date('2026-12-01T05:10:00Z'), 15 * 60_000)).toEqual([]);
    expect(monthsToClose({ ...nov, timezone: 'Asia/Tokyo' }, new Date('2026-11-30T15:10:00Z'), 0)).toEqual(['2026-11']);
  });

  it('closes an open month with figures from before the campaign was created', () => {
    expect(monthsToClose(campaign({ open_months: ['2026-06'] }), new Date('2026-09-02T12:00:00Z'), 0)).toEqual(['2026-06', '2026-08']);
  });

  it('closes nothing in the month the campaign was created', () => {
    expect(monthsToClose(campaign({ open_months: ['2026-08'] }), new Date('2026-08-31T12:00:00Z'), 0)).toEqual([]);
  });
});
