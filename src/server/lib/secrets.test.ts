import { describe, expect, it } from 'vitest';
import { createSecrets } from './secrets.ts';

describe('secrets', () => {
  const secrets = createSecrets('a master key of some length');

  it('seals and opens a value; each seal differs', () => {
    const a = secrets.encrypt('пароль от почты');
    const b = secrets.encrypt('пароль от почты');
    expect(a).not.toBe(b);
    expect(a).not.toContain('пароль');
    expect(secrets.decrypt(a)).toBe('пароль от почты');
  });

  it('refuses an altered value and one sealed with another key', () => {
    const sealed = secrets.encrypt('secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => secrets.decrypt([...parts.slice(0, 3), body.toString('base64url')].join('.'))).toThrow();
    expect(() => createSecrets('another key').decrypt(sealed)).toThrow();
    expect(() => secrets.decrypt('garbage')).toThrow();
  });

  it('signs and verifies, and a signature from another key or data fails', () => {
    const sig = secrets.sign('ticket:42', 10);
    expect(sig).toMatch(/^[0-9a-f]{10}$/);
    expect(secrets.verify('ticket:42', sig)).toBe(true);
    expect(secrets.verify('ticket:43', sig)).toBe(false);
    expect(createSecrets('another key').verify('ticket:42', sig)).toBe(false);
    expect(secrets.verify('ticket:42', 'zz')).toBe(false);
  });
});
