import { describe, expect, it } from 'vitest';
import { ERASED, scrubber } from '../../src/domain/erasure.js';

describe('scrubbing a donor out of stored JSON', () => {
  const scrub = scrubber({ email: 'Ada@Example.org', texts: ['Usd', 'Keep going!'] });

  it('erases strings holding the email (any case), and names and messages in the fields that hold them', () => {
    const payload = {
      id: 'evt_1',
      data: {
        object: {
          amount: 2500,
          currency: 'usd',
          customer_details: { email: 'ada@example.org', name: 'USD' },
          receipt: 'Receipt for "Ada" <ADA@EXAMPLE.ORG>',
          message: 'keep going! ',
          note: 'Keep going!',
          tags: ['Usd Foundation', 'x'],
        },
      },
    };
    expect(scrub(payload)).toEqual({
      changed: true,
      value: {
        id: 'evt_1',
        data: {
          object: {
            amount: 2500,
            // A name is only looked for in fields holding people's words: the currency stays.
            currency: 'usd',
            customer_details: { email: ERASED, name: ERASED },
            receipt: ERASED,
            message: ERASED,
            note: 'Keep going!',
            tags: ['Usd Foundation', 'x'],
          },
        },
      },
    });
  });

  it('reports no change and returns the same object when nothing names the donor', () => {
    const payload = { a: [1, 'two', { b: null }] };
    const result = scrub(payload);
    expect(result).toEqual({ value: payload, changed: false });
    expect(result.value).toBe(payload);
  });
});
