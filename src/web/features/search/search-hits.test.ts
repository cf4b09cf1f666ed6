import { describe, expect, it } from 'vitest';
import { countByType, hitHref, parseSearchType, type TSearchHit } from './search-hits.ts';

const hit = (type: TSearchHit['type'], id: number, ticketId: number | null): TSearchHit => ({
  type,
  id,
  ticketId,
  title: 't',
  snippet: 's',
  rank: 1,
  updatedAt: '2026-11-25T10:00:00Z',
});

describe('search hits', () => {
  it('link tickets, messages and contacts to their screens', () => {
    expect(hitHref(hit('ticket', 299, 299))).toBe('/tickets/299');
    expect(hitHref(hit('message', 1255, 299))).toBe('/tickets/299#message-1255');
    expect(hitHref(hit('contact', 17, null))).toBe('/contacts/17');
  });

  it('reads only known types from the URL', () => {
    expect(parseSearchType('message')).toBe('message');
    expect(parseSearchType('user')).toBeNull();
    expect(parseSearchType(null)).toBeNull();
  });

  it('counts hits by type', () => {
    expect(countByType([hit('ticket', 1, 1), hit('message', 2, 1), hit('message', 3, 1)])).toEqual({
      ticket: 1,
      message: 2,
      contact: 0,
    });
  });
});
