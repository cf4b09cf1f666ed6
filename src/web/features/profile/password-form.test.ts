import { describe, expect, it } from 'vitest';
import { validatePasswordChange } from './password-form.ts';

describe('validatePasswordChange', () => {
  it('accepts a new password typed twice', () => {
    expect(
      validatePasswordChange({ current: 'demo12345', next: 'new-secret-1', repeat: 'new-secret-1' }),
    ).toEqual({});
  });

  it('asks for everything that is missing', () => {
    expect(validatePasswordChange({ current: '', next: '', repeat: '' })).toEqual({
      current: 'required',
      next: 'required',
    });
  });

  it('refuses short, unchanged and mistyped passwords', () => {
    expect(validatePasswordChange({ current: 'a', next: 'short', repeat: 'short' })).toEqual({
      next: 'tooShort',
    });
    expect(validatePasswordChange({ current: 'demo12345', next: 'demo12345', repeat: 'demo12345' })).toEqual({
      next: 'sameAsCurrent',
    });
    expect(
      validatePasswordChange({ current: 'demo12345', next: 'new-secret-1', repeat: 'new-secret-2' }),
    ).toEqual({
      repeat: 'mismatch',
    });
  });
});
