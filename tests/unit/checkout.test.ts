import { describe, expect, it } from 'vitest';
import { donationCharge } from '../../src/domain/fees.js';
import {
  donationAmountErrors,
  redirectOrigins,
  redirectUrlProblem,
  withSessionIdPlaceholder,
} from '../../src/domain/checkout.js';

const fees = { percent: 2.9, fixed: 30 };

describe('donationCharge', () => {
  it('charges the donation itself when the donor does not cover fees', () => {
    expect(donationCharge(2500, 'usd', false, fees)).toEqual({ total: 2500, fee: 0 });
  });

  it('grosses up so that after 2.9% + 30 the campaign still nets the donation', () => {
    const { total, fee } = donationCharge(2500, 'usd', true, fees);
    expect({ total, fee }).toEqual({ total: 2606, fee: 106 });
    expect(total - Math.round(total * 0.029) - 30).toBeGreaterThanOrEqual(2500);
  });

  it('rounds three-decimal currencies up to the multiple of 10 Stripe accepts', () => {
    const { total } = donationCharge(5000, 'kwd', true, fees);
    expect(total % 10).toBe(0);
    expect(total).toBeGreaterThanOrEqual(donationCharge(5000, 'usd', true, fees).total);
  });
});

describe('donationAmountErrors', () => {
  const limits = { currency: 'usd', min_amount: 100, max_amount: 100_000 };

  it('accepts amounts within the campaign limits', () => {
    expect(donationAmountErrors(100, 100, limits)).toEqual([]);
    expect(donationAmountErrors(100_000, 100_000, limits)).toEqual([]);
  });

  it('refuses amounts outside the limits, naming the bound', () => {
    expect(donationAmountErrors(99, 99, limits)[0]?.message).toMatch(/at least 100/);
    expect(donationAmountErrors(100_001, 100_001, limits)[0]?.message).toMatch(/at most 100000/);
  });

  it("never goes below Stripe's minimum charge, whatever the campaign says", () => {
    expect(donationAmountErrors(40, 40, { currency: 'usd', min_amount: 1, max_amount: 1000 })[0]?.message).toMatch(/at least 50/);
  });

  it("refuses a charge over Stripe's maximum once fees are added", () => {
    expect(donationAmountErrors(99_999_000, 103_000_000, { currency: 'usd', min_amount: 100, max_amount: 99_999_999 })).toHaveLength(1);
  });

  it('wants multiples of 10 in three-decimal currencies', () => {
    expect(donationAmountErrors(1005, 1005, { currency: 'kwd', min_amount: 100, max_amount: 100_000 })).toHaveLength(1);
  });
});

describe('redirect URLs', () => {
  const allowed = redirectOrigins(['https://news.example'], 'https://donate.example/base');

  it('allows the campaign origins and the service origin', () => {
    expect(redirectUrlProblem('https://news.example/thanks?x=1', allowed)).toBeNull();
    expect(redirectUrlProblem('https://donate.example/checkout/thanks', allowed)).toBeNull();
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,hi',
    'https://news.example.evil.example/',
    'http://news.example/',
    'https://user:pass@news.example/',
    '//news.example/thanks',
    'not a url',
  ])('refuses %s', (url) => {
    expect(redirectUrlProblem(url, allowed)).not.toBeNull();
  });
});

describe('withSessionIdPlaceholder', () => {
  it.each([
    ['https://a.example/thanks', 'https://a.example/thanks?session_id={CHECKOUT_SESSION_ID}'],
    ['https://a.example/thanks?ref=1', 'https://a.example/thanks?ref=1&session_id={CHECKOUT_SESSION_ID}'],
    ['https://a.example/thanks?', 'https://a.example/thanks?session_id={CHECKOUT_SESSION_ID}'],
    ['https://a.example/t#done', 'https://a.example/t?session_id={CHECKOUT_SESSION_ID}#done'],
    ['https://a.example/t?id={CHECKOUT_SESSION_ID}', 'https://a.example/t?id={CHECKOUT_SESSION_ID}'],
  ])('%s → %s', (input, output) => {
    expect(withSessionIdPlaceholder(input)).toBe(output);
  });
});
