import { describe, expect, it } from 'vitest';
import { chunk, summarizeBulk } from './inbox-bulk.ts';

describe('bulk actions', () => {
  it('splits ids into requests the server accepts', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 200)).toEqual([]);
  });

  it('summarizes successes and failures', () => {
    expect(
      summarizeBulk([
        { id: 1, ok: true, version: 3 },
        { id: 2, ok: false, error: { code: 'TICKET_CLOSED', message: 'A closed ticket cannot be changed' } },
        { id: 3, ok: true, version: 8 },
      ]),
    ).toEqual({
      total: 3,
      okIds: [1, 3],
      failures: [{ id: 2, code: 'TICKET_CLOSED', message: 'A closed ticket cannot be changed' }],
    });
  });
});
