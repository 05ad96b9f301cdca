import { describe, expect, it } from 'vitest';
import { parseStripeForm } from '../src/form.js';

describe("the emulator's Stripe form parser", () => {
  it('turns bracket paths into nested objects and indexed keys into arrays', () => {
    const body =
      'mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=usd' +
      '&line_items[0][price_data][recurring][interval]=month&metadata[goalpost_campaign]=support&expand[0]=payment_intent';
    expect(parseStripeForm(encodeURI(body))).toEqual({
      mode: 'payment',
      line_items: [{ quantity: '1', price_data: { currency: 'usd', recurring: { interval: 'month' } } }],
      metadata: { goalpost_campaign: 'support' },
      expand: ['payment_intent'],
    });
  });

  it('appends empty-bracket keys and keeps array order by index', () => {
    expect(parseStripeForm('expand[]=a&expand[]=b')).toEqual({ expand: ['a', 'b'] });
    expect(parseStripeForm('items[1]=second&items[0]=first')).toEqual({ items: ['first', 'second'] });
  });

  it('decodes percent-encoding and keeps empty values (Stripe uses them to unset)', () => {
    expect(parseStripeForm('success_url=https%3A%2F%2Fx.test%2Fok%3Fid%3D%7BCHECKOUT_SESSION_ID%7D&metadata[a]=')).toEqual({
      success_url: 'https://x.test/ok?id={CHECKOUT_SESSION_ID}',
      metadata: { a: '' },
    });
  });
});
