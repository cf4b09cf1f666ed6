import { describe, expect, it } from 'vitest';
import { createSecrets } from '../../lib/secrets.ts';
import { isReplyAddressForm, parseReplyAddress, replyAddress, replyToken } from './reply-token.ts';

const secrets = createSecrets('k'.repeat(32));
const other = createSecrets('o'.repeat(32));

describe('reply tokens', () => {
  it('is the base-36 ticket id and a 10-character signature', () => {
    const token = replyToken(secrets, 4512);
    expect(token).toMatch(/^3hc-[0-9a-f]{10}$/);
    expect(token.split('-')[1]).toBe(secrets.sign('ticket:4512', 10));
    expect(replyAddress(secrets, 4512, 'care.example')).toBe(`reply+${token}@care.example`);
  });

  it('reads the ticket back from any domain, in any case, with or without brackets and a name', () => {
    const token = replyToken(secrets, 77);
    expect(parseReplyAddress(secrets, `reply+${token}@care.example`)).toBe(77);
    expect(parseReplyAddress(secrets, `REPLY+${token.toUpperCase()}@Other.Example`)).toBe(77);
    expect(parseReplyAddress(secrets, `"Support" <reply+${token}@care.example>`)).toBe(77);
    expect(parseReplyAddress(secrets, ` <reply+${token}@x.y> `)).toBe(77);
    expect(parseReplyAddress(secrets, replyAddress(secrets, 2_147_483_647, 'a.b'))).toBe(2_147_483_647);
  });

  it('refuses other forms, forged or foreign signatures and out-of-range ids', () => {
    const token = replyToken(secrets, 77);
    expect(parseReplyAddress(secrets, `support@care.example`)).toBeNull();
    expect(parseReplyAddress(secrets, `reply+${token}`)).toBeNull();
    expect(parseReplyAddress(secrets, `reply-${token}@care.example`)).toBeNull();
    expect(parseReplyAddress(secrets, `reply+2${token}@care.example`)).toBeNull();
    expect(parseReplyAddress(secrets, `reply+${replyToken(other, 77)}@care.example`)).toBeNull();
    expect(parseReplyAddress(secrets, `reply+0-${secrets.sign('ticket:0', 10)}@x.y`)).toBeNull();
    expect(parseReplyAddress(secrets, `reply+01-${secrets.sign('ticket:1', 10)}@x.y`)).toBeNull();
    const huge = (2_147_483_648).toString(36);
    expect(
      parseReplyAddress(secrets, `reply+${huge}-${secrets.sign('ticket:2147483648', 10)}@x.y`),
    ).toBeNull();
    expect(parseReplyAddress(secrets, `reply+${token}@a@b`)).toBeNull();
  });

  it('recognises the reply form without checking the signature', () => {
    expect(isReplyAddressForm('Reply+anything@care.example')).toBe(true);
    expect(isReplyAddressForm('<reply+1-00@x.y>')).toBe(true);
    expect(isReplyAddressForm('replies@care.example')).toBe(false);
  });
});
