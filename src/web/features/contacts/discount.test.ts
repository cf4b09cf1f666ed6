import { describe, expect, it } from 'vitest';
import { parseDiscounts } from './discount.ts';

describe('parseDiscounts', () => {
  it('keeps code with percent or amount and skips anything else', () => {
    expect(
      parseDiscounts([
        { code: 'SUMMER', percent: 10 },
        { code: 'GIFT', amount: 1500, extra: true },
        { code: '' },
        { percent: 5 },
        'junk',
        null,
      ]),
    ).toEqual([
      { code: 'SUMMER', percent: 10 },
      { code: 'GIFT', amount: 1500 },
    ]);
  });
});
