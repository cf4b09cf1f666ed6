import { describe, expect, it } from 'vitest';
import { isInteractiveTarget, moveIndex } from './list-navigation.ts';

describe('moveIndex', () => {
  it('starts at the first row going down and the last going up', () => {
    expect(moveIndex(-1, 1, 5)).toBe(0);
    expect(moveIndex(-1, -1, 5)).toBe(4);
  });

  it('moves and stops at both ends', () => {
    expect(moveIndex(2, 1, 5)).toBe(3);
    expect(moveIndex(4, 1, 5)).toBe(4);
    expect(moveIndex(0, -1, 5)).toBe(0);
  });

  it('selects nothing in an empty list', () => {
    expect(moveIndex(-1, 1, 0)).toBe(-1);
    expect(moveIndex(3, -1, 0)).toBe(-1);
  });
});

describe('isInteractiveTarget', () => {
  it('leaves Enter on links, buttons and fields to them', () => {
    expect(isInteractiveTarget({ tagName: 'A' })).toBe(true);
    expect(isInteractiveTarget({ tagName: 'BUTTON' })).toBe(true);
    expect(isInteractiveTarget({ tagName: 'DIV', getAttribute: () => 'button' })).toBe(true);
    expect(isInteractiveTarget({ tagName: 'BODY', getAttribute: () => null })).toBe(false);
  });
});
