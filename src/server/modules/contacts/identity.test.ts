import { describe, expect, it } from 'vitest';
import { normalizeIdentity } from './identity.ts';

describe('normalizeIdentity', () => {
  it('lowercases email', () => expect(normalizeIdentity('email', ' Anna@Mail.RU ')).toBe('anna@mail.ru'));
  it('turns Russian 8-prefixed numbers into +7', () =>
    expect(normalizeIdentity('phone', '8 (912) 345-67-89')).toBe('+79123456789'));
  it('keeps international numbers', () =>
    expect(normalizeIdentity('phone', '+995 555 12 34 56')).toBe('+995555123456'));
  it('strips @ from telegram handles', () =>
    expect(normalizeIdentity('telegram', '@Ivan_Petrov')).toBe('ivan_petrov'));
  it('keeps chat visitor ids as they are', () => expect(normalizeIdentity('chat', 'v_AbC')).toBe('v_AbC'));
});
